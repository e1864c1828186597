package org.mandos.api;

import org.osgi.annotation.versioning.ConsumerType;

/** placeholder */
@ConsumerType
public interface Checker {
}

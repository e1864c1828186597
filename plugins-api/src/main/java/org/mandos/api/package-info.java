/**
 * The Mandos plugin API: the only package plugins compile against.
 */
@Export
@Version("1.0.0")
package org.mandos.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The Mandos plugin API: the only package plugins compile against.
 *
 * <p>Interfaces that plugins implement ({@link org.mandos.api.Checker}, {@link org.mandos.api.ClientStore},
 * {@link org.mandos.api.Announcer}, {@link org.mandos.api.ClientListener}) are consumer types; the one the
 * core implements and front ends call ({@link org.mandos.api.ClientRegistry}) is a provider type. Every
 * value type is immutable; secrets are {@code byte[]} copies and never appear in {@code toString()}.
 */
@Export
@Version("1.4.0")
package org.mandos.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

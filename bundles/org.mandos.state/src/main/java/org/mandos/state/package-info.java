/**
 * The Mandos server's persistent client state: the runtime attributes of each client (enabled,
 * times of the last enable, check, expiry and approval request, last checker status) and the
 * settings in force, kept in {@code <statedir>/clients.json} across restarts.
 *
 * <p>{@link org.mandos.state.StateFile} writes the file atomically (mode 0600, fsync of file and
 * directory) and reads it back into a {@link org.mandos.state.StateFile.Loaded} result; a damaged,
 * unknown or over-permissive file is moved aside, never deleted. {@link org.mandos.state.StateMerge}
 * is the pure start-up merge of the saved state with {@code clients.conf}. Nothing here stores a
 * client's secret, logs, or needs an OSGi runtime; every problem is returned to the caller.
 * The file format is described in {@code docs/state-file.md}.
 */
@Export
@Version("1.2.0")
package org.mandos.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Reading the Mandos server's configuration files, {@code mandos.conf} and {@code clients.conf},
 * exactly as the reference server (Python 3 {@code configparser}, strict, with basic interpolation)
 * reads them, but with precise errors.
 *
 * <p>{@link org.mandos.config.IniParser} implements the file dialect, {@link org.mandos.config.Durations}
 * the RFC 3339 and legacy duration formats, {@link org.mandos.config.ServerSettings} and
 * {@link org.mandos.config.ClientsFile} the two files. Every problem a user can cause is a
 * {@link org.mandos.config.ConfigException} naming the file, line, section and option; nothing here
 * logs, and recoverable problems are returned as warnings. No message and no {@code toString()}
 * ever contains a client's secret.
 */
@Export
@Version("1.3.0")
package org.mandos.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

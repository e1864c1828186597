package org.mandos.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.mandos.config.internal.MandosConfReader;

/**
 * The server-wide settings of {@code mandos.conf} ({@code [DEFAULT]} only), before the command
 * line overrides them.
 *
 * <p>String options are taken as written, without interpolation (so {@code %PROFILE_ULTRA} in a
 * priority string works and {@code %%} stays {@code %%}); booleans and integers are interpolated,
 * as in the reference server. Unknown options and other sections are ignored.
 *
 * @param interfaceName {@code interface}: network interface to bind to, {@code ""} for all
 *     ({@code interface} is a Java keyword)
 * @param address {@code address}: address to listen on, {@code ""} for any
 * @param port {@code port}, 0 to 65535, or {@code null} if unset (an empty value)
 * @param debug {@code debug}
 * @param debuglevel {@code debuglevel}: {@code ""} if unset, else one of CRITICAL, ERROR, WARNING,
 *     INFO, DEBUG, FATAL, WARN or NOTSET, upper-cased
 * @param priority {@code priority}: GnuTLS priority string
 * @param servicename {@code servicename}: Zeroconf service name
 * @param useDbus {@code use_dbus}
 * @param useIpv6 {@code use_ipv6}
 * @param restore {@code restore}: restore the persistent state at start-up
 * @param statedir {@code statedir}: directory of the persistent state
 * @param socket {@code socket}: inherited listening socket's file descriptor, or {@code null} if unset
 * @param foreground {@code foreground}
 * @param zeroconf {@code zeroconf}
 * @param lineTimeout {@code line_timeout} (an extension): how long a client may take to send its
 *     protocol version line, default 10 seconds
 * @param handshakeTimeout {@code handshake_timeout} (an extension): how long the TLS handshake may
 *     take, default 30 seconds
 * @param maxConnections {@code max_connections} (an extension): how many connections are served at
 *     once, default 1024; more are closed at once and logged
 * @param maxConnectionsPerPeer {@code max_connections_per_peer} (an extension): how many of those may come
 *     from one address, default a quarter of {@code max_connections}; more from that address are closed at
 *     once and logged
 * @param announcer {@code announcer} (an extension): which Zeroconf announcer to use, one of
 *     {@link #ANNOUNCERS}; default {@code auto} (Avahi when its daemon is running, else jmdns)
 */
public record ServerSettings(String interfaceName, String address, Integer port, boolean debug,
        String debuglevel, String priority, String servicename, boolean useDbus, boolean useIpv6,
        boolean restore, String statedir, Integer socket, boolean foreground, boolean zeroconf,
        Duration lineTimeout, Duration handshakeTimeout, int maxConnections, int maxConnectionsPerPeer,
        String announcer) {

    /** The default {@code max_connections_per_peer}: a quarter of {@code max_connections}, at least 1. */
    public static int defaultPerPeer(int maxConnections) {
        return Math.max(1, maxConnections / 4);
    }

    /** The settings with the default {@code max_connections_per_peer}. */
    public ServerSettings(String interfaceName, String address, Integer port, boolean debug,
            String debuglevel, String priority, String servicename, boolean useDbus, boolean useIpv6,
            boolean restore, String statedir, Integer socket, boolean foreground, boolean zeroconf,
            Duration lineTimeout, Duration handshakeTimeout, int maxConnections, String announcer) {
        this(interfaceName, address, port, debug, debuglevel, priority, servicename, useDbus, useIpv6, restore,
                statedir, socket, foreground, zeroconf, lineTimeout, handshakeTimeout, maxConnections,
                defaultPerPeer(maxConnections), announcer);
    }

    /** The values {@code announcer} may take. */
    public static final java.util.List<String> ANNOUNCERS = java.util.List.of("auto", "jmdns", "avahi");

    /** The reference server's default GnuTLS priority string (raw public keys, TLS 1.3 only). */
    public static final String DEFAULT_PRIORITY =
            "SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA";

    /** Checks that no string is {@code null}. */
    public ServerSettings {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(debuglevel, "debuglevel");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(servicename, "servicename");
        Objects.requireNonNull(statedir, "statedir");
        Objects.requireNonNull(lineTimeout, "lineTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(announcer, "announcer");
    }

    /** @return the built-in defaults, used for every option that {@code mandos.conf} does not set */
    public static ServerSettings defaults() {
        return new ServerSettings("", "", null, false, "", DEFAULT_PRIORITY, "Mandos", true, true, true,
                "/var/lib/mandos", null, false, true, Duration.ofSeconds(10), Duration.ofSeconds(30), 1024, "auto");
    }

    /**
     * Reads {@code mandos.conf}.
     *
     * @param mandosConf the file; if it does not exist, the result is {@link #defaults()}
     * @throws ConfigException if the file exists but cannot be read, breaks the INI dialect, or has
     *     a bad boolean, integer or {@code debuglevel}
     */
    public static ServerSettings load(Path mandosConf) throws ConfigException {
        return MandosConfReader.load(mandosConf);
    }

    /**
     * Reads the text of a {@code mandos.conf}.
     *
     * @param file the file the text came from, for error messages
     * @param text its contents
     */
    public static ServerSettings parse(Path file, String text) throws ConfigException {
        return MandosConfReader.parse(file, text);
    }
}

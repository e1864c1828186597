package org.mandos.server.internal;

import java.time.Duration;
import java.util.function.Function;
import org.mandos.tls.TlsPolicy;
import org.slf4j.LoggerFactory;

/**
 * What the launcher tells the server through framework properties.
 *
 * @param policy           the TLS policy from the {@code priority} setting
 * @param lineTimeout      how long a peer may take to send its protocol version line
 * @param handshakeTimeout how long the TLS handshake may take
 * @param sendTimeout      how long sending the secret and the closing exchange may take
 * @param maxConnections   how many connections may be open at once
 * @param maxConnectionsPerPeer how many of them may come from one address; by default a quarter of
 *                         {@code maxConnections} (at least 1)
 * @param connectionThreads how many threads serve connections ({@link Worker}s); by default the
 *                         number of processors the JVM may use
 */
record ServerSettings(TlsPolicy policy, Duration lineTimeout, Duration handshakeTimeout, Duration sendTimeout,
        int maxConnections, int maxConnectionsPerPeer, int connectionThreads) {

    static final String PRIORITY = "mandos.priority";
    static final String LINE_TIMEOUT = "mandos.line_timeout";
    static final String HANDSHAKE_TIMEOUT = "mandos.handshake_timeout";
    static final String SEND_TIMEOUT = "mandos.send_timeout";
    static final String MAX_CONNECTIONS = "mandos.max_connections";
    static final String MAX_CONNECTIONS_PER_PEER = "mandos.max_connections_per_peer";
    static final String CONNECTION_THREADS = "mandos.connection_threads";

    /** Reads the settings; {@code property} returns null for a property that is not set. */
    static ServerSettings from(Function<String, String> property) {
        String priority = property.apply(PRIORITY);
        int max = Integer.parseInt(orDefault(property.apply(MAX_CONNECTIONS), "1024"));
        return new ServerSettings(priority == null ? TlsPolicy.defaultPolicy() : TlsPolicy.parse(priority),
                duration(property, LINE_TIMEOUT, Duration.ofSeconds(10)),
                duration(property, HANDSHAKE_TIMEOUT, Duration.ofSeconds(30)),
                duration(property, SEND_TIMEOUT, Duration.ofSeconds(30)),
                max,
                perPeer(property.apply(MAX_CONNECTIONS_PER_PEER), max),
                connectionThreads(property.apply(CONNECTION_THREADS)));
    }

    private static int perPeer(String value, int max) {
        return Math.min(positive(MAX_CONNECTIONS_PER_PEER, value, Math.max(1, max / 4), "a quarter of max_connections"),
                max);
    }

    private static int connectionThreads(String value) {
        return positive(CONNECTION_THREADS, value, Runtime.getRuntime().availableProcessors(),
                "the number of processors");
    }

    /**
     * A positive whole number, or {@code fallback} when unset. These are tuning knobs, not safety settings: a
     * bad value is said once and the server serves with the default.
     */
    private static int positive(String name, String value, int fallback, String fallbackIs) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LoggerFactory.getLogger(ServerSettings.class).warn("{}: \"{}\" is not a positive whole number; using {} ({})",
                name, value, fallback, fallbackIs);
        return fallback;
    }

    private static Duration duration(Function<String, String> property, String name, Duration fallback) {
        String value = property.apply(name);
        return value == null || value.isEmpty() ? fallback : Duration.parse(value);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}

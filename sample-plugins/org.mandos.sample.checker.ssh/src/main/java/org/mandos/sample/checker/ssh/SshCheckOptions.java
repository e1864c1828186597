package org.mandos.sample.checker.ssh;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.mandos.api.ClientDefinition;

/**
 * What one check of a client needs, from its definition: where to connect, how long to try, and which
 * host key fingerprints count as the right server.
 *
 * @param host         the client's {@code host}
 * @param port         {@code ssh_port}, default 22
 * @param timeout      {@code ssh_timeout} in seconds, default 10: the whole check, connection and key
 *                     exchange
 * @param fingerprints {@code ssh_fingerprint}: the accepted fingerprints, canonical {@code SHA256:<base64>}
 */
record SshCheckOptions(String host, int port, Duration timeout, Set<String> fingerprints) {

    static final String FINGERPRINT = "ssh_fingerprint";
    static final String PORT = "ssh_port";
    static final String TIMEOUT = "ssh_timeout";

    static final int DEFAULT_PORT = 22;
    static final long DEFAULT_TIMEOUT_SECONDS = 10;
    static final long MAX_TIMEOUT_SECONDS = 3600;

    SshCheckOptions {
        fingerprints = Set.copyOf(fingerprints);
    }

    /**
     * Reads a client's options.
     *
     * @throws IllegalArgumentException with a message naming the option at fault
     */
    static SshCheckOptions of(ClientDefinition client) {
        Map<String, String> options = client.options();
        String host = client.host().strip();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the client has no host to check");
        }
        String fingerprint = options.get(FINGERPRINT);
        if (fingerprint == null || fingerprint.isBlank()) {
            throw new IllegalArgumentException(FINGERPRINT + " is required with checker_type = ssh: the server's"
                    + " host key fingerprint, SHA256:<base64> as ssh-keygen -l prints it");
        }
        Set<String> fingerprints;
        try {
            fingerprints = Fingerprints.parse(fingerprint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + FINGERPRINT + ": " + e.getMessage());
        }
        int port = (int) number(options, PORT, DEFAULT_PORT, 1, 65535, "a TCP port number");
        long seconds = number(options, TIMEOUT, DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS, "a number of seconds");
        return new SshCheckOptions(host, port, Duration.ofSeconds(seconds), fingerprints);
    }

    private static long number(Map<String, String> options, String name, long defaultValue, long min, long max,
            String what) {
        String text = options.get(name);
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            value = Long.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("bad " + name + ": \"" + text + "\" is not " + what + " from " + min
                    + " to " + max);
        }
        return value;
    }

    /** {@code host:port}, with brackets around an IPv6 address, for messages. */
    String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}

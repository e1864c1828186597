package org.mandos.sample.checker.ssh;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.mandos.api.ClientDefinition;

/** Client definitions for tests. */
final class Clients {

    private Clients() {
    }

    static ClientDefinition client(String host, Map<String, String> options) {
        return new ClientDefinition("c", "AB", "", new byte[1], host, Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofMinutes(2), "", Duration.ZERO, Duration.ofSeconds(1), true, true, options);
    }

    /** A loopback client checked with {@code checker_type = ssh} on {@code port}. */
    static ClientDefinition ssh(int port, String fingerprint, int timeoutSeconds) {
        Map<String, String> options = new HashMap<>();
        options.put("checker_type", "ssh");
        options.put(SshCheckOptions.FINGERPRINT, fingerprint);
        options.put(SshCheckOptions.PORT, Integer.toString(port));
        options.put(SshCheckOptions.TIMEOUT, Integer.toString(timeoutSeconds));
        return client("127.0.0.1", options);
    }
}

package org.mandos.sample.checker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SshCheckOptionsTest {

    private static final String FP = FingerprintsTest.ED25519_FP;

    private static SshCheckOptions parse(String host, Map<String, String> options) {
        return SshCheckOptions.of(Clients.client(host, options));
    }

    private static String error(String host, Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> parse(host, options)).getMessage();
    }

    @Test
    void defaults() {
        SshCheckOptions o = parse("host.example", Map.of("ssh_fingerprint", FP));
        assertEquals("host.example", o.host());
        assertEquals(22, o.port());
        assertEquals(Duration.ofSeconds(10), o.timeout());
        assertEquals(Set.of(FP), o.fingerprints());
        assertEquals("host.example:22", o.target());
    }

    @Test
    void everyOption() {
        SshCheckOptions o = parse(" ::1 ", Map.of("ssh_fingerprint", FP + ", " + FingerprintsTest.ECDSA_FP,
                "ssh_port", " 2222 ", "ssh_timeout", "3"));
        assertEquals("::1", o.host());
        assertEquals(2222, o.port());
        assertEquals(Duration.ofSeconds(3), o.timeout());
        assertEquals(Set.of(FP, FingerprintsTest.ECDSA_FP), o.fingerprints());
        assertEquals("[::1]:2222", o.target());
    }

    @Test
    void theFingerprintIsRequired() {
        assertTrue(error("h", Map.of()).startsWith("ssh_fingerprint is required"));
        assertTrue(error("h", Map.of("ssh_fingerprint", "  ")).startsWith("ssh_fingerprint is required"));
        assertTrue(error("h", Map.of("ssh_fingerprint", "AAAA")).startsWith("bad ssh_fingerprint: "));
    }

    @Test
    void badPortsAreNamed() {
        for (String port : new String[] {"ssh", "0", "65536", "-1", "22.5", ""}) {
            String message = error("h", Map.of("ssh_fingerprint", FP, "ssh_port", port));
            assertTrue(message.startsWith("bad ssh_port: \"" + port + "\""), message);
        }
        assertEquals(65535, parse("h", Map.of("ssh_fingerprint", FP, "ssh_port", "65535")).port());
    }

    @Test
    void badTimeoutsAreNamed() {
        for (String timeout : new String[] {"ten", "0", "-5", "1.5", "3601"}) {
            String message = error("h", Map.of("ssh_fingerprint", FP, "ssh_timeout", timeout));
            assertTrue(message.startsWith("bad ssh_timeout: \"" + timeout + "\""), message);
        }
    }

    @Test
    void aHostIsRequired() {
        assertTrue(error("", Map.of("ssh_fingerprint", FP)).contains("no host"));
        assertTrue(error("  ", Map.of("ssh_fingerprint", FP)).contains("no host"));
    }
}

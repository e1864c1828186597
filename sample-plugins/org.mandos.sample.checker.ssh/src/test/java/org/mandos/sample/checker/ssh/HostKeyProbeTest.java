package org.mandos.sample.checker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandos.api.CheckResult;

/** Judging a host key, with keys decoded the way MINA SSHD decodes them during a key exchange. */
class HostKeyProbeTest {

    @BeforeAll
    static void configure() {
        SshLibrary.configure();
    }

    private static PublicKey decode(String publicKeyLine) throws Exception {
        byte[] blob = Base64.getDecoder().decode(publicKeyLine.split(" ")[1]);
        return new ByteArrayBuffer(blob).getRawPublicKey();
    }

    private static HostKeyProbe probe(String... fingerprints) {
        return new HostKeyProbe(new SshCheckOptions("192.0.2.7", 22, Duration.ofSeconds(10), Set.of(fingerprints)));
    }

    @Test
    void ed25519WorksWithTheJdkAlone() throws Exception {
        PublicKey key = decode(FingerprintsTest.ED25519_KEY);
        assertInstanceOf(EdECPublicKey.class, key);
        assertTrue(SshLibrary.hostKeyAlgorithms().stream().anyMatch(f -> f.getName().equals("ssh-ed25519")),
                SshLibrary.hostKeyAlgorithms().toString());
    }

    @Test
    void aMatchingKeyIsAlive() throws Exception {
        HostKeyProbe probe = probe(FingerprintsTest.ED25519_FP);
        assertTrue(probe.hostKey(decode(FingerprintsTest.ED25519_KEY)));
        assertEquals(CheckResult.alive(), probe.result().getNow(null));
    }

    @Test
    void anyOfSeveralFingerprintsMatches() throws Exception {
        HostKeyProbe probe = probe(FingerprintsTest.ED25519_FP, FingerprintsTest.ECDSA_FP);
        assertTrue(probe.hostKey(decode(FingerprintsTest.ECDSA_KEY)));
        assertEquals(CheckResult.Outcome.ALIVE, probe.result().getNow(null).outcome());
    }

    @Test
    void anotherKeyIsDownAndTheReasonNamesBothFingerprints() throws Exception {
        HostKeyProbe probe = probe(FingerprintsTest.ECDSA_FP);
        assertFalse(probe.hostKey(decode(FingerprintsTest.ED25519_KEY)));
        CheckResult r = probe.result().getNow(null);
        assertEquals(CheckResult.Outcome.DOWN, r.outcome());
        assertTrue(r.reason().contains("ssh-ed25519 " + FingerprintsTest.ED25519_FP), r.reason());
        assertTrue(r.reason().contains("expected " + FingerprintsTest.ECDSA_FP), r.reason());
        assertTrue(r.reason().contains("192.0.2.7:22"), r.reason());
    }

    @Test
    void reasonsGiveTheInnermostMessage() {
        assertEquals("Connection refused", HostKeyProbe.describe(
                new java.io.IOException("java.net.ConnectException: Connection refused",
                        new java.net.ConnectException("Connection refused"))));
        assertEquals("I/O connection time-out of 30000ms expired", HostKeyProbe.describe(
                new java.net.ConnectException("I/O connection time-out of 30000ms expired")
                        .initCause(new java.util.concurrent.TimeoutException())));
        assertEquals("TimeoutException", HostKeyProbe.describe(new java.util.concurrent.TimeoutException()));
    }

    @Test
    void theFirstOutcomeStands() throws Exception {
        HostKeyProbe probe = probe(FingerprintsTest.ED25519_FP);
        probe.timedOut();
        assertTrue(probe.hostKey(decode(FingerprintsTest.ED25519_KEY)));
        CheckResult r = probe.result().getNow(null);
        assertEquals(CheckResult.Outcome.DOWN, r.outcome());
        assertTrue(r.reason().startsWith("no SSH host key from 192.0.2.7:22 within 10 s"), r.reason());
    }
}

package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Complete exchanges over loopback TCP between the Mandos server's side ({@link RawKeyTlsClient}) and the
 * Mandos client's side ({@link RawKeyTlsServer}). A normal return from {@link PeerSession#sendAndClose} means the
 * client's close_notify arrived; a normal return from {@link RawKeyTlsServer#receive} means the server's did.
 */
class HandshakeTest {

    private static final TlsPolicy DEFAULT = TlsPolicy.defaultPolicy();
    private static KeyPair key(String type) {
        return MandosEnds.key(type);
    }

    private static byte[] secret(int length) {
        return MandosEnds.secret(length);
    }

    private static Loopback.Outcomes<PeerSession, byte[]> exchange(TlsPolicy serverPolicy, byte[] secret,
            TlsPolicy clientPolicy, KeyPair key) throws Exception {
        return Loopback.run(MandosEnds.server(serverPolicy, secret), MandosEnds.client(clientPolicy, key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ed448", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-4096"})
    void everyKeyTypeAuthenticatesAndReceivesTheSecret(String type) throws Exception {
        KeyPair key = key(type);
        byte[] secret = secret(517);
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, secret, DEFAULT, key);

        PeerSession session = outcomes.acceptor().get();
        assertEquals(KeyIds.of(key.getPublic()), session.keyId());
        assertArrayEquals(key.getPublic().getEncoded(), session.peerSpki());
        assertEquals(KeyIds.of(session.peerSpki()), session.keyId());
        assertArrayEquals(secret, outcomes.connector().get());
        assertEquals("TLS 1.3", session.protocol());
        assertEquals("TLS_AES_256_GCM_SHA384", session.cipherSuite());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519-pkcs8", "ecdsa-p256-sec1", "ecdsa-p521-sec1-text", "rsa2048-pkcs1",
        "openssl-ecparam"})
    void keyFilesAsCerttoolWritesThemWork(String stem) throws Exception {
        KeyPair key = KeyFilesTest.fixturePair(stem);
        byte[] secret = secret(64);
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, secret, DEFAULT, key);
        assertEquals(KeyIds.of(key.getPublic()), outcomes.acceptor().get().keyId());
        assertArrayEquals(secret, outcomes.connector().get());
    }

    @Test
    void theSessionDescribesTheConnectionWithoutSecrets() throws Exception {
        PeerSession session = exchange(DEFAULT, secret(8), DEFAULT, key("rsa-2048")).acceptor().get();
        assertEquals("RSA 2048", session.peerKeyType());
        assertEquals("TLS 1.3, TLS_AES_256_GCM_SHA384, x25519, RSA 2048 key " + session.keyId(), session.description());
        assertTrue(session.toString().contains(session.keyId()));
        assertEquals("ECDSA P-384", exchange(DEFAULT, secret(8), DEFAULT, key("ecdsa-p384")).acceptor().get()
                .peerKeyType());
    }

    @Test
    void aDenialSendsNothingButClosesCleanly() throws Exception {
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, null, DEFAULT, key("ed25519"));
        outcomes.acceptor().get();
        assertArrayEquals(new byte[0], outcomes.connector().get());
    }

    @Test
    void anEmptySecretArrivesEmpty() throws Exception {
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, new byte[0], DEFAULT, key("ed25519"));
        outcomes.acceptor().get();
        assertArrayEquals(new byte[0], outcomes.connector().get());
    }

    @Test
    void aSecretLargerThanOneRecordArrivesWhole() throws Exception {
        byte[] secret = secret(100_000);
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, secret, DEFAULT, key("ed25519"));
        outcomes.acceptor().get();
        assertArrayEquals(secret, outcomes.connector().get());
    }

    @Test
    void theDefaultNegotiatesX25519() throws Exception {
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, secret(8), DEFAULT, key("ed25519"));
        assertEquals("x25519", outcomes.acceptor().get().keyExchangeGroup());
    }

    @Test
    void aClientWithoutTheServersFirstGroupIsServedAfterAHelloRetry() throws Exception {
        TlsPolicy p256Only = TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":-GROUP-ALL:+GROUP-SECP256R1");
        byte[] secret = secret(32);
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(DEFAULT, secret, p256Only, key("ed25519"));
        assertEquals("secp256r1", outcomes.acceptor().get().keyExchangeGroup());
        assertArrayEquals(secret, outcomes.connector().get());
    }

    @Test
    void theClientsOrderWinsUnlessItClaimsServerPrecedence() throws Exception {
        String chachaFirst = "NONE:+VERS-TLS1.3:+CHACHA20-POLY1305:+AES-256-GCM:+AEAD:+GROUP-ALL:+SIGN-ALL:+CTYPE-RAWPK";
        assertEquals("TLS_AES_256_GCM_SHA384", exchange(DEFAULT, secret(8), TlsPolicy.parse(chachaFirst),
                key("ed25519")).acceptor().get().cipherSuite());
        assertEquals("TLS_CHACHA20_POLY1305_SHA256", exchange(DEFAULT, secret(8),
                TlsPolicy.parse(chachaFirst + ":%SERVER_PRECEDENCE"), key("ed25519")).acceptor().get().cipherSuite());
    }

    @Test
    void bothEndsWorkWithoutMiddleboxCompatibilityMode() throws Exception {
        TlsPolicy plain = TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":%DISABLE_TLS13_COMPAT_MODE");
        byte[] secret = secret(16);
        Loopback.Outcomes<PeerSession, byte[]> outcomes = exchange(plain, secret, plain, key("ecdsa-p256"));
        outcomes.acceptor().get();
        assertArrayEquals(secret, outcomes.connector().get());
    }

    @Test
    void aSessionIsClosedOnlyOnce() throws Exception {
        PeerSession session = exchange(DEFAULT, secret(8), DEFAULT, key("ed25519")).acceptor().get();
        assertThrows(IllegalStateException.class, () -> session.sendAndClose(new byte[1]));
        assertThrows(IllegalStateException.class, session::closeWithoutData);
    }
}

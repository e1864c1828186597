package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's non-blocking exchange against the Mandos client's side, fed in pieces of every size. */
class NonBlockingExchangeTest {

    private static final TlsPolicy DEFAULT = TlsPolicy.defaultPolicy();
    private static KeyPair key(String type) {
        return MandosEnds.key(type);
    }

    private static byte[] secret(int length) {
        return MandosEnds.secret(length);
    }

    @ParameterizedTest
    @CsvSource({"ed25519, 1", "ed25519, 100", "ed25519, 65536", "ecdsa-p256, 13", "rsa-2048, 4096"})
    void theSecretArrivesWhateverPiecesTheInputComesIn(String type, int chunk) throws Exception {
        KeyPair key = key(type);
        byte[] secret = secret(20_000);
        Loopback.Outcomes<TlsPeer, byte[]> outcomes = Loopback.run(MandosEnds.nonBlockingServer(DEFAULT, secret, chunk),
                MandosEnds.client(DEFAULT, key));

        TlsPeer peer = outcomes.acceptor().get();
        assertArrayEquals(secret, outcomes.connector().get());
        assertEquals(KeyIds.of(key.getPublic()), peer.keyId());
        assertEquals("TLS_AES_256_GCM_SHA384", peer.cipherSuite());
        assertEquals("x25519", peer.keyExchangeGroup());
        assertFalse(peer.toString().isEmpty());
    }

    @Test
    void aDenialSendsNothingButClosesCleanly() throws Exception {
        Loopback.Outcomes<TlsPeer, byte[]> outcomes = Loopback.run(MandosEnds.nonBlockingServer(DEFAULT, null, 512),
                MandosEnds.client(DEFAULT, key("ed25519")));
        outcomes.acceptor().get();
        assertEquals(0, outcomes.connector().get().length);
    }

    @Test
    void theExchangeDescribesNoPeerBeforeTheHandshake() throws Exception {
        TlsClientExchange exchange = RawKeyTlsClient.start(DEFAULT, MandosEnds.RANDOM);
        assertTrue(exchange.outputAvailable() > 0, "the ClientHello waits to be sent");
        assertFalse(exchange.handshakeComplete());
        assertThrows(IllegalStateException.class, exchange::peer);
        TlsFailure failure = assertThrows(TlsFailure.class, exchange::closeWithoutData);
        assertEquals(TlsFailure.Kind.CONNECTION, failure.kind());
    }

    @Test
    void aPeerThatGivesUpWhileWeWaitIsGone() throws Exception {
        Loopback.Outcomes<Boolean, byte[]> outcomes = Loopback.run(socket -> {
            MandosEnds.readProtocolLine(socket.getInputStream());
            TlsClientExchange exchange = RawKeyTlsClient.start(DEFAULT, MandosEnds.RANDOM);
            MandosEnds.pump(socket, exchange, 1024, exchange::handshakeComplete);
            // Waiting for an approval: no answer until the peer's time-out ends its side.
            TlsFailure failure = assertThrows(TlsFailure.class,
                    () -> MandosEnds.pump(socket, exchange, 1024, exchange::peerGone));
            assertTrue(exchange.peerGone());
            assertThrows(TlsFailure.class, () -> exchange.sendAndClose(new byte[] {1}));
            return failure.kind() == TlsFailure.Kind.CONNECTION || failure.kind() == TlsFailure.Kind.PROTOCOL;
        }, socket -> {
            socket.setSoTimeout(300);
            MandosEnds.writeProtocolLine(socket);
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), DEFAULT,
                    key("ed25519"), MandosEnds.RANDOM);
        });
        assertTrue(outcomes.acceptor().get());
        TlsFailure clientSide = outcomes.connector().failure(TlsFailure.class);
        assertTrue(clientSide.getCause() instanceof SocketTimeoutException || clientSide.kind() != null);
    }
}

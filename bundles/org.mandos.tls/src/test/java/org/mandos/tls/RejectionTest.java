package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.mandos.tls.internal.TestPeers;

/** Peers that the Mandos server's and client's sides must refuse, each with its own explanation. */
class RejectionTest {

    private static final TlsPolicy DEFAULT = TlsPolicy.defaultPolicy();

    /** The Mandos server's side: handshake only, no protocol-line check beyond reading it. */
    private static Loopback.Side<PeerSession> mandosServer() {
        return socket -> {
            InputStream in = socket.getInputStream();
            MandosEnds.readProtocolLine(in);
            return RawKeyTlsClient.handshake(in, socket.getOutputStream(), DEFAULT, MandosEnds.RANDOM);
        };
    }

    /** The same on the non-blocking exchange, fed in small pieces. */
    private static Loopback.Side<TlsPeer> nonBlockingMandosServer() {
        return socket -> {
            MandosEnds.readProtocolLine(socket.getInputStream());
            TlsClientExchange exchange = RawKeyTlsClient.start(DEFAULT, MandosEnds.RANDOM);
            try {
                MandosEnds.pump(socket, exchange, 7, exchange::handshakeComplete);
            } finally {
                MandosEnds.send(socket, exchange);
            }
            return exchange.peer();
        };
    }

    /** Runs the peer against both of the server's drivers; they must fail alike. Returns the blocking one's. */
    private static TlsFailure serverFailure(Loopback.Side<?> mandosClient) throws Exception {
        TlsFailure blocking = Loopback.run(mandosServer(), mandosClient).acceptor().failure(TlsFailure.class);
        TlsFailure nonBlocking = Loopback.run(nonBlockingMandosServer(), mandosClient).acceptor()
                .failure(TlsFailure.class);
        assertEquals(blocking.kind(), nonBlocking.kind(), nonBlocking.getMessage());
        assertEquals(blocking.getMessage(), nonBlocking.getMessage());
        return blocking;
    }

    private static void assertMentions(TlsFailure failure, String... words) {
        for (String word : words) {
            assertTrue(failure.getMessage().contains(word), "\"" + word + "\" missing in: " + failure.getMessage());
        }
        assertEquals(-1, failure.getMessage().indexOf('\n'), "one line");
    }

    @Test
    void aServerPresentingAnX509CertificateIsRejected() throws Exception {
        TlsFailure failure = serverFailure(socket -> TestPeers.x509Server(socket,
                KeyFilesTest.fixture("x509-ed25519-cert.pem"), KeyFilesTest.fixture("x509-ed25519-privkey.pem"),
                true, ProtocolVersion.TLSv13));
        assertEquals(TlsFailure.Kind.WRONG_CERTIFICATE_TYPE, failure.kind());
        assertMentions(failure, "X.509", "raw public key");
    }

    @Test
    void aServerThatHasNoRawPublicKeyToOfferIsRejectedAsLegacy() throws Exception {
        TlsFailure failure = serverFailure(socket -> TestPeers.x509Server(socket,
                KeyFilesTest.fixture("x509-ed25519-cert.pem"), KeyFilesTest.fixture("x509-ed25519-privkey.pem"),
                false, ProtocolVersion.TLSv13));
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "raw public key", "OpenPGP", "unsupported_certificate");
    }

    @Test
    void aServerWithoutTls13IsRejectedAsLegacy() throws Exception {
        TlsFailure failure = serverFailure(socket -> TestPeers.x509Server(socket,
                KeyFilesTest.fixture("x509-ed25519-cert.pem"), KeyFilesTest.fixture("x509-ed25519-privkey.pem"),
                true, ProtocolVersion.TLSv12));
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "raw public key", "OpenPGP", "protocol_version");
    }

    @Test
    void aServerAnsweringWithATls12ServerHelloIsRejectedAsLegacy() throws Exception {
        TlsFailure failure = serverFailure(TestPeers::tls12ServerHello);
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "older than 1.3", "raw public key", "OpenPGP");
    }

    @Test
    void aPeerThatHangsUpAfterTheHelloIsAConnectionFailure() throws Exception {
        TlsFailure failure = serverFailure(TestPeers::closeAfterClientHello);
        assertEquals(TlsFailure.Kind.CONNECTION, failure.kind());
        assertMentions(failure, "closed the connection during the TLS handshake");
    }

    @Test
    void aPeerSendingGarbageIsAProtocolFailure() throws Exception {
        TlsFailure failure = serverFailure(socket -> {
            socket.getOutputStream().write("1\r\nSSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            return socket.getInputStream().readAllBytes();
        });
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
    }

    @Test
    void aKeyThePolicyCannotVerifyFailsOnBothSides() throws Exception {
        TlsPolicy ed25519Only = TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":-SIGN-ALL:+SIGN-EDDSA-ED25519");
        Loopback.Outcomes<PeerSession, byte[]> outcomes = Loopback.run(MandosEnds.server(ed25519Only, new byte[1]),
                MandosEnds.client(DEFAULT, KeyFiles.generate("ecdsa-p256")));
        assertMentions(outcomes.connector().failure(TlsFailure.class), "no signature scheme", "ECDSA P-256");
        outcomes.acceptor().failure(TlsFailure.class);
    }

    @Test
    void aClientReceivingDataWithoutCloseNotifyDiscardsIt() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Loopback.Outcomes<Void, byte[]> outcomes = Loopback.run(
                socket -> TestPeers.mandosServerWithoutCloseNotify(socket, new byte[] {1, 2, 3}),
                MandosEnds.client(DEFAULT, key));
        TlsFailure failure = outcomes.connector().failure(TlsFailure.class);
        assertEquals(TlsFailure.Kind.TRUNCATED, failure.kind());
        assertMentions(failure, "without close_notify", "discarded");
    }

    @Test
    void aServerWhosePeerHangsUpWithoutCloseNotifyReportsAnIncompleteClose() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        byte[] secret = {42, 43, 44};
        Loopback.Outcomes<PeerSession, byte[]> outcomes = Loopback.run(MandosEnds.server(DEFAULT, secret),
                socket -> TestPeers.mandosClientDroppingAfterData(socket, key, secret.length));
        assertArrayEquals(secret, outcomes.connector().get());
        TlsFailure failure = outcomes.acceptor().failure(TlsFailure.class);
        assertEquals(TlsFailure.Kind.CLOSE_INCOMPLETE, failure.kind());
    }

    @Test
    void aClientFacingAServerThatWantsNoRawPublicKeyRefusesIt() throws Exception {
        Loopback.Outcomes<Void, byte[]> outcomes = Loopback.run(
                socket -> TestPeers.plainClient(socket, ProtocolVersion.TLSv13),
                MandosEnds.client(DEFAULT, KeyFiles.generate("ed25519")));
        TlsFailure failure = outcomes.connector().failure(TlsFailure.class);
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "raw public key");
    }

    @Test
    void aClientFacingATls12ServerRefusesIt() throws Exception {
        Loopback.Outcomes<Void, byte[]> outcomes = Loopback.run(
                socket -> TestPeers.plainClient(socket, ProtocolVersion.TLSv12),
                MandosEnds.client(DEFAULT, KeyFiles.generate("ed25519")));
        TlsFailure failure = outcomes.connector().failure(TlsFailure.class);
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "TLS 1.3");
    }

    @Test
    void anUnsupportedClientKeyIsAnArgumentError() throws Exception {
        KeyPair dsa = KeyPairGenerator.getInstance("DSA").generateKeyPair();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawKeyTlsServer.receive(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                        DEFAULT, dsa, MandosEnds.RANDOM));
        assertTrue(e.getMessage().contains("unsupported key type"), e.getMessage());
    }
}

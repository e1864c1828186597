package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mandos.tls.Wire.assertRefused;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsServer;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandos.tls.Wire.BcPeer;
import org.mandos.tls.Wire.Peer;
import org.mandos.tls.Wire.Result;
import org.mandos.tls.Wire.Tamper;
import org.mandos.tls.internal.HostileServer;

/**
 * A hostile Mandos client, which in TLS is the server answering the Mandos server's ClientHello: random
 * records, truncated and oversized messages, the wrong kind of certificate, TLS 1.2 and non-PFS answers,
 * renegotiation and post-handshake messages. Both of the server's drivers must refuse alike (a
 * {@link TlsFailure} with one line, or a session that sends nothing), with bounded memory, and the secret
 * never goes anywhere but to a peer that proved its key.
 */
class HostilePeerTest {

    /** Far below the 16 MiB a hostile length field claims; a whole normal exchange allocates less. */
    private static final long ALLOCATION_LIMIT = 4L << 20;
    private static final int[] CHUNKS = {1, 7, 100, 4096, 65536};

    private static final KeyPair KEY = MandosEnds.key("ed25519");

    // Helpers.

    private static List<Result> refusedByBoth(Supplier<Peer> peers, int chunk) throws IOException {
        List<Result> results = Wire.both(peers, chunk);
        for (Result result : results) {
            assertRefused(result);
            assertTrue(result.allocatedBytes() < ALLOCATION_LIMIT,
                    result + " allocated " + result.allocatedBytes() + " bytes");
        }
        return results;
    }

    private static TlsFailure failure(List<Result> results) {
        TlsFailure failure = results.get(0).failure();
        assertNotNull(failure, results.get(0) + ": expected a TLS failure");
        return failure;
    }

    private static void assertMentions(TlsFailure failure, String... words) {
        for (String word : words) {
            assertTrue(failure.getMessage().contains(word), "\"" + word + "\" missing in: " + failure.getMessage());
        }
    }

    private static Supplier<Peer> bc(Supplier<HostileServer> server, Tamper tamper) {
        return () -> {
            try {
                return new BcPeer(server.get(), tamper);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static HostileServer honest() {
        return new HostileServer(MandosEnds.RANDOM, KEY, KEY);
    }

    /** A record header and body. */
    private static byte[] record(int type, byte[] body) {
        byte[] record = new byte[5 + body.length];
        record[0] = (byte) type;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte) (body.length >>> 8);
        record[4] = (byte) body.length;
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    /** A handshake message: type, 24-bit length, body. */
    private static byte[] handshake(int type, byte[] body) {
        byte[] message = new byte[4 + body.length];
        message[0] = (byte) type;
        message[1] = (byte) (body.length >>> 16);
        message[2] = (byte) (body.length >>> 8);
        message[3] = (byte) body.length;
        System.arraycopy(body, 0, message, 4, body.length);
        return message;
    }

    private static byte[] concat(byte[]... parts) {
        return Wire.concat(Arrays.asList(parts));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Keeps the peer's first flight up to and including its ServerHello record, then {@code rest}, then closes. */
    private static Tamper afterServerHello(byte[] rest) {
        return (flight, output, protocol) -> {
            if (flight > 0) {
                return null;
            }
            return concat(Wire.records(output).get(0), rest);
        };
    }

    // Random records and bytes.

    @Test
    void randomRecordsAreRefusedAlike() throws IOException {
        Random random = new Random(0x6d616e646f73L);
        int[] types = {20, 21, 22, 23, 24, 0, 255};
        for (int i = 0; i < 300; i++) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int records = 1 + random.nextInt(3);
            for (int r = 0; r < records; r++) {
                int type = types[random.nextInt(types.length)];
                int length = random.nextInt(4) == 0 ? random.nextInt(16) : random.nextInt(16384 + 400);
                byte[] body = randomBytes(random, length);
                if (type == 22 && length >= 4 && random.nextBoolean()) {
                    // A ServerHello header with a plausible length: deeper into the parser.
                    body[0] = 2;
                    body[1] = 0;
                    body[2] = (byte) ((length - 4) >>> 8);
                    body[3] = (byte) (length - 4);
                }
                byte[] record = record(type, new byte[0]);
                record[1] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : 3;
                record[2] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 1 + random.nextInt(3));
                // Sometimes the header lies about the length.
                int claimed = random.nextInt(5) == 0 ? random.nextInt(65536) : length;
                record[3] = (byte) (claimed >>> 8);
                record[4] = (byte) claimed;
                answer.writeBytes(record);
                answer.writeBytes(body);
            }
            byte[] bytes = answer.toByteArray();
            int chunk = CHUNKS[random.nextInt(CHUNKS.length)];
            List<Result> results = refusedByBoth(() -> Wire.answersOnce(bytes), chunk);
            assertNotNull(results.get(0).failure(), "iteration " + i);
        }
    }

    @Test
    void randomBytesOfEveryLengthAreRefusedAlike() throws IOException {
        Random random = new Random(7250);
        List<Integer> lengths = new ArrayList<>();
        for (int length = 1; length <= 64; length++) {
            lengths.add(length);
        }
        lengths.addAll(List.of(100, 1000, 16384, 16389, 16390, 16645, 16646, 20000, 70000, 1 << 20));
        for (int length : lengths) {
            byte[] bytes = randomBytes(random, length);
            int chunk = CHUNKS[random.nextInt(CHUNKS.length)];
            List<Result> results = refusedByBoth(() -> Wire.answersOnce(bytes), chunk);
            assertNotNull(results.get(0).failure(), "length " + length);
        }
    }

    // Truncated handshake messages.

    @Test
    void aServerHelloRecordCutShortAtEveryPositionIsAConnectionFailure() throws IOException {
        for (int cut = 1; cut < 60; cut++) {
            int at = cut;
            TlsFailure failure = failure(refusedByBoth(bc(HostilePeerTest::honest, (flight, output, protocol) -> {
                if (flight > 0) {
                    return null;
                }
                byte[] serverHello = Wire.records(output).get(0);
                return Arrays.copyOf(serverHello, Math.min(at, serverHello.length - 1));
            }), at % 2 == 0 ? 1 : 65536));
            assertEquals(TlsFailure.Kind.CONNECTION, failure.kind(), failure.getMessage());
            assertMentions(failure, "closed the connection during the TLS handshake");
        }
    }

    @Test
    void aServerHelloMessageCutShortInsideItsRecordIsAConnectionFailure() throws IOException {
        TlsFailure failure = failure(refusedByBoth(bc(HostilePeerTest::honest, (flight, output, protocol) -> {
            if (flight > 0) {
                return null;
            }
            byte[] serverHello = Wire.records(output).get(0);
            // The message header still claims the whole message; the record holds only its first 40 bytes.
            return record(22, Arrays.copyOfRange(serverHello, 5, 5 + 40));
        }), 65536));
        assertEquals(TlsFailure.Kind.CONNECTION, failure.kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 38, 39, 40, 60})
    void aServerHelloCutShortAndFollowedByGarbageIsAProtocolFailure(int kept) throws IOException {
        Random random = new Random(kept);
        byte[] garbage = randomBytes(random, 200);
        TlsFailure failure = failure(refusedByBoth(bc(HostilePeerTest::honest, (flight, output, protocol) -> {
            if (flight > 0) {
                return null;
            }
            byte[] serverHello = Wire.records(output).get(0);
            // The rest of the message comes from a second record of garbage.
            return concat(record(22, Arrays.copyOfRange(serverHello, 5, 5 + kept)), record(22, garbage));
        }), kept % 2 == 0 ? 3 : 4096));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind(), failure.getMessage());
    }

    @Test
    void aServerHelloCutShortAndFollowedByRawGarbageIsRefused() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = randomBytes(random, 1 + random.nextInt(300));
            int kept = 1 + random.nextInt(80);
            refusedByBoth(bc(HostilePeerTest::honest, (flight, output, protocol) -> {
                if (flight > 0) {
                    return null;
                }
                byte[] serverHello = Wire.records(output).get(0);
                return concat(Arrays.copyOf(serverHello, Math.min(kept, serverHello.length - 1)), garbage);
            }), CHUNKS[i % CHUNKS.length]);
        }
    }

    // Oversized messages and records.

    @Test
    void aHandshakeMessageClaiming16MiBIsRefusedAtItsHeader() throws IOException {
        // Only the header arrives: waiting for the body would end as a connection failure at the close.
        byte[] header = record(22, new byte[] {2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        TlsFailure failure = failure(refusedByBoth(() -> Wire.answersOnce(header), 1));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
        assertMentions(failure, "exceeds the maximum", "16777215");
    }

    @Test
    void a16MiBHandshakeMessageIsRefusedBeforeItsBodyIsRead() throws IOException {
        // The header and the start of a body that would follow: refused after the first record.
        byte[] first = record(22, concat(new byte[] {2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, new byte[16380]));
        byte[] more = record(22, new byte[16384]);
        List<Result> results = refusedByBoth(() -> new Peer() {
            private int calls;

            @Override
            public byte[] answer(byte[] fromServer) {
                // 1024 records (16 MiB) if the server kept reading; it must stop after the first.
                return calls++ == 0 ? first : calls < 1024 ? more : null;
            }
        }, 65536);
        assertMentions(failure(results), "exceeds the maximum");
    }

    @Test
    void anEncryptedExtensionsMessageOver32KiBIsRefused() throws IOException {
        TlsFailure failure = failure(refusedByBoth(bc(
                () -> honest().extraExtension(0xFAFA, new byte[60_000]), (flight, output, protocol) -> output), 4096));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
        assertMentions(failure, "exceeds the maximum", "encrypted_extensions");
    }

    @ParameterizedTest
    @ValueSource(ints = {16385, 16641, 65535})
    void aPlaintextRecordOverTheLimitIsRefusedAtItsHeader(int length) throws IOException {
        byte[] header = {22, 3, 3, (byte) (length >>> 8), (byte) length};
        TlsFailure failure = failure(refusedByBoth(() -> Wire.answersOnce(header), 1));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
        assertMentions(failure, "record_overflow");
    }

    /**
     * RFC 8446 5.2 allows at most 2^14 + 256 bytes; with the AEADs of TLS 1.3 the most a record can hold is
     * 2^14 + 1 (content type) + 16 (tag), and Bouncy Castle refuses anything longer.
     */
    @ParameterizedTest
    @ValueSource(ints = {(1 << 14) + 1 + 16 + 1, (1 << 14) + 256, (1 << 14) + 256 + 1, 65535})
    void anEncryptedRecordOverTheLimitIsRefusedAtItsHeader(int length) throws IOException {
        byte[] header = {23, 3, 3, (byte) (length >>> 8), (byte) length};
        TlsFailure failure = failure(refusedByBoth(bc(HostilePeerTest::honest, afterServerHello(header)), 65536));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
        assertMentions(failure, "record_overflow");
    }

    @Test
    void anEncryptedRecordOfTheLargestAllowedSizeIsReadAndFailsToDecrypt() throws IOException {
        // The limit is not too tight: 2^14 + 1 + 16 is read (and, being garbage, fails authentication).
        byte[] record = record(23, randomBytes(new Random(1), (1 << 14) + 1 + 16));
        TlsFailure failure = failure(refusedByBoth(bc(HostilePeerTest::honest, afterServerHello(record)), 4096));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
        assertMentions(failure, "bad_record_mac");
    }

    // The wrong certificate.

    @Test
    void anX509CertificateInTheRawPublicKeyEntryIsRefusedWithBadCertificate() throws IOException {
        byte[] x509 = pemBody(KeyFilesTest.fixture("x509-ed25519-cert.pem"));
        List<HostileServer> servers = new ArrayList<>();
        TlsFailure failure = failure(refusedByBoth(bc(() -> {
            HostileServer server = honest().entryEncoding(x509);
            servers.add(server);
            return server;
        }, (flight, output, protocol) -> output), 4096));
        assertEquals(TlsFailure.Kind.WRONG_CERTIFICATE_TYPE, failure.kind(), failure.getMessage());
        assertMentions(failure, "X.509", "raw public key");
        for (HostileServer server : servers) {
            // Not internal_error, which Bouncy Castle would send for its parser's unchecked exception.
            assertEquals(List.of(AlertDescription.bad_certificate), server.alertsReceived());
        }
    }

    @Test
    void aRawPublicKeyEntryOfRandomBytesIsRefusedWithBadCertificate() throws IOException {
        Random random = new Random(8446);
        for (int length : new int[] {1, 2, 32, 44, 100, 1000}) {
            byte[] entry = randomBytes(random, length);
            entry[0] = 0x30; // a SEQUENCE, to get past the first byte
            List<HostileServer> servers = new ArrayList<>();
            TlsFailure failure = failure(refusedByBoth(bc(() -> {
                HostileServer server = honest().entryEncoding(entry);
                servers.add(server);
                return server;
            }, (flight, output, protocol) -> output), 4096));
            assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind(), failure.getMessage());
            assertMentions(failure, "bad_certificate", "not a DER SubjectPublicKeyInfo");
            for (HostileServer server : servers) {
                assertEquals(List.of(AlertDescription.bad_certificate), server.alertsReceived());
            }
        }
    }

    @Test
    void aPeerPresentingAnotherClientsKeyWithoutItsPrivateKeyIsRefused() throws IOException {
        KeyPair victim = MandosEnds.key("ed25519");
        KeyPair attacker = MandosEnds.key("ed448");
        TlsFailure failure = failure(refusedByBoth(bc(() -> new HostileServer(MandosEnds.RANDOM, victim, attacker),
                (flight, output, protocol) -> output), 4096));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind(), failure.getMessage());
    }

    @Test
    void aPeerSigningWithAnotherKeyOfTheSameTypeIsRefused() throws IOException {
        KeyPair victim = MandosEnds.key("ed25519");
        KeyPair attacker = KeyFiles.generate("ed25519");
        TlsFailure failure = failure(refusedByBoth(bc(() -> new HostileServer(MandosEnds.RANDOM, victim, attacker),
                (flight, output, protocol) -> output), 4096));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind(), failure.getMessage());
        assertMentions(failure, "decrypt_error");
    }

    private static byte[] pemBody(java.nio.file.Path pem) throws IOException {
        String text = Files.readString(pem);
        String base64 = text.substring(text.indexOf("-----", text.indexOf("BEGIN")) + 5, text.indexOf("-----END"));
        return Base64.getMimeDecoder().decode(base64);
    }

    // TLS 1.2 and non-PFS answers.

    /** The session ID of the ClientHello at the start of {@code fromServer} (compatibility mode echoes it). */
    private static byte[] sessionId(byte[] fromServer) {
        int at = 5 + 4 + 2 + 32;
        return Arrays.copyOfRange(fromServer, at + 1, at + 1 + (fromServer[at] & 0xFF));
    }

    private static byte[] serverHello(byte[] version, byte[] sessionId, int suite, byte[] extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(randomBytes(new Random(3), 32));
        body.write(sessionId.length);
        body.writeBytes(sessionId);
        body.write(suite >>> 8);
        body.write(suite);
        body.write(0);
        if (extensions != null) {
            body.write(extensions.length >>> 8);
            body.write(extensions.length);
            body.writeBytes(extensions);
        }
        return handshake(2, body.toByteArray());
    }

    @Test
    void aTls12ServerWithStaticRsaKeyExchangeIsRefusedAsLegacy() throws IOException {
        byte[] x509 = pemBody(KeyFilesTest.fixture("x509-ed25519-cert.pem"));
        TlsFailure failure = failure(refusedByBoth(() -> new Peer() {
            private int calls;

            @Override
            public byte[] answer(byte[] fromServer) {
                if (calls++ > 0) {
                    return null;
                }
                // TLS_RSA_WITH_AES_128_GCM_SHA256: no forward secrecy; then Certificate and ServerHelloDone.
                byte[] hello = serverHello(new byte[] {3, 3}, sessionId(fromServer), 0x009C, null);
                byte[] entry = concat(new byte[] {0, (byte) (x509.length >>> 8), (byte) x509.length}, x509);
                byte[] certificate = handshake(11, concat(new byte[] {0, (byte) (entry.length >>> 8),
                        (byte) entry.length}, entry));
                return record(22, concat(hello, certificate, handshake(14, new byte[0])));
            }
        }, 4096));
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "older than 1.3");
    }

    @Test
    void aBouncyCastleServerWithOnlyTls12AndStaticRsaIsRefusedAsLegacy() throws IOException {
        Supplier<TlsServer> server = () -> new DefaultTlsServer(new BcTlsCrypto(MandosEnds.RANDOM)) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return new int[] {CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256};
            }
        };
        TlsFailure failure = failure(refusedByBoth(() -> {
            try {
                return new BcPeer(server.get(), (flight, output, protocol) -> output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, 4096));
        assertEquals(TlsFailure.Kind.NO_RAW_PUBLIC_KEY, failure.kind());
        assertMentions(failure, "protocol_version", "OpenPGP");
    }

    @Test
    void aTls13ServerHelloChoosingAStaticRsaSuiteIsRefused() throws IOException {
        TlsFailure failure = failure(refusedByBoth(() -> new Peer() {
            private int calls;

            @Override
            public byte[] answer(byte[] fromServer) {
                if (calls++ > 0) {
                    return null;
                }
                byte[] supportedVersions = {0, 43, 0, 2, 3, 4};
                byte[] keyShare = concat(new byte[] {0, 51, 0, 36, 0, 29, 0, 32}, new byte[32]);
                return record(22, serverHello(new byte[] {3, 3}, sessionId(fromServer), 0x009C,
                        concat(supportedVersions, keyShare)));
            }
        }, 4096));
        assertEquals(TlsFailure.Kind.PROTOCOL, failure.kind());
        assertMentions(failure, "illegal_parameter");
    }

    // Renegotiation and post-handshake messages.

    private static byte[] helloRequests(int count) {
        return repeat(handshake(0, new byte[0]), count);
    }

    private static byte[] repeat(byte[] bytes, int count) {
        byte[] out = new byte[bytes.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(bytes, 0, out, i * bytes.length, bytes.length);
        }
        return out;
    }

    /** The secret reached the peer that proved its key, and only once. */
    private static void assertDeliveredOnlyTo(List<Result> results, List<BcPeer> peers, int perPeerByte) {
        for (Result result : results) {
            assertEquals("secret sent", result.outcome(), result.toString());
            // Work (all memory allocated, mostly garbage at once) grows only with what the peer sends.
            assertTrue(result.allocatedBytes() < ALLOCATION_LIMIT + (long) perPeerByte * result.peerBytes(),
                    result + " allocated " + result.allocatedBytes() + " for " + result.peerBytes() + " bytes received");
            Wire.assertNoCanary(result);
        }
        for (BcPeer peer : peers) {
            assertArrayEquals(Wire.SECRET, peer.received());
        }
    }

    private static List<Result> deliveredByBoth(Supplier<HostileServer> server, Tamper tamper, int chunk,
            int perPeerByte) throws IOException {
        List<BcPeer> peers = new ArrayList<>();
        List<Result> results = Wire.both(() -> {
            try {
                BcPeer peer = new BcPeer(server.get(), tamper);
                peers.add(peer);
                return peer;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, chunk);
        assertDeliveredOnlyTo(results, peers, perPeerByte);
        return results;
    }

    @Test
    void anHonestPeerGetsTheSecretThroughThisHarness() throws IOException {
        // Makes sure the harness can tell a delivery from a refusal.
        deliveredByBoth(HostilePeerTest::honest, (flight, output, protocol) -> output, 4096, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    void helloRequestsBeforeTheServerHelloAreIgnoredInBoundedMemory(int chunk) throws IOException {
        // RFC 5246 7.4.1.1: ignored while negotiating, and not part of the transcript. 64 Ki of them.
        byte[] flood = repeat(record(22, helloRequests(4096)), 16);
        deliveredByBoth(HostilePeerTest::honest, (flight, output, protocol) ->
                flight == 0 ? concat(flood, output) : output, chunk, 64);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void anEncryptedHelloRequestAfterTheHandshakeEndsTheSessionWithoutTheSecret(int flight) throws IOException {
        postHandshakeRefused(flight, record -> record.writeRecord((short) 22, handshake(0, new byte[0])));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aPostHandshakeCertificateRequestEndsTheSessionWithoutTheSecret(int flight) throws IOException {
        // certificate_request_context "x", extensions: signature_algorithms (ed25519).
        byte[] body = {1, 'x', 0, 8, 0, 13, 0, 4, 0, 2, 8, 7};
        postHandshakeRefused(flight, protocol -> protocol.writeRecord((short) 22, handshake(13, body)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void applicationDataFromThePeerBeforeItsAnswerMeansItHasGone(int flight) throws IOException {
        postHandshakeRefused(flight, protocol -> protocol.writeRecord((short) 23, "hello?".getBytes()));
    }

    @Test
    void aKeyUpdateWithAnInvalidRequestEndsTheSessionWithoutTheSecret() throws IOException {
        postHandshakeRefused(1, protocol -> protocol.writeRecord((short) 22, handshake(24, new byte[] {2})));
    }

    private interface Injection {
        void inject(HostileServer.Protocol protocol) throws IOException;
    }

    private static void postHandshakeRefused(int atFlight, Injection injection) throws IOException {
        for (int chunk : new int[] {1, 65536}) {
            List<BcPeer> peers = new ArrayList<>();
            List<Result> results = refusedByBoth(() -> {
                try {
                    BcPeer peer = new BcPeer(honest(), (flight, output, protocol) -> {
                        if (flight == atFlight) {
                            injection.inject(protocol);
                            byte[] more = new byte[protocol.getAvailableOutputBytes()];
                            protocol.readOutput(more, 0, more.length);
                            return concat(output, more);
                        }
                        return output;
                    });
                    peers.add(peer);
                    return peer;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, chunk);
            for (Result result : results) {
                assertEquals("peer gone, nothing sent", result.outcome(), "chunk " + chunk + ": " + result);
            }
            for (BcPeer peer : peers) {
                assertEquals(0, peer.received().length, "the peer received data");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    void aKeyUpdateFloodCostsBoundedWorkAndTheSecretStillReachesOnlyThePeer(int chunk) throws IOException {
        List<Result> results = deliveredByBoth(HostilePeerTest::honest, (flight, output, protocol) -> {
            if (flight == 1) {
                for (int i = 0; i < 2000; i++) {
                    protocol.keyUpdate(true);
                }
                byte[] more = new byte[protocol.getAvailableOutputBytes()];
                protocol.readOutput(more, 0, more.length);
                return concat(output, more);
            }
            return output;
        }, chunk, 2048);
        for (Result result : results) {
            // One KeyUpdate of our own answers them all: the written bytes do not grow with the flood.
            assertTrue(result.written().length < 4096, result + " wrote " + result.written().length + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aNewSessionTicketStormIsIgnoredInBoundedMemory(int atFlight) throws IOException {
        // lifetime, age_add, nonce<1>, ticket<1000>, no extensions
        byte[] ticket = handshake(4, concat(new byte[] {0, 0, 0x0E, 0x10, 1, 2, 3, 4, 1, 0, 0x03, (byte) 0xE8},
                new byte[1000], new byte[] {0, 0}));
        byte[] sixteen = repeat(ticket, 16);
        deliveredByBoth(HostilePeerTest::honest, (flight, output, protocol) -> {
            if (flight == atFlight) {
                for (int i = 0; i < 256; i++) {
                    protocol.writeRecord((short) 22, sixteen);
                }
                byte[] more = new byte[protocol.getAvailableOutputBytes()];
                protocol.readOutput(more, 0, more.length);
                return concat(output, more);
            }
            return output;
        }, 65536, 64);
    }
}

package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.tls.TlsServer;
import org.mandos.tls.internal.HostileServer;

/**
 * Runs the Mandos server's two TLS drivers (the blocking {@link RawKeyTlsClient#handshake} with
 * {@link PeerSession}, and the non-blocking {@link TlsClientExchange}) against a scripted peer, in memory, on
 * the calling thread: deterministic, no sockets, no sleeping, and the memory each run allocates can be
 * measured. Each driver does what the server does: handshake, then, if the peer is still waiting, send
 * {@link #SECRET} and close.
 */
final class Wire {

    /** A canary: it must never be found in what the server writes, and reaches only an authenticated peer. */
    static final byte[] SECRET = "canary:0f1e2d3c4b5a69788796a5b4c3d2e1f0".getBytes(StandardCharsets.US_ASCII);

    private static final TlsPolicy POLICY = TlsPolicy.defaultPolicy();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** No peer in these tests sends more; a driver that keeps asking is looping. */
    private static final long MAX_PEER_BYTES = 64L << 20;

    private Wire() {
    }

    /** The TLS server side of the connection: the (hostile) Mandos client. */
    @FunctionalInterface
    interface Peer {
        /**
         * Called with everything the server wrote since the last call; returns what the peer sends now:
         * bytes, an empty array if it sends nothing (a read would time out), or null if it closed the
         * connection.
         */
        byte[] answer(byte[] fromServer) throws IOException;
    }

    /** How a driver ended. */
    record Result(String driver, TlsFailure failure, boolean gone, boolean secretHandedOver, byte[] written,
            byte[] writtenAfterLastInput, long allocatedBytes, long peerBytes) {

        /** What both drivers must agree on. */
        String outcome() {
            if (failure != null) {
                return failure.kind() + ": " + failure.getMessage();
            }
            return gone ? "peer gone, nothing sent" : "secret sent";
        }

        boolean refused() {
            return !secretHandedOver;
        }

        @Override
        public String toString() {
            return driver + ": " + outcome();
        }
    }

    /** Runs both drivers, each against a fresh peer; they must reach the same outcome. Returns both. */
    static List<Result> both(Supplier<Peer> peers, int chunk) throws IOException {
        Result blocking = blocking(peers.get());
        Result nonBlocking = nonBlocking(peers.get(), chunk);
        assertEquals(blocking.outcome(), nonBlocking.outcome(), "the drivers disagree");
        return List.of(blocking, nonBlocking);
    }

    /**
     * Asserts what every hostile peer gets: no secret handed over, a one-line failure message (if any) that
     * mentions no secret, the canary nowhere in the written bytes, and at most a short alert written after the
     * peer's last input.
     */
    static void assertRefused(Result result) {
        assertTrue(result.refused(), result + ": the secret was handed over");
        assertNoCanary(result);
        if (result.failure() != null) {
            assertOneLineWithoutSecret(result.failure());
        }
        assertAlertOrNothing(result.writtenAfterLastInput(), result.toString());
    }

    static void assertNoCanary(Result result) {
        assertEquals(-1, indexOf(result.written(), SECRET), result + ": the secret was written in the clear");
    }

    static void assertOneLineWithoutSecret(TlsFailure failure) {
        String canary = new String(SECRET, StandardCharsets.US_ASCII);
        assertEquals(-1, failure.getMessage().indexOf('\n'), "one line: " + failure.getMessage());
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertTrue(t.toString().indexOf(canary) < 0, "secret in " + t);
            assertTrue(!(t instanceof Error), "an Error escaped: " + t);
        }
    }

    /** Bytes written after the peer's last input: nothing, or TLS records ending with an alert (plain or protected). */
    static void assertAlertOrNothing(byte[] tail, String what) {
        if (tail.length == 0) {
            return;
        }
        List<byte[]> records = records(tail);
        byte[] last = records.get(records.size() - 1);
        if (last[0] == 21) {
            assertEquals(2, last[5], what + ": a plaintext alert must be fatal");
        } else {
            // After ServerHello an alert is protected: content type application_data, 2 bytes + type + tag.
            assertEquals(23, last[0], what + ": not an alert");
            assertTrue(last.length - 5 <= 2 + 1 + 16 + 255, what + ": too long for an alert");
        }
    }

    /** Splits {@code bytes} into TLS records (each with its header); fails on a partial record. */
    static List<byte[]> records(byte[] bytes) {
        List<byte[]> records = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            assertTrue(bytes.length - at >= 5, "partial record header");
            int length = ((bytes[at + 3] & 0xFF) << 8) | (bytes[at + 4] & 0xFF);
            assertTrue(bytes.length - at >= 5 + length, "partial record");
            records.add(Arrays.copyOfRange(bytes, at, at + 5 + length));
            at += 5 + length;
        }
        return records;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // The drivers.

    /** What the server wrote, all of it and since the peer's last input. */
    private static final class Recorder extends OutputStream {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final ByteArrayOutputStream unread = new ByteArrayOutputStream();
        final ByteArrayOutputStream sinceInput = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            all.write(b, off, len);
            unread.write(b, off, len);
            sinceInput.write(b, off, len);
        }

        byte[] takeUnread() {
            byte[] bytes = unread.toByteArray();
            unread.reset();
            return bytes;
        }
    }

    /** Asks the peer, counting what it sends. */
    private static final class Asker {
        private final Peer peer;
        private final Recorder recorder;
        private long delivered;

        Asker(Peer peer, Recorder recorder) {
            this.peer = peer;
            this.recorder = recorder;
        }

        byte[] ask() throws IOException {
            byte[] answer = peer.answer(recorder.takeUnread());
            if (answer != null && answer.length > 0) {
                recorder.sinceInput.reset();
                delivered += answer.length;
                if (delivered > MAX_PEER_BYTES) {
                    fail("the driver keeps reading: " + delivered + " bytes");
                }
            }
            return answer;
        }

        /** The connection is closed: the peer gets what was written last (e.g. an alert), its answer is lost. */
        void hangUp() throws IOException {
            byte[] last = recorder.takeUnread();
            if (last.length > 0) {
                peer.answer(last);
            }
        }
    }

    /** A socket input as the blocking driver sees it: the peer's answers, a time-out when it is silent. */
    private static final class ScriptedInput extends InputStream {
        private final Asker asker;
        private byte[] buffer = new byte[0];
        private int position;
        private boolean ended;

        ScriptedInput(Asker asker) {
            this.asker = asker;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == buffer.length) {
                if (ended) {
                    return -1;
                }
                byte[] answer = asker.ask();
                if (answer == null) {
                    ended = true;
                    return -1;
                }
                if (answer.length == 0) {
                    throw new SocketTimeoutException("Read timed out");
                }
                buffer = answer;
                position = 0;
            }
            int n = Math.min(len, buffer.length - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Bytes this thread allocated so far (HotSpot); 0 where the JVM cannot tell, which disables the bound. */
    private static long allocated() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()
                ? threads.getCurrentThreadAllocatedBytes() : 0;
    }

    /** The blocking driver: handshake, {@link PeerSession#peerIsWaiting()}, then the secret. */
    static Result blocking(Peer peer) throws IOException {
        Recorder recorder = new Recorder();
        Asker asker = new Asker(peer, recorder);
        long before = allocated();
        TlsFailure failure = null;
        boolean gone = false;
        boolean handedOver = false;
        try {
            PeerSession session = RawKeyTlsClient.handshake(new ScriptedInput(asker), recorder, POLICY, RANDOM);
            if (session.peerIsWaiting()) {
                handedOver = true;
                session.sendAndClose(SECRET.clone());
            } else {
                gone = true;
            }
        } catch (TlsFailure e) {
            failure = e;
        }
        long allocatedBytes = allocated() - before;
        asker.hangUp();
        return new Result("blocking", failure, gone, handedOver, recorder.all.toByteArray(),
                recorder.sinceInput.toByteArray(), allocatedBytes, asker.delivered);
    }

    /**
     * The non-blocking driver, fed {@code chunk} bytes at a time, as the server's connection handler does:
     * handshake failures end it; after the handshake, input that makes the peer gone (or fails) means no
     * secret; otherwise the secret goes out once the peer is silent.
     */
    static Result nonBlocking(Peer peer, int chunk) throws IOException {
        Recorder recorder = new Recorder();
        Asker asker = new Asker(peer, recorder);
        long before = allocated();
        TlsFailure failure = null;
        boolean gone = false;
        boolean handedOver = false;
        TlsClientExchange exchange = null;
        try {
            exchange = RawKeyTlsClient.start(POLICY, RANDOM);
            gone = handshakeAndWait(exchange, asker, recorder, chunk);
            if (!gone) {
                handedOver = true;
                exchange.sendAndClose(SECRET.clone());
                close(exchange, asker, recorder, chunk);
            }
        } catch (TlsFailure e) {
            failure = e;
        } finally {
            if (exchange != null) {
                drain(exchange, recorder);
            }
        }
        long allocatedBytes = allocated() - before;
        asker.hangUp();
        return new Result("non-blocking", failure, gone, handedOver, recorder.all.toByteArray(),
                recorder.sinceInput.toByteArray(), allocatedBytes, asker.delivered);
    }

    /** Returns whether the peer went away (or broke the session) before the secret could go out. */
    private static boolean handshakeAndWait(TlsClientExchange exchange, Asker asker, Recorder recorder, int chunk)
            throws IOException, TlsFailure {
        while (true) {
            drain(exchange, recorder);
            byte[] answer = asker.ask();
            if (answer == null) {
                if (exchange.handshakeComplete()) {
                    return true;
                }
                exchange.inputEnded();
                throw new AssertionError("inputEnded() returned during the handshake");
            }
            if (answer.length == 0) {
                if (exchange.handshakeComplete()) {
                    return exchange.peerGone();
                }
                throw exchange.transportFailed(new SocketTimeoutException("Read timed out"), false);
            }
            for (int at = 0; at < answer.length; at += chunk) {
                int n = Math.min(chunk, answer.length - at);
                if (!exchange.handshakeComplete()) {
                    try {
                        exchange.received(answer, at, n);
                    } catch (TlsFailure e) {
                        if (exchange.handshakeComplete() && exchange.peerGone()) {
                            // The same input completed the handshake and then broke the session.
                            assertNotSendable(exchange);
                            return true;
                        }
                        throw e;
                    }
                    if (exchange.handshakeComplete() && exchange.peerGone()) {
                        assertNotSendable(exchange);
                        return true;
                    }
                } else {
                    try {
                        exchange.received(answer, at, n);
                    } catch (TlsFailure afterHandshake) {
                        // As the server does while it decides: the failure ends the session, nothing is sent.
                        assertTrue(exchange.peerGone(), "a failed session must count as gone");
                    }
                    if (exchange.peerGone()) {
                        assertNotSendable(exchange);
                        return true;
                    }
                }
            }
        }
    }

    /** A gone peer's exchange refuses to send: the secret cannot go out by mistake. */
    private static void assertNotSendable(TlsClientExchange exchange) {
        TlsFailure refused = org.junit.jupiter.api.Assertions.assertThrows(TlsFailure.class,
                () -> exchange.sendAndClose(SECRET.clone()));
        assertEquals(TlsFailure.Kind.CONNECTION, refused.kind());
    }

    private static void close(TlsClientExchange exchange, Asker asker, Recorder recorder, int chunk)
            throws IOException, TlsFailure {
        while (true) {
            drain(exchange, recorder);
            if (exchange.peerClosed()) {
                return;
            }
            byte[] answer = asker.ask();
            if (answer == null) {
                exchange.inputEnded();
                return;
            }
            if (answer.length == 0) {
                throw exchange.transportFailed(new SocketTimeoutException("Read timed out"), false);
            }
            for (int at = 0; at < answer.length && !exchange.peerClosed(); at += chunk) {
                exchange.received(answer, at, Math.min(chunk, answer.length - at));
            }
        }
    }

    private static void drain(TlsClientExchange exchange, Recorder recorder) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (exchange.outputAvailable() > 0) {
            buffer.clear();
            exchange.takeOutput(buffer);
            recorder.write(buffer.array(), 0, buffer.position());
        }
    }

    // Peers.

    /** What a {@link BcPeer} does to its own output, flight by flight, before the server sees it. */
    @FunctionalInterface
    interface Tamper {
        /** {@code flight} counts the peer's answers from 0 (the answer to the ClientHello); null means close. */
        byte[] apply(int flight, byte[] output, HostileServer.Protocol protocol) throws IOException;
    }

    /**
     * Bouncy Castle's TLS server (non-blocking) as the peer, optionally tampered with. It closes the
     * connection after it failed or after its close_notify went out; {@link #received()} holds the
     * application data it decrypted.
     */
    static final class BcPeer implements Peer {
        private final HostileServer.Protocol protocol = new HostileServer.Protocol();
        private final Tamper tamper;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int flight;
        private boolean done;

        BcPeer(TlsServer server, Tamper tamper) throws IOException {
            this.tamper = tamper;
            protocol.accept(server);
        }

        @Override
        public byte[] answer(byte[] fromServer) throws IOException {
            if (done) {
                return null;
            }
            if (fromServer.length > 0) {
                try {
                    protocol.offerInput(fromServer);
                } catch (IOException e) {
                    done = true;
                }
                int available = protocol.getAvailableInputBytes();
                if (available > 0) {
                    byte[] data = new byte[available];
                    protocol.readInput(data, 0, available);
                    received.writeBytes(data);
                }
                if (protocol.isClosed()) {
                    done = true;
                }
            }
            byte[] output = new byte[protocol.getAvailableOutputBytes()];
            protocol.readOutput(output, 0, output.length);
            byte[] tampered = tamper.apply(flight++, output, protocol);
            if (tampered == null) {
                done = true;
                return null;
            }
            if (done && tampered.length == 0) {
                return null;
            }
            return tampered;
        }

        byte[] received() {
            return received.toByteArray();
        }
    }

    /** A peer that answers the ClientHello with {@code bytes} and then closes the connection. */
    static Peer answersOnce(byte[] bytes) {
        return new Peer() {
            private int calls;

            @Override
            public byte[] answer(byte[] fromServer) {
                return calls++ == 0 ? bytes.clone() : null;
            }
        };
    }
}

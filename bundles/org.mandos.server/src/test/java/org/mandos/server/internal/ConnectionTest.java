package org.mandos.server.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mandos.api.ClientRegistry;
import org.mandos.api.ClientStatus;
import org.mandos.api.Decision;
import org.mandos.api.ReloadOutcome;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsPolicy;

/**
 * A {@link Worker} serving {@link Connection}s over loopback, its deadlines on a clock the test moves: no
 * sleeps, and a deadline passes exactly when the test says so.
 */
class ConnectionTest {

    private static final Duration LINE = Duration.ofSeconds(10);
    private static final Duration HANDSHAKE = Duration.ofSeconds(30);
    private static final Duration SEND = Duration.ofSeconds(30);
    private static final KeyPair KEY = KeyFiles.generate("ed25519");
    private static final byte[] SECRET = "the secret of alpha\n".getBytes(US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger open = new AtomicInteger();
    private final FakeRegistry registry = new FakeRegistry();
    private final List<Socket> sockets = new ArrayList<>();
    private Worker worker;
    private ServerSocketChannel listener;

    @BeforeEach
    void start() throws IOException {
        worker = new Worker(clock::get, RANDOM);
        Thread thread = new Thread(worker, "test-worker");
        thread.setDaemon(true);
        thread.start();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws Exception {
        worker.stop();
        worker.join(5_000);
        for (Socket socket : sockets) {
            socket.close();
        }
        listener.close();
    }

    /** Connects a client and hands the server's end to the worker, as the acceptor does. */
    private Socket connect() throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        SocketChannel accepted = listener.accept();
        open.incrementAndGet();
        ServerSettings settings = new ServerSettings(TlsPolicy.defaultPolicy(), LINE, HANDSHAKE, SEND, 1024, 1024, 1);
        worker.adopt(new Connection(worker, accepted, registry, settings, open::decrementAndGet));
        sync();
        return socket;
    }

    /**
     * Waits until the worker has run everything queued before this call, after expiring the deadlines the
     * clock has passed.
     */
    private void sync() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        worker.execute(() -> done.complete(null));
        done.get(20, TimeUnit.SECONDS);
    }

    /**
     * Moves the clock and waits until the worker has looked at it: the first task may run in a round whose
     * deadlines were checked before the move, the second runs in a later round.
     */
    private void advance(Duration by) throws Exception {
        clock.addAndGet(by.toNanos());
        sync();
        sync();
    }

    private static byte[] fetch(Socket socket) throws IOException, TlsFailure {
        socket.getOutputStream().write("1\r\n".getBytes(US_ASCII));
        return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                KEY, RANDOM);
    }

    @Test
    void aSilentPeerIsClosedWhenTheLineDeadlinePassesAndNotBefore() throws Exception {
        Socket socket = connect();
        advance(LINE.minusMillis(1));
        assertEquals(1, open.get(), "still open just before the deadline");
        advance(Duration.ofMillis(1));
        assertEquals(0, open.get());
        assertEquals(-1, socket.getInputStream().read());
    }

    @Test
    void theHandshakeHasItsOwnDeadlineAfterTheLine() throws Exception {
        Socket socket = connect();
        socket.getOutputStream().write("1\r\n".getBytes(US_ASCII));
        assertEquals(0x16, socket.getInputStream().read(), "the ClientHello starts");
        advance(LINE.plusSeconds(1));
        assertEquals(1, open.get(), "the line deadline no longer applies");
        advance(HANDSHAKE);
        assertEquals(0, open.get());
    }

    @Test
    void aClientGetsItsSecretAndTheDeliveryIsRecorded() throws Exception {
        registry.answer = keyId -> CompletableFuture.completedFuture(Decision.send("alpha", SECRET.clone()));
        assertArrayEquals(SECRET, fetch(connect()));
        assertTrue(registry.delivered.await(20, TimeUnit.SECONDS));
        assertEquals(KeyIds.of(KEY.getPublic()), registry.lastKeyId);
        sync();
        assertEquals(0, open.get());
    }

    @Test
    void aRefusalSendsNothing() throws Exception {
        registry.answer = keyId -> CompletableFuture.completedFuture(Decision.refuse("", Decision.Refusal.NOT_FOUND));
        assertEquals(0, fetch(connect()).length);
        assertEquals(1, registry.delivered.getCount(), "nothing delivered");
    }

    @Test
    void anApprovalThatComesLaterSendsTheSecret() throws Exception {
        CompletableFuture<Decision> approval = new CompletableFuture<>();
        registry.answer = keyId -> approval;
        Socket socket = connect();
        Thread approver = new Thread(() -> {
            try {
                registry.asked.await(20, TimeUnit.SECONDS);
                approval.complete(Decision.send("alpha", SECRET.clone()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        approver.start();
        assertArrayEquals(SECRET, fetch(socket));
        approver.join();
    }

    @Test
    void aClientThatLeavesWhileWaitingForApprovalEndsTheWait() throws Exception {
        CompletableFuture<Decision> approval = new CompletableFuture<>();
        registry.answer = keyId -> approval;
        Socket socket = connect();
        socket.setSoTimeout(300);
        // The client gives up (its read times out) and closes; the server must stop waiting.
        assertThrows(TlsFailure.class, () -> fetch(socket));
        socket.close();
        try {
            approval.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.CancellationException expected) {
            // The wait was cancelled.
        }
        assertTrue(approval.isCancelled());
        sync();
        assertEquals(0, open.get());
    }

    @Test
    void silentConnectionsDoNotDelayAGoodClient() throws Exception {
        registry.answer = keyId -> CompletableFuture.completedFuture(Decision.send("alpha", SECRET.clone()));
        for (int i = 0; i < 300; i++) {
            connect().getOutputStream().write('1');
        }
        assertArrayEquals(SECRET, fetch(connect()));
        sync();
        assertEquals(300, open.get(), "the silent ones wait for their deadline");
        advance(LINE);
        assertEquals(0, open.get());
    }

    @Test
    void aLineTooLongIsRejectedAtOnce() throws Exception {
        Socket socket = connect();
        socket.getOutputStream().write("1".repeat(VersionLine.MAX_LENGTH).getBytes(US_ASCII));
        assertEquals(-1, socket.getInputStream().read());
    }

    // ---- hostile protocol lines (issue 9, item 1) -------------------------------------------------------

    /** Reads until the server closes; the bytes it sent (none is expected before a refusal). */
    private static byte[] untilClosed(Socket socket) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                got.write(b);
            }
        } catch (java.net.SocketException reset) {
            // A reset after the server closed with our unread bytes still queued is a close as well.
        }
        return got.toByteArray();
    }

    /** After a hostile connection: nothing was asked of the registry, and a good client is still served. */
    private void stillServesAGoodClientAndNeverAskedForTheHostileOne() throws Exception {
        assertEquals(1, registry.asked.getCount(), "the hostile peer never reached the registry");
        registry.answer = keyId -> CompletableFuture.completedFuture(Decision.send("alpha", SECRET.clone()));
        assertArrayEquals(SECRET, fetch(connect()));
        sync();
        assertEquals(0, open.get(), "every connection closed");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"empty", "2", "NUL", "1NUL", "bad UTF-8",
            "0x", "CR only", "1 NUL after the token"})
    void aBadProtocolLineIsRefusedWithNothingSent(String kind) throws Exception {
        byte[] line = switch (kind) {
            case "empty" -> "\r\n".getBytes(US_ASCII);
            case "NUL" -> new byte[] {0, '\r', '\n'};
            case "1NUL" -> new byte[] {'1', 0, '\r', '\n'};
            case "bad UTF-8" -> new byte[] {(byte) 0xff, (byte) 0xfe, '1', '\r', '\n'};
            case "0x" -> "0x1\r\n".getBytes(US_ASCII);
            case "1 NUL after the token" -> new byte[] {'1', ' ', 0, (byte) 0xc0, '\r', '\n'};
            case "CR only" -> "\r".repeat(VersionLine.MAX_LENGTH).getBytes(US_ASCII);
            default -> (kind + "\r\n").getBytes(US_ASCII);
        };
        Socket socket = connect();
        socket.getOutputStream().write(line);
        assertEquals(0, untilClosed(socket).length, "nothing sent to a bad line");
        stillServesAGoodClientAndNeverAskedForTheHostileOne();
    }

    @Test
    void aVersionBelowOneIsReadAsTheReferenceDoesButTheHandshakeStillDecides() throws Exception {
        // The reference accepts any version up to 1 ("-1", "0"); what follows is the same TLS handshake, so a
        // peer that cannot authenticate gets nothing and is closed at the handshake deadline.
        Socket socket = connect();
        socket.getOutputStream().write("-1\r\n".getBytes(US_ASCII));
        assertEquals(0x16, socket.getInputStream().read(), "the ClientHello starts");
        advance(HANDSHAKE);
        assertEquals(0, open.get());
        stillServesAGoodClientAndNeverAskedForTheHostileOne();
    }

    @Test
    void aMebibyteWithoutNewlineIsCutOffAtTheCapWithoutBufferingIt() throws Exception {
        Socket socket = connect();
        byte[] mebibyte = new byte[1 << 20];
        java.util.Arrays.fill(mebibyte, (byte) '1');
        Thread writer = new Thread(() -> {
            try {
                socket.getOutputStream().write(mebibyte);
            } catch (IOException expected) {
                // The server closes long before the last byte: a broken pipe or a reset.
            }
        });
        writer.start();
        assertEquals(0, untilClosed(socket).length);
        writer.join(20_000);
        assertFalse(writer.isAlive(), "the writer was not left blocked");
        stillServesAGoodClientAndNeverAskedForTheHostileOne();
    }

    @Test
    void aPeerTricklingOneByteAtATimeGetsNoMoreThanTheLineDeadline() throws Exception {
        Socket socket = connect();
        // Each byte arrives well within any per-read timeout, but the line is never finished.
        for (int i = 0; i < 9; i++) {
            socket.getOutputStream().write(' ');
            advance(Duration.ofSeconds(1));
            assertEquals(1, open.get(), "still open after " + (i + 1) + " s");
        }
        socket.getOutputStream().write(' ');
        advance(LINE.minusSeconds(9));
        assertEquals(0, open.get(), "closed when the line deadline, counted from the connection, passed");
        assertEquals(0, untilClosed(socket).length);
        stillServesAGoodClientAndNeverAskedForTheHostileOne();
    }

    /** Answers every key with {@link #answer}; counts deliveries. */
    private static final class FakeRegistry implements ClientRegistry {
        volatile Function<String, CompletionStage<Decision>> answer =
                keyId -> CompletableFuture.completedFuture(Decision.refuse("", Decision.Refusal.NOT_FOUND));
        final CountDownLatch asked = new CountDownLatch(1);
        final CountDownLatch delivered = new CountDownLatch(1);
        volatile String lastKeyId;

        @Override
        public CompletionStage<Decision> decide(String keyId, InetSocketAddress peer) {
            lastKeyId = keyId;
            asked.countDown();
            return answer.apply(keyId);
        }

        @Override
        public void delivered(Decision decision, InetSocketAddress peer) {
            delivered.countDown();
        }

        @Override
        public List<ClientStatus> clients() {
            return List.of();
        }

        @Override
        public Optional<ClientStatus> client(String name) {
            return Optional.empty();
        }

        @Override
        public boolean enable(String name) {
            return false;
        }

        @Override
        public boolean disable(String name) {
            return false;
        }

        @Override
        public boolean checkedOk(String name) {
            return false;
        }

        @Override
        public boolean setTimeout(String name, Duration timeout) {
            return false;
        }

        @Override
        public boolean setInterval(String name, Duration interval) {
            return false;
        }

        @Override
        public boolean startChecker(String name) {
            return false;
        }

        @Override
        public boolean stopChecker(String name) {
            return false;
        }

        @Override
        public boolean approve(String name, boolean approve) {
            return false;
        }

        @Override
        public List<ReloadOutcome> reload() {
            return List.of();
        }
    }
}

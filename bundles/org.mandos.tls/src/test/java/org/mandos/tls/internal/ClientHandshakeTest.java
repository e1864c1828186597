package org.mandos.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.PeerSession;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsPolicy;
import org.mandos.tls.internal.priority.PriorityParser;

/** Timing properties of the Mandos server's handshake that the public API cannot observe. */
class ClientHandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Tls13Parameters DEFAULTS = PriorityParser.parse(TlsPolicy.DEFAULT_PRIORITY);

    @Test
    void theLastFlightIsSentBeforeTheServerDecides() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        CountDownLatch clientHandshakeDone = new CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    socket.setSoTimeout(10_000);
                    TlsServerProtocol protocol = new TlsServerProtocol(socket.getInputStream(), socket.getOutputStream());
                    protocol.accept(new RawKeyServerPeer(new BcTlsCrypto(RANDOM), DEFAULTS, SigningKey.of(key)));
                    clientHandshakeDone.countDown();
                    protocol.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(10_000);
                PeerSession session = ClientHandshake.run(socket.getInputStream(), socket.getOutputStream(), DEFAULTS,
                        RANDOM);
                // Like a server waiting for approval: nothing is read or written until the client has finished.
                assertTrue(clientHandshakeDone.await(5, TimeUnit.SECONDS), "client never saw our Finished");
                session.closeWithoutData();
            }
            client.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closingTheSocketAtTheDeadlineEndsAStalledHandshake() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket silent = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket socket = listener.accept()) {
            timer.schedule(() -> {
                socket.close();
                return null;
            }, 300, TimeUnit.MILLISECONDS);
            TlsFailure failure = assertThrows(TlsFailure.class,
                    () -> ClientHandshake.run(socket.getInputStream(), socket.getOutputStream(), DEFAULTS, RANDOM));
            assertEquals(TlsFailure.Kind.CONNECTION, failure.kind());
            assertTrue(failure.getMessage().startsWith("connection failed during the TLS handshake"),
                    failure.getMessage());
        } finally {
            timer.shutdownNow();
        }
    }
}

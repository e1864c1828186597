package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/**
 * Connections that misbehave are closed within their deadline and logged with the peer's address, and
 * the server keeps serving good clients meanwhile. Our own TLS library plays the client.
 */
class ConnectionDeadlinesIT {

    private static final String SECRET = "deadline test secret";

    private static KeyPair key;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        key = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-deadlines-");
        TestFiles.write(conf.resolve("mandos.conf"), "[DEFAULT]\nline_timeout = PT1S\nhandshake_timeout = PT2S\n");
        TestFiles.write(conf.resolve("clients.conf"), "[good]\nhost = localhost\nkey_id = "
                + KeyIds.of(key.getPublic().getEncoded()) + "\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)) + "\n");
        server = ServerProcess.start(conf);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port);
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** Reads until the server closes; returns how long that took. */
    private static Duration timeUntilClosed(Socket socket) throws IOException {
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain whatever the server sends (a ClientHello in the handshake case)
            }
        } catch (IOException reset) {
            // a reset is a close too
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String logLineFor(Socket socket, String text) {
        String port = ", " + socket.getLocalPort() + ")";
        return server.awaitLog(line -> line.contains(port) && line.contains(text), Duration.ofSeconds(10));
    }

    private static byte[] fetchSecret() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(),
                    TlsPolicy.defaultPolicy(), key, new SecureRandom());
        }
    }

    @Test
    void aGoodClientGetsItsSecret() throws Exception {
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), fetchSecret());
        server.awaitLog(line -> line.contains("Sending secret to good"), Duration.ofSeconds(10));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheLineDeadline() throws Exception {
        try (Socket socket = connect()) {
            Duration closedAfter = timeUntilClosed(socket);
            assertTrue(closedAfter.compareTo(Duration.ofSeconds(8)) < 0, "closed after " + closedAfter);
            logLineFor(socket, "the protocol version line took longer than 1.0 s");
        }
    }

    @Test
    void aMebibyteWithoutNewlineIsRejectedAfterSixtyFourBytes() throws Exception {
        try (Socket socket = connect()) {
            try {
                socket.getOutputStream().write(new byte[1 << 20]);
            } catch (IOException expected) {
                // the server stops reading after 64 bytes and closes
            }
            timeUntilClosed(socket);
            logLineFor(socket, "protocol version line longer than 64 bytes");
        }
    }

    @Test
    void protocolVersionTwoIsRejectedWithoutTls() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("2\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "no TLS bytes for an unknown version");
            logLineFor(socket, "unknown protocol version: 2");
        }
    }

    @Test
    void aStalledHandshakeIsClosedAtTheHandshakeDeadline() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            Duration closedAfter = timeUntilClosed(socket);
            assertTrue(closedAfter.compareTo(Duration.ofSeconds(10)) < 0, "closed after " + closedAfter);
            logLineFor(socket, "the TLS handshake took longer than 2.0 s");
        }
    }

    @Test
    void goodClientsAreServedWhileOthersStall() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = connect();
                if (i % 2 == 0) {
                    s.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                stalled.add(s);
            }
            long start = System.nanoTime();
            assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), fetchSecret());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // Served one after another, the 50 stalled connections would hold it for over a minute.
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "a good client waited " + took);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }
}

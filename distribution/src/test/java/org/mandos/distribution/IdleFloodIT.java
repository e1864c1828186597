package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/**
 * Issue 9, item 2: 2,000 connections that never complete. The caps hold (per address and in all), a good
 * client from another address is still served within a second, the refusals do not flood the log, and the
 * server's file descriptors and threads stay bounded and return to where they were.
 */
class IdleFloodIT {

    private static final String SECRET = "flood test secret";
    private static final int MAX = 600;
    private static final int PER_PEER = 150;
    private static final int FLOOD = 2000;

    private static KeyPair key;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        key = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-flood-");
        // Long deadlines: the flood must be held by the caps, not cleared by the deadlines, while the test looks.
        TestFiles.write(conf.resolve("mandos.conf"), "[DEFAULT]\nline_timeout = PT120S\nhandshake_timeout = PT120S\n"
                + "max_connections = " + MAX + "\nmax_connections_per_peer = " + PER_PEER + "\n");
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

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    /** Opens a connection from {@code from}; the flood's connections send nothing, a partial line or a line. */
    private static Socket connect(InetAddress from, int kind) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port), 10_000);
        if (kind % 3 == 1) {
            socket.getOutputStream().write('1');
        } else if (kind % 3 == 2) {
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return socket;
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.count();
        }
    }

    private static long fds() throws IOException {
        return count(Path.of("/proc", Long.toString(server.pid()), "fd"));
    }

    private static long threads() throws IOException {
        return count(Path.of("/proc", Long.toString(server.pid()), "task"));
    }

    /** Whether the server still holds the connection open (it closed the refused ones at once). */
    private static boolean heldOpen(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            while (true) {
                if (socket.getInputStream().read() < 0) {
                    return false;
                }
                // A ClientHello from a connection that sent its line: still open, keep reading.
            }
        } catch (SocketTimeoutException open) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    private static byte[] fetchSecretFrom(InetAddress from) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port), 10_000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(),
                    TlsPolicy.defaultPolicy(), key, new SecureRandom());
        }
    }

    /** Polls the condition once a second for up to a minute; the server's idle work settles within it. */
    private static void eventually(String what, java.util.function.BooleanSupplier condition) throws Exception {
        for (int i = 0; i < 60; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(what);
    }

    @Test
    void twoThousandIdleConnectionsNeitherLockOutAGoodClientNorGrowTheServer() throws Exception {
        // A warm-up delivery, so the baseline includes the threads and files a delivery leaves behind.
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), fetchSecretFrom(loopback(2)));
        long baseFds = fds();
        long baseThreads = threads();

        List<Socket> flood = new ArrayList<>();
        try {
            // 2,000 from one address: only PER_PEER of them are kept.
            for (int i = 0; i < FLOOD; i++) {
                flood.add(connect(loopback(1), i));
            }
            server.awaitLog(line -> line.contains("connections from that address already open"), Duration.ofSeconds(30));
            long held = 0;
            for (Socket socket : flood) {
                if (heldOpen(socket)) {
                    held++;
                }
            }
            assertEquals(PER_PEER, held, "connections the server kept from the flooding address");

            long start = System.nanoTime();
            assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), fetchSecretFrom(loopback(2)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("IdleFloodIT: a good client was served in " + took.toMillis() + " ms beside "
                    + FLOOD + " flooding connections");
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "a good client waited " + took);

            // More addresses, up to the total cap: the total holds too.
            for (int address = 3; address <= 6; address++) {
                for (int i = 0; i < PER_PEER; i++) {
                    flood.add(connect(loopback(address), i));
                }
            }
            server.awaitLog(line -> line.contains(MAX + " connections already open"), Duration.ofSeconds(30));
            held = 0;
            for (Socket socket : flood) {
                if (heldOpen(socket)) {
                    held++;
                }
            }
            assertEquals(MAX, held, "connections the server kept in all");

            long floodFds = fds();
            long floodThreads = threads();
            System.out.println("IdleFloodIT: server fds " + baseFds + " -> " + floodFds + ", threads " + baseThreads
                    + " -> " + floodThreads);
            assertTrue(floodFds <= baseFds + MAX + 20, "file descriptors bounded by the cap: " + floodFds);
            assertTrue(floodThreads <= baseThreads + 5, "no thread per connection: " + floodThreads);

            long refusalLines = server.log().lines().filter(l -> l.contains("Rejected connection from")
                    && l.contains("already open")).count();
            assertTrue(refusalLines <= 8, "refusals are logged at most once per 10 s per reason, not "
                    + (FLOOD - PER_PEER) + " times: " + refusalLines + " lines");
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
        eventually("file descriptors back to " + baseFds + " (now " + fds() + ")", () -> {
            try {
                return fds() <= baseFds + 2;
            } catch (IOException e) {
                return false;
            }
        });
        eventually("threads back to " + baseThreads, () -> {
            try {
                return threads() <= baseThreads + 1;
            } catch (IOException e) {
                return false;
            }
        });
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), fetchSecretFrom(loopback(2)));
        assertTrue(!server.log().contains(SECRET), "the secret is never logged");
    }
}

package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/** Approval waits in the assembled server, with our TLS library as the client. */
class ApprovalIT {

    private static final byte[] SECRET = "approval secret".getBytes(StandardCharsets.UTF_8);
    private static KeyPair patient;
    private static KeyPair denied;
    private static KeyPair allowed;
    private static ServerProcess server;

    private static String section(String name, KeyPair key, String delay, boolean byDefault) {
        return "[" + name + "]\nkey_id = " + KeyIds.of(key.getPublic().getEncoded()) + "\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET) + "\nchecker = true\napproval_delay = " + delay
                + "\napproved_by_default = " + byDefault + "\n";
    }

    @BeforeAll
    static void start() {
        patient = KeyFiles.generate("ed25519");
        denied = KeyFiles.generate("ed25519");
        allowed = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-approval-");
        TestFiles.write(conf.resolve("clients.conf"), section("patient", patient, "PT60S", false)
                + section("denied", denied, "PT2S", false) + section("allowed", allowed, "PT2S", true));
        server = ServerProcess.start(conf);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] fetch(Socket socket, KeyPair key) throws Exception {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
        return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                key, new SecureRandom());
    }

    @Test
    void aConnectionWhosePeerGoesAwayStopsWaitingForApproval() throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port);
        CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return fetch(socket, patient);
            } catch (Exception e) {
                return new byte[0];
            }
        });
        server.awaitLog(l -> l.contains("Client patient needs approval"), Duration.ofSeconds(15));
        socket.close();
        server.awaitLog(l -> l.contains("went away while waiting for approval"), Duration.ofSeconds(5));
        assertEquals(0, waiting.get().length);
    }

    @Test
    void denyByDefaultRefusesWhenTheDelayPasses() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
            long start = System.nanoTime();
            assertEquals(0, fetch(socket, denied).length);
            assertTrue(System.nanoTime() - start >= 1_900_000_000L, "it waited for the approval delay");
        }
        server.awaitLog(l -> l.contains("Client denied timed out while waiting for approval"), Duration.ofSeconds(5));
    }

    @Test
    void approveByDefaultSendsWhenTheDelayPasses() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
            assertArrayEquals(SECRET, fetch(socket, allowed));
        }
    }
}

package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/** clients.conf edited under a running server: changes apply, runtime state stays, bad edits are rejected. */
class LiveReloadIT {

    private static final byte[] SECRET = "reloaded".getBytes(StandardCharsets.UTF_8);

    private static String section(String name, KeyPair key, String extra) {
        return "[" + name + "]\nkey_id = " + KeyIds.of(key.getPublic().getEncoded()) + "\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET) + "\n" + extra;
    }

    private static byte[] fetch(int port, KeyPair key) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                    key, new SecureRandom());
        }
    }

    @Test
    void editsApplyWithoutARestartKeepingRuntimeStateAndBadEditsAreRejected() throws Exception {
        KeyPair first = KeyFiles.generate("ed25519");
        KeyPair added = KeyFiles.generate("ed25519");
        KeyPair dozy = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-reload-");
        String dozySection = section("dozy", dozy, "checker = false\ninterval = PT1S\ntimeout = PT1S\n");
        TestFiles.write(conf.resolve("clients.conf"), section("first", first, "checker = true\n") + dozySection);
        try (ServerProcess server = ServerProcess.start(conf)) {
            server.awaitLog(l -> l.contains("Client dozy disabled: timed out"), Duration.ofSeconds(20));
            assertEquals(0, fetch(server.port, added).length, "not configured yet");

            TestFiles.write(conf.resolve("clients.conf"), section("first", first, "checker = true\n") + dozySection
                    + section("added", added, "checker = true\n"));
            server.awaitLog(l -> l.contains("Reloaded") && l.contains("3 client(s)"), Duration.ofSeconds(20));
            assertArrayEquals(SECRET, fetch(server.port, added));
            assertEquals(0, fetch(server.port, dozy).length, "an unchanged client keeps its runtime state");

            TestFiles.write(conf.resolve("clients.conf"), section("first", first, "checker = true\ntimeout = soon\n"));
            server.awaitLog(l -> l.contains("Rejected the new") && l.contains("timeout"), Duration.ofSeconds(20));
            assertArrayEquals(SECRET, fetch(server.port, added), "the previous configuration stays in force");
        }
    }
}

package org.mandos.distribution;

import static org.mandos.distribution.SecretFetch.fetch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/** clients.conf edited under a running server: changes apply, runtime state stays, bad edits are rejected. */
class LiveReloadIT {

    private static final byte[] SECRET = "reloaded".getBytes(StandardCharsets.UTF_8);

    private static String section(String name, KeyPair key, String extra) {
        return "[" + name + "]\nkey_id = " + KeyIds.of(key.getPublic().getEncoded()) + "\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET) + "\n" + extra;
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
            server.awaitLog(l -> l.contains("Rejected the edited client configuration") && l.contains("timeout"), Duration.ofSeconds(20));
            assertArrayEquals(SECRET, fetch(server.port, added), "the previous configuration stays in force");
        }
    }

    @Test
    void dropInFilesInClientsDotDAreWatchedAndSighupReloadsWithoutStopping() throws Exception {
        KeyPair main = KeyFiles.generate("ed25519");
        KeyPair dropped = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-dropin-");
        TestFiles.write(conf.resolve("clients.conf"), section("main", main, "checker = true\n"));
        try (ServerProcess server = ServerProcess.start(conf)) {
            long pid = server.pid();
            assertEquals(0, fetch(server.port, dropped).length, "not configured yet");

            // clients.d appears after start-up, then a drop-in file in it.
            Path dropIns = conf.resolve("clients.d");
            java.nio.file.Files.createDirectories(dropIns);
            TestFiles.write(dropIns.resolve("web.conf"), section("web", dropped, "checker = true\n"));
            server.awaitLog(l -> l.contains("Reloaded") && l.contains("2 client(s)"), Duration.ofSeconds(20));
            assertArrayEquals(SECRET, fetch(server.port, dropped));

            // A changed setting applies: a new secret is what the client gets from now on.
            byte[] changed = "changed secret".getBytes(StandardCharsets.UTF_8);
            TestFiles.write(dropIns.resolve("web.conf"), "[web]\nkey_id = " + KeyIds.of(dropped.getPublic().getEncoded())
                    + "\nsecret = " + Base64.getEncoder().encodeToString(changed) + "\nchecker = true\n");
            server.awaitLog(l -> l.contains("Reloaded") && l.contains("2 client(s)"), 2, Duration.ofSeconds(20));
            assertArrayEquals(changed, fetch(server.port, dropped));

            // A drop-in that redefines a client is rejected as a whole; the rest stays in force.
            TestFiles.write(dropIns.resolve("zz-clash.conf"), section("main", dropped, "checker = true\n"));
            server.awaitLog(l -> l.contains("Rejected the edited client configuration")
                    && l.contains("client already defined in"), Duration.ofSeconds(20));
            assertArrayEquals(SECRET, fetch(server.port, main));
            java.nio.file.Files.delete(dropIns.resolve("zz-clash.conf"));

            // SIGHUP reloads at once, reports per store, and does not stop the server.
            new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor();
            server.awaitLog(l -> l.contains("SIGHUP: reloading the client configuration"), Duration.ofSeconds(20));
            server.awaitLog(l -> l.contains("Reload: clients.conf: "), Duration.ofSeconds(20));
            java.nio.file.Files.delete(dropIns.resolve("web.conf"));
            server.awaitLog(l -> l.contains("Reloaded") && l.contains("1 client(s)"), Duration.ofSeconds(20));
            assertEquals(0, fetch(server.port, dropped).length, "a removed drop-in removes its client");
            assertArrayEquals(SECRET, fetch(server.port, main));
            assertTrue(server.isAlive());
            assertEquals(pid, server.pid());
        }
    }
}

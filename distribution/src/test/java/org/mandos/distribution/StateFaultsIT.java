package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandos.state.ClientState;
import org.mandos.state.StateFile;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/**
 * State file faults in the packaged server (issue 9 item 9): a file of another user, a file the server
 * cannot read, a state directory it cannot write, a full disk. Each time the start is fail-closed (an
 * untrusted file gives no secret before a successful check), the reason is one clear line, the previous
 * file is never lost, and a restart loads the last complete state.
 *
 * <p>Needs root (chown, mount, and the server dropping to its own user): skipped with a message otherwise,
 * and failing instead under CI ({@code CI=true} or {@code -Dmandos.interop.required=true}).
 */
class StateFaultsIT {

    private static final String SECRET = "state faults secret";

    @BeforeAll
    static void root() throws Exception {
        ReferenceTools.Result id = ReferenceTools.run(List.of("id", "-u"), Duration.ofSeconds(10));
        if (id.stdout().trim().equals("0")) {
            return;
        }
        String message = "StateFaultsIT needs root (chown, mount, a server running as its own user)";
        if ("true".equals(System.getenv("CI")) || ReferenceTools.required()) {
            fail(message + "; under CI the integration tests run as root");
        }
        System.err.println("SKIPPED " + message);
        Assumptions.abort(message);
    }

    // ----- a server whose console log is kept outside its state directory (which may be full) -----

    private static final class Server implements AutoCloseable {
        final Process process;
        final Path log;
        final int port;
        final Path statedir;

        Server(Path conf, Path statedir) throws IOException {
            this.port = TestFiles.freePort();
            this.statedir = statedir;
            this.log = TestFiles.newWritableDirectory("mandos-faults-log-").resolve("console.log");
            this.process = new ProcessBuilder(Installation.bin("mandos").toString(), "--foreground", "--debuglevel",
                    "DEBUG", "--configdir", conf.toString(), "--port", Integer.toString(port), "--no-zeroconf",
                    "--no-dbus", "--statedir", statedir.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            awaitLog(l -> l.contains("Now listening on"), Duration.ofSeconds(60));
        }

        String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long count(String text) {
            return log().lines().filter(l -> l.contains(text)).count();
        }

        void awaitLog(Predicate<String> wanted, Duration limit) {
            Instant end = Instant.now().plus(limit);
            while (Instant.now().isBefore(end)) {
                if (log().lines().anyMatch(wanted)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("server exited with " + process.exitValue() + ":\n" + log());
                }
                TestFiles.pause(Duration.ofMillis(50));
            }
            throw new AssertionError("expected log line did not appear within " + limit + ":\n" + log());
        }

        String shell(String command) throws IOException {
            return OperatorShell.converse(statedir.resolve("shell.sock"), command + "\n");
        }

        int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the server did not stop on SIGTERM:\n" + log());
            }
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static Path config(KeyPair key, String checker) {
        Path conf = TestFiles.newDirectory("mandos-faults-conf-");
        TestFiles.write(conf.resolve("clients.conf"), "[DEFAULT]\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)) + "\n"
                + "[flaky]\nkey_id = " + "F".repeat(64) + "\nchecker = false\ninterval = PT1S\ntimeout = PT1S\n"
                + "[me]\nkey_id = " + KeyIds.of(key.getPublic().getEncoded()) + "\nchecker = " + checker
                // a failing checker: the first expiry (start + first-check delay + interval) after the test
                + "\ninterval = " + (checker.equals("true") ? "PT1S" : "PT2M") + "\ntimeout = PT1H\n");
        return conf;
    }

    private static StateFile.Valid load(Path statedir) throws IOException {
        Path copy = TestFiles.newDirectory("mandos-faults-copy-");
        Files.copy(statedir.resolve(StateFile.FILE_NAME), copy.resolve(StateFile.FILE_NAME));
        Files.setPosixFilePermissions(copy.resolve(StateFile.FILE_NAME), PosixFilePermissions.fromString("rw-------"));
        StateFile.Loaded loaded = StateFile.load(copy);
        return assertInstanceOf(StateFile.Valid.class, loaded, loaded.toString());
    }

    private static boolean enabled(StateFile.Valid state, String name) {
        return state.clients().stream().filter(c -> c.name().equals(name)).findFirst().map(ClientState::enabled)
                .orElseThrow();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void run(String... command) {
        ReferenceTools.Result r = ReferenceTools.run(List.of(command), Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.stdout() + r.stderr());
    }

    /**
     * A state file that says "me" is enabled and was checked a moment ago: trusted, it would give the
     * secret at once (the checker of "me" always fails here).
     */
    private static byte[] tempting(KeyPair key) throws IOException {
        Path dir = TestFiles.newDirectory("mandos-faults-forged-");
        Instant now = Instant.now();
        ClientState me = new ClientState("me", KeyIds.of(key.getPublic().getEncoded()), "", "", true,
                now.minusSeconds(3600), now.minusSeconds(3600), now.minusSeconds(1), 0, now.plusSeconds(3600), null,
                Duration.ofHours(1), Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofSeconds(1), true, "false");
        StateFile.save(dir, List.of(me));
        return Files.readAllBytes(dir.resolve(StateFile.FILE_NAME));
    }

    private void untrustedFileGivesNoSecret(int owner, String reason) throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path statedir = TestFiles.newWritableDirectory("mandos-faults-owner-");
        byte[] forged = tempting(key);
        Path file = statedir.resolve(StateFile.FILE_NAME);
        Files.write(file, forged);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(file, "unix:uid", owner);
        try (Server server = new Server(config(key, "false"), statedir)) {
            server.awaitLog(l -> l.contains("cannot be used (" + reason), Duration.ofSeconds(10));
            assertEquals(1, server.count("cannot be used"), server.log());
            assertEquals(0, SecretFetch.fetch(server.port, key).length, "no secret on the strength of that file");
            assertEquals(0, server.terminate());
            assertFalse(server.log().contains(SECRET), "no secret in the log");
        }
        List<String> names = listing(statedir);
        String aside = names.stream().filter(n -> n.startsWith(StateFile.FILE_NAME + ".corrupt-")).findFirst()
                .orElseThrow(() -> new AssertionError("not moved aside: " + names));
        assertArrayEquals(forged, Files.readAllBytes(statedir.resolve(aside)), "kept as evidence, unchanged");
        assertEquals(owner, Files.getAttribute(statedir.resolve(aside), "unix:uid"));
        assertTrue(enabled(load(statedir), "me"), "the server's own state, written after the start");
    }

    @Test
    void aStateFileOfAnotherUserIsNotTrustedAndGivesNoSecret() throws Exception {
        untrustedFileGivesNoSecret(4242, "owned by uid 4242, not by the server's user");
    }

    @Test
    void aStateFileTheServerCannotReadIsMovedAsideNotOverwritten() throws Exception {
        untrustedFileGivesNoSecret(0, "cannot be read (permission denied)");
    }

    @Test
    void anUnwritableStateDirectoryIsOneClearErrorAndTheLastSavedStateSurvives() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path conf = config(key, "true");
        Path statedir = TestFiles.newWritableDirectory("mandos-faults-ro-");
        try (Server server = new Server(conf, statedir)) {
            server.awaitLog(l -> l.contains("Client flaky disabled: timed out"), Duration.ofSeconds(20));
            assertEquals(0, server.terminate());
        }
        Path file = statedir.resolve(StateFile.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        assertFalse(enabled(load(statedir), "flaky"));

        Files.setPosixFilePermissions(statedir, PosixFilePermissions.fromString("r-xr-xr-x")); // root's, 0555
        try (Server server = new Server(conf, statedir)) {
            server.awaitLog(l -> l.contains("Checker for me succeeded"), Duration.ofSeconds(20));
            TestFiles.pause(Duration.ofMillis(1500)); // the start-up save (0.5 s after) has been tried
            assertEquals(1, server.count("The state directory " + statedir + " cannot be written (permission denied)"),
                    server.log());
            assertEquals(0, server.count("ERROR: Could not save the client state"),
                    "said once, not per save:\n" + server.log());
            assertTrue(server.count("DEBUG: Could not save the client state in " + statedir + " (permission denied)")
                    >= 1, "a save was tried: " + server.log());
            assertArrayEquals(good, Files.readAllBytes(file), "the last saved state is untouched");
            assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), SecretFetch.fetch(server.port, key),
                    "the server keeps serving");

            Files.setPosixFilePermissions(statedir, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertEquals(0, server.terminate());
            assertEquals(1, server.count("Saved the client state in " + statedir + " again"), server.log());
        }
        StateFile.Valid state = load(statedir);
        assertFalse(enabled(state, "flaky"));
        assertTrue(state.clients().stream().anyMatch(c -> c.name().equals("me") && c.lastCheckedOk() != null));
    }

    @Test
    void aFullDiskNeverCostsTheLastCompleteStateAndSavingResumesWhenSpaceIsFreed() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path conf = config(key, "true");
        Path statedir = TestFiles.newWritableDirectory("mandos-faults-full-");
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0777", "tmpfs", statedir.toString());
        try {
            Path file = statedir.resolve(StateFile.FILE_NAME);
            try (Server server = new Server(conf, statedir)) {
                server.awaitLog(l -> l.contains("Client flaky disabled: timed out"), Duration.ofSeconds(20));
                Instant end = Instant.now().plusSeconds(10);
                while (!Files.exists(file) || enabled(load(statedir), "flaky")) { // the disable has been saved
                    assertTrue(Instant.now().isBefore(end), server.log());
                    TestFiles.pause(Duration.ofMillis(100));
                }
                byte[] good = Files.readAllBytes(file);

                Path filler = statedir.resolve("filler");
                try (OutputStream out = Files.newOutputStream(filler)) {
                    byte[] block = new byte[1024];
                    while (true) {
                        out.write(block);
                    }
                } catch (IOException full) {
                    assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
                }
                for (int i = 0; i < 4; i++) { // four changes, four failed saves
                    String command = (i % 2 == 0 ? "enable" : "disable") + " flaky";
                    assertTrue(server.shell(command).contains("flaky: " + command.split(" ")[0] + "d"));
                    TestFiles.pause(Duration.ofMillis(1000));
                }
                assertEquals(1, server.count("ERROR: Could not save the client state in " + statedir
                        + " (No space left on device)"), "once per condition:\n" + server.log());
                assertTrue(server.count("DEBUG: Could not save the client state in " + statedir
                        + " (No space left on device), still") >= 3, "every change was tried:\n" + server.log());
                assertArrayEquals(good, Files.readAllBytes(file), "the last complete state is untouched");
                assertEquals(List.of(StateFile.FILE_NAME, "filler", "shell.sock"), listing(statedir),
                        "no temporary file is left");
                server.kill();
            }
            try (Server server = new Server(conf, statedir)) { // the disk still full
                assertFalse(server.log().contains("cannot be used"), server.log());
                assertEquals(1, server.count("Restoring the state of 2 client(s)"), server.log());
                assertTrue(server.shell("client flaky").lines().anyMatch(l -> l.matches("(mandos> )?enabled: +no")),
                        "the last complete state: flaky disabled");
                Files.delete(statedir.resolve("filler"));
                assertTrue(server.shell("enable flaky").contains("flaky: enabled"));
                server.awaitLog(l -> l.contains("Saved the client state in " + statedir + " again")
                        || l.contains("Saved the state of 2 client(s)"), Duration.ofSeconds(10));
                assertEquals(0, server.terminate());
            }
            assertTrue(enabled(load(statedir), "flaky"), "saved once there was space");
            assertEquals(List.of(StateFile.FILE_NAME), listing(statedir));
        } finally {
            run("umount", statedir.toString());
        }
    }
}

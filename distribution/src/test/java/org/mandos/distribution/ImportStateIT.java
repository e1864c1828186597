package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mandos.state.ClientState;
import org.mandos.state.StateFile;

/**
 * mandos --import-state on a real clients.pickle: the reference server disables a client whose
 * checker fails, writes its state at a clean stop, we import it, and our server keeps that client
 * disabled.
 */
class ImportStateIT {

    private static final String ALPHA_KEY = "0123456789ABCDEF".repeat(4);
    private static final String BETA_KEY = "FEDCBA9876543210".repeat(4);

    private static Path conf(String betaChecker, String betaTimeout) {
        Path conf = TestFiles.newDirectory("mandos-import-conf-");
        TestFiles.write(conf.resolve("clients.conf"), "[DEFAULT]\ntimeout = PT5M\ninterval = PT2M\n\n"
                + "[alpha]\nkey_id = " + ALPHA_KEY + "\nfingerprint = " + ALPHA_KEY.substring(0, 40) + "\nsecret = c2VjcmV0IGFscGhh\nhost = alpha.example\n"
                + "checker = true\nenabled = true\n\n"
                + "[beta]\nkey_id = " + BETA_KEY + "\nfingerprint = " + BETA_KEY.substring(0, 40) + "\nsecret = c2VjcmV0IGJldGE=\nhost = beta.example\n"
                + "checker = " + betaChecker + "\ntimeout = " + betaTimeout + "\ninterval = PT1S\n");
        return conf;
    }

    @Test
    void aClientDisabledUnderTheReferenceStaysDisabledAfterImport() throws Exception {
        ReferenceTools.assumeInstalled();
        Path pickle = null;
        // The reference's exit cleanup races with its gpg-agent removing its own sockets from the
        // temporary GnuPG home; when the agent wins, the cleanup crashes (FileNotFoundError on
        // S.gpg-agent.*) before clients.pickle is written. That is the reference's bug, seen about once
        // in ten runs: try a second time, and fail on any other cause.
        for (int attempt = 1; pickle == null; attempt++) {
            try (ReferenceServer reference = ReferenceServer.start(conf("false", "PT2S"))) {
                // The reference disables a timed-out client quietly: wait for the failed checker, then
                // past beta's 2 s timeout.
                awaitLog(reference, "Checker for beta failed", Duration.ofSeconds(30));
                Thread.sleep(4000);
                reference.stop();
                Path written = reference.statedir().resolve("clients.pickle");
                if (Files.isRegularFile(written)) {
                    pickle = written;
                } else if (attempt > 1 || !reference.log().matches("(?s).*FileNotFoundError.*S\\.gpg-agent.*")) {
                    fail("no clients.pickle after SIGTERM:\n" + reference.log());
                } else {
                    System.err.println("ImportStateIT: the reference lost its state to its gpg-agent race; again");
                }
            }
        }

        // clients.conf edited since: beta's checker now succeeds and its timeout is long. A setting edit
        // wins, but "enabled" is unchanged in clients.conf, so the run-time "disabled" must survive.
        Path conf = conf("true", "PT5M");
        Path statedir = TestFiles.newWritableDirectory("mandos-import-state-");
        ReferenceTools.Result r = ReferenceTools.run(List.of(Installation.bin("mandos").toString(),
                "--import-state", pickle.toString(), "--configdir", conf.toString(), "--statedir",
                statedir.toString()), Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        List<String> lines = r.stdout().lines().toList();
        // The reference starts each client's first check after a random delay within its interval (2 min
        // for alpha), so alpha has been checked in about one run in twenty: either form is right.
        assertTrue(lines.get(0).startsWith("alpha: enabled, last checked OK never, last checker status none")
                || lines.get(0).matches("alpha: enabled, last checked OK \\S+Z, last checker status 0, expires .*"),
                r.stdout());
        assertEquals("beta: disabled, last checked OK never, last checker status 1", lines.get(1), r.stdout());
        assertTrue(lines.get(2).startsWith("Imported 2 client(s) from " + pickle), r.stdout());
        assertTrue(Files.isRegularFile(statedir.resolve(StateFile.FILE_NAME)));

        // A second import refuses to overwrite.
        ReferenceTools.Result again = ReferenceTools.run(List.of(Installation.bin("mandos").toString(),
                "--import-state", pickle.toString(), "--configdir", conf.toString(), "--statedir",
                statedir.toString()), Duration.ofSeconds(60));
        assertEquals(1, again.exitCode(), again.stdout() + again.stderr());
        assertTrue(again.stderr().contains("already exists: refusing to overwrite"), again.stderr());
        assertEquals(1, again.stderr().strip().lines().count(), again.stderr());

        // Not a pickle: one line, exit 1.
        Path bogus = TestFiles.write(TestFiles.newDirectory("mandos-import-bogus-").resolve("clients.pickle"),
                "not a pickle\n");
        ReferenceTools.Result bad = ReferenceTools.run(List.of(Installation.bin("mandos").toString(),
                "--import-state", bogus.toString(), "--configdir", conf.toString(), "--statedir",
                TestFiles.newWritableDirectory("mandos-import-none-").toString()), Duration.ofSeconds(60));
        assertEquals(1, bad.exitCode(), bad.stdout() + bad.stderr());
        assertEquals("mandos: " + bogus + ": not a reference Mandos state file (not a Python pickle)",
                bad.stderr().strip());

        try (ServerProcess server = ServerProcess.start(conf, TestFiles.freePort(), statedir)) {
            server.awaitLog(l -> l.contains("Saved the state of 2 client(s)"), Duration.ofSeconds(30));
            Thread.sleep(3000); // beta would have run its (now succeeding) checker by now if enabled
            // Read while it runs: it saves on every change (and saved the merged state at start-up).
            StateFile.Valid state = load(statedir);
            assertFalse(client(state, "beta").enabled(), server.log());
            assertEquals(1, client(state, "beta").lastCheckerStatus(), server.log());
            assertTrue(client(state, "alpha").enabled(), server.log());
            assertFalse(server.log().contains("Checker for beta"), server.log());
            server.kill();
        }
    }

    private static ClientState client(StateFile.Valid state, String name) {
        return state.clients().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static StateFile.Valid load(Path statedir) throws Exception {
        Path copy = TestFiles.newDirectory("mandos-import-copy-");
        Files.copy(statedir.resolve(StateFile.FILE_NAME), copy.resolve(StateFile.FILE_NAME));
        Files.setPosixFilePermissions(copy.resolve(StateFile.FILE_NAME), PosixFilePermissions.fromString("rw-------"));
        return assertInstanceOf(StateFile.Valid.class, StateFile.load(copy));
    }

    private static void awaitLog(ReferenceServer server, String text, Duration limit) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            if (server.log().contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("\"" + text + "\" not in the reference log within " + limit + ":\n" + server.log());
    }
}

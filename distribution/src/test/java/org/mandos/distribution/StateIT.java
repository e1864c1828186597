package org.mandos.distribution;

import static org.mandos.distribution.SecretFetch.fetch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.mandos.state.ClientState;
import org.mandos.state.StateFile;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/** Persistent state in the assembled server: crash consistency and a fail-closed start. */
class StateIT {

    /** Under CI the long run; a developer can set -Dmandos.kill.rounds for more or fewer. */
    private static final int ROUNDS = Integer.getInteger("mandos.kill.rounds", 50);

    private static final String SECRET = "state test secret";

    /** How long after a change the server has surely written it: the debounce plus the write. */
    private static final long SAVED_AFTER_MILLIS = 1500;

    private static Path config(KeyPair key, String checker) {
        Path conf = TestFiles.newDirectory("mandos-state-conf-");
        StringBuilder clients = new StringBuilder("[DEFAULT]\ninterval = PT1S\ntimeout = PT3S\nsecret = "
                + Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)) + "\n");
        clients.append("[flaky]\nkey_id = ").append("F".repeat(64)).append("\nchecker = false\ntimeout = PT1S\n");
        for (int i = 0; i < 10; i++) {
            clients.append("[busy").append(i).append("]\nkey_id = ").append(String.format("%064X", i + 1))
                    .append("\nchecker = true\n");
        }
        clients.append("[me]\nkey_id = ").append(KeyIds.of(key.getPublic().getEncoded())).append("\nchecker = ")
                .append(checker).append("\n");
        TestFiles.write(conf.resolve("clients.conf"), clients.toString());
        return conf;
    }

    private static StateFile.Valid load(Path statedir) throws Exception {
        Path copy = TestFiles.newDirectory("mandos-state-copy-");
        Files.copy(statedir.resolve(StateFile.FILE_NAME), copy.resolve(StateFile.FILE_NAME));
        Files.setPosixFilePermissions(copy.resolve(StateFile.FILE_NAME),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return assertInstanceOf(StateFile.Valid.class, StateFile.load(copy));
    }

    private static boolean enabled(StateFile.Valid state, String name) {
        return state.clients().stream().filter(c -> c.name().equals(name)).findFirst().map(ClientState::enabled)
                .orElseThrow();
    }

    @Test
    void killedAtRandomMomentsTheServerAlwaysLeavesALoadableStateAndDisabledClientsStayDisabled() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path conf = config(key, "true");
        Path statedir = TestFiles.newWritableDirectory("mandos-crash-");
        int port = TestFiles.freePort();
        try (ServerProcess server = ServerProcess.start(conf, port, statedir)) {
            server.awaitLog(l -> l.contains("Client flaky disabled: timed out"), Duration.ofSeconds(20));
            Thread.sleep(SAVED_AFTER_MILLIS);
            server.kill();
        }
        assertFalse(enabled(load(statedir), "flaky"));
        for (int round = 0; round < ROUNDS; round++) {
            try (ServerProcess server = ServerProcess.start(conf, port, statedir)) {
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 1500));
                server.kill();
                assertFalse(server.log().contains("cannot be used"), "round " + round + ":\n" + server.log());
            }
            StateFile.Valid state = load(statedir);
            assertFalse(enabled(state, "flaky"), "round " + round + ": flaky was re-enabled");
        }
    }

    @Test
    void aCleanShutdownSavesEveryClientForTheNextStart() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path conf = config(key, "true");
        Path statedir = TestFiles.newWritableDirectory("mandos-clean-");
        int port = TestFiles.freePort();
        try (ServerProcess server = ServerProcess.start(conf, port, statedir)) {
            server.awaitLog(l -> l.contains("Client flaky disabled: timed out"), Duration.ofSeconds(20));
            assertEquals(0, server.terminate());
        }
        StateFile.Valid state = load(statedir);
        assertEquals(12, state.clients().size(), state.clients().toString());
        assertFalse(enabled(state, "flaky"));
        assertTrue(enabled(state, "busy0"));
    }

    @Test
    void aGarbageStateFileMeansNoSecretUntilACheckSucceeds() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path statedir = TestFiles.newWritableDirectory("mandos-garbage-");
        Files.write(statedir.resolve(StateFile.FILE_NAME), new byte[] {0x13, 0x37, (byte) 0xff, '{'});
        try (ServerProcess server = ServerProcess.start(config(key, "false"), TestFiles.freePort(), statedir)) {
            server.awaitLog(l -> l.contains("cannot be used"), Duration.ofSeconds(10));
            assertEquals(0, fetch(server.port, key).length, "no secret before a successful check");
            server.awaitLog(l -> l.contains("Client me gets no secret until a check succeeds"), Duration.ofSeconds(10));
        }
        try (var files = Files.list(statedir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("clients.json.corrupt-")),
                    "the bad file is kept aside");
        }
        Files.write(statedir.resolve(StateFile.FILE_NAME), "garbage".getBytes(StandardCharsets.US_ASCII));
        try (ServerProcess server = ServerProcess.start(config(key, "true"), TestFiles.freePort(), statedir)) {
            server.awaitLog(l -> l.contains("Checker for me succeeded"), Duration.ofSeconds(10));
            assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), fetch(server.port, key));
        }
    }

}

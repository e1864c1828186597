package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mandos.state.ClientState;
import org.mandos.state.StateFile;

/**
 * Crash consistency (issue 9 item 10): the packaged server, with a few clients an operator keeps changing
 * through the shell socket (enable, disable, a new timeout: each one saved half a second later) and a
 * hundred more that make every save a bigger file, is killed with SIGKILL at a random moment, over and
 * over. After every kill the state file loads as a valid document that holds every client, each driven
 * client in a state the operator actually set (never a mix of a half-written file), and no change the
 * server acknowledged more than {@link #DURABLE_AFTER} before the kill is lost; every restart restores
 * exactly that state, without a "corrupt" warning or a moved-aside file.
 *
 * <p>{@code -Dmandos.crash.rounds=N} (default {@value #DEFAULT_ROUNDS}; the long run is 200 or more, see
 * docs/testing.md) and {@code -Dmandos.crash.seed=S} (default: the time; printed, so a failing run can be
 * repeated with the same kill moments and operations).
 */
class CrashConsistencyIT {

    static final int DEFAULT_ROUNDS = 15;
    private static final int ROUNDS = Integer.getInteger("mandos.crash.rounds", DEFAULT_ROUNDS);
    private static final long SEED = Long.getLong("mandos.crash.seed", System.currentTimeMillis());

    private static final int DRIVEN = 5;
    private static final int PASSIVE = 100;
    /** A change acknowledged this long before the kill must be in the file (its save comes 0.5 s after it). */
    private static final Duration DURABLE_AFTER = Duration.ofSeconds(2);
    /** The longest time the operator keeps changing clients before the kill. */
    private static final int MAX_DRIVE_MILLIS = 4000;

    /** What is saved of a driven client and changed by the operator. */
    private record Snapshot(boolean enabled, Duration timeout) {
    }

    /** One driven client's history in a round: the states it went through, and when each was acknowledged. */
    private static final class History {
        final List<Snapshot> states = new ArrayList<>();
        final List<Long> ackedAt = new ArrayList<>(); // System.nanoTime(), or Long.MAX_VALUE if never acknowledged

        History(Snapshot start) {
            states.add(start);
            ackedAt.add(Long.MIN_VALUE);
        }
    }

    private static Path config() {
        Path conf = TestFiles.newDirectory("mandos-crash-conf-");
        StringBuilder clients = new StringBuilder("[DEFAULT]\nsecret = "
                + Base64.getEncoder().encodeToString("crash test secret".getBytes(StandardCharsets.UTF_8)) + "\n");
        for (int i = 0; i < DRIVEN; i++) {
            clients.append("[d").append(i).append("]\nkey_id = ").append(String.format("%064X", i + 1))
                    .append("\nchecker = true\ninterval = PT2S\ntimeout = PT1H\n");
        }
        for (int i = 0; i < PASSIVE; i++) {
            clients.append(String.format("[p%03d]%nkey_id = %064X%nchecker = true%ninterval = PT30S%ntimeout = PT2H%n",
                    i, 1000 + i));
        }
        TestFiles.write(conf.resolve("clients.conf"), clients.toString());
        return conf;
    }

    /** Loads a copy of the server's file (the server's user owns it; this process may be another). */
    private static StateFile.Valid load(Path statedir) throws IOException {
        Path copy = TestFiles.newDirectory("mandos-crash-copy-");
        Files.copy(statedir.resolve(StateFile.FILE_NAME), copy.resolve(StateFile.FILE_NAME));
        Files.setPosixFilePermissions(copy.resolve(StateFile.FILE_NAME), PosixFilePermissions.fromString("rw-------"));
        StateFile.Loaded loaded = StateFile.load(copy);
        return assertInstanceOf(StateFile.Valid.class, loaded, "the state file after a kill: " + loaded);
    }

    private static Map<String, Snapshot> driven(StateFile.Valid state) {
        Map<String, Snapshot> back = new HashMap<>();
        for (ClientState c : state.clients()) {
            if (c.name().startsWith("d")) {
                back.put(c.name(), new Snapshot(c.enabled(), c.timeout()));
            }
        }
        return back;
    }

    private static List<String> leftovers(Path statedir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(statedir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    /** One shell command over {@code <statedir>/shell.sock}; the whole answer. */
    private static String shell(Path socket, String command) throws IOException {
        return OperatorShell.converse(socket, command + "\n");
    }

    /** The driven client as the running server has it, from the shell's {@code client} command. */
    private static Snapshot running(Path socket, String name) throws IOException {
        String text = shell(socket, "client " + name);
        Boolean enabled = null;
        Duration timeout = null;
        for (String line : text.lines().map(l -> l.replace("mandos> ", "")).toList()) {
            if (line.matches("enabled: +(yes|no)")) {
                enabled = line.endsWith("yes");
            } else if (line.matches("timeout: +PT.*")) {
                timeout = Duration.parse(line.substring(line.indexOf("PT")).trim());
            }
        }
        if (enabled == null || timeout == null) {
            fail("unexpected answer to \"client " + name + "\": " + text);
        }
        return new Snapshot(enabled, timeout);
    }

    private static void awaitSocket(Path socket, ServerProcess server) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket)) {
            if (System.nanoTime() > end || !server.isAlive()) {
                fail("no shell socket " + socket + ":\n" + server.log());
            }
            TestFiles.pause(Duration.ofMillis(20));
        }
    }

    @Test
    void killedAtRandomMomentsWhileAnOperatorChangesClientsEveryRestartLoadsAConsistentState() throws Exception {
        System.out.println("CrashConsistencyIT: " + ROUNDS + " rounds, -Dmandos.crash.seed=" + SEED);
        Random random = new Random(SEED);
        Path conf = config();
        Path statedir = TestFiles.newWritableDirectory("mandos-crash-state-");
        Path socket = statedir.resolve("shell.sock");
        int port = TestFiles.freePort();

        // the first start writes the complete state once, cleanly
        try (ServerProcess server = ServerProcess.start(conf, port, statedir)) {
            for (int i = 0; i < DRIVEN; i++) { // else a restart disables it: never checked (§4 rule 6)
                String checked = "Checker for d" + i + " succeeded";
                server.awaitLog(l -> l.contains(checked), Duration.ofSeconds(30));
            }
            assertEquals(0, server.terminate());
        }
        Map<String, Snapshot> expected = driven(load(statedir));
        assertEquals(DRIVEN, expected.size());
        int sequence = 0;
        int removedLeftovers = 0;

        for (int round = 1; round <= ROUNDS; round++) {
            String where = "round " + round + " (seed " + SEED + ")";
            int driveMillis = 200 + random.nextInt(MAX_DRIVE_MILLIS - 200);
            long commandSeed = random.nextLong();
            Map<String, History> histories = new HashMap<>();
            long killedAt;
            try (ServerProcess server = ServerProcess.start(conf, port, statedir)) {
                // the restart restored what the file held, and nothing was found wanting
                String log = server.log();
                assertFalse(log.contains("cannot be used"), where + ":\n" + log);
                assertTrue(log.contains("Restoring the state of " + (DRIVEN + PASSIVE) + " client(s)"), where + ":\n" + log);
                assertEquals(List.of(), leftovers(statedir, StateFile.FILE_NAME + ".corrupt-"), where);
                awaitSocket(socket, server);
                for (Map.Entry<String, Snapshot> e : expected.entrySet()) {
                    assertEquals(e.getValue(), running(socket, e.getKey()), where + ": " + e.getKey() + " as restored");
                    histories.put(e.getKey(), new History(e.getValue()));
                }
                if (log.contains("temporary file(s) of an interrupted save")) {
                    removedLeftovers++;
                }

                // an operator changes clients continuously, until the server is killed under it
                AtomicBoolean stop = new AtomicBoolean();
                int firstValue = sequence;
                java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
                Thread operator = new Thread(() -> drive(socket, histories, new Random(commandSeed), firstValue, stop),
                        "operator");
                operator.setUncaughtExceptionHandler((t, e) -> failed.set(e));
                operator.start();
                TestFiles.pause(Duration.ofMillis(driveMillis));
                stop.set(true); // from now on a cut answer is the kill's doing
                killedAt = System.nanoTime();
                server.kill();
                operator.join(30_000);
                assertFalse(operator.isAlive(), where + ": the operator thread hangs");
                if (failed.get() != null) {
                    throw new AssertionError(where + ": " + failed.get().getMessage() + "\n" + server.log(), failed.get());
                }
                sequence += 1_000_000; // more than the timeouts one round can set
            }

            // the file is complete and holds every client in a state the operator set, nothing durable lost
            StateFile.Valid state = load(statedir);
            assertEquals(DRIVEN + PASSIVE, state.clients().size(), where + ": every client is in the file");
            Map<String, Snapshot> saved = driven(state);
            long durableBefore = killedAt - DURABLE_AFTER.toNanos();
            for (Map.Entry<String, History> e : histories.entrySet()) {
                History h = e.getValue();
                int mustHave = 0;
                for (int i = 0; i < h.states.size(); i++) {
                    if (h.ackedAt.get(i) <= durableBefore) {
                        mustHave = i;
                    }
                }
                int found = h.states.subList(mustHave, h.states.size()).indexOf(saved.get(e.getKey()));
                assertTrue(found >= 0, where + ", " + e.getKey() + ": saved " + saved.get(e.getKey())
                        + ", but the states since the last durable change were " + h.states.subList(mustHave,
                                h.states.size()) + " (killed " + driveMillis + " ms into the changes)");
            }
            assertTrue(leftovers(statedir, "." + StateFile.FILE_NAME + ".").size() <= 1,
                    where + ": temporary files pile up: " + leftovers(statedir, "." + StateFile.FILE_NAME + "."));
            expected = saved;
        }

        // a last, clean start and stop: the state as left by the last kill, and nothing left lying around
        try (ServerProcess server = ServerProcess.start(conf, port, statedir)) {
            assertFalse(server.log().contains("cannot be used"), server.log());
            awaitSocket(socket, server);
            for (Map.Entry<String, Snapshot> e : expected.entrySet()) {
                assertEquals(e.getValue(), running(socket, e.getKey()), "after the last round: " + e.getKey());
            }
            assertEquals(0, server.terminate());
        }
        assertEquals(List.of(), leftovers(statedir, "." + StateFile.FILE_NAME + "."), "after a clean stop");
        assertEquals(List.of(), leftovers(statedir, StateFile.FILE_NAME + ".corrupt-"));
        assertEquals(expected, driven(load(statedir)));
        System.out.println("CrashConsistencyIT: " + ROUNDS + " rounds passed; leftovers of a killed save were"
                + " removed at " + removedLeftovers + " restart(s)");
    }

    /**
     * The operator: enables, disables or sets a new (unique) timeout on a random driven client, one command
     * per connection, recording each state before sending it (it may be applied even if the answer never
     * comes) and when it was acknowledged.
     */
    private static void drive(Path socket, Map<String, History> histories, Random random, int firstValue,
            AtomicBoolean stop) {
        List<String> names = histories.keySet().stream().sorted().toList();
        int value = firstValue;
        while (!stop.get()) {
            String name = names.get(random.nextInt(names.size()));
            History h = histories.get(name);
            Snapshot now = h.states.get(h.states.size() - 1);
            String command;
            Snapshot next;
            String answer;
            if (random.nextBoolean()) {
                next = new Snapshot(!now.enabled(), now.timeout());
                command = (next.enabled() ? "enable " : "disable ") + name;
                answer = name + ": " + (next.enabled() ? "enabled" : "disabled");
            } else {
                next = new Snapshot(now.enabled(), Duration.ofHours(1).plusSeconds(++value));
                Duration t = next.timeout(); // RFC 3339 wants every unit after the first: PT1H0M1S, not PT1H1S
                command = String.format("timeout %s PT%dH%dM%dS", name, t.toHours(), t.toMinutesPart(), t.toSecondsPart());
                answer = name + ": timeout " + next.timeout();
            }
            synchronized (h) {
                h.states.add(next);
                h.ackedAt.add(Long.MAX_VALUE);
            }
            String reply;
            try {
                reply = shell(socket, command);
            } catch (IOException e) {
                return; // the server is gone
            }
            if (!reply.contains(answer)) {
                if (stop.get() || reply.isEmpty()) {
                    return; // killed while answering
                }
                throw new AssertionError("\"" + command + "\" answered: " + reply);
            }
            long acked = System.nanoTime();
            synchronized (h) {
                h.ackedAt.set(h.ackedAt.size() - 1, acked);
            }
        }
    }
}

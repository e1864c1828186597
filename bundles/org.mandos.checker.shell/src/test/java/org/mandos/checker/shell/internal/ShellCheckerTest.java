package org.mandos.checker.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandos.api.CheckResult;
import org.mandos.api.CheckResult.Outcome;
import org.mandos.api.ClientDefinition;

class ShellCheckerTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private ShellChecker checker;

    @BeforeEach
    void setUp() {
        checker = new ShellChecker();
        checker.start(false, GRACE);
    }

    /**
     * After every case: no process this JVM started is left (the {@code sh} is reaped by the JDK, and
     * what it started is stopped), so none can be a zombie of ours either.
     */
    @AfterEach
    void tearDown() throws InterruptedException {
        checker.deactivate();
        await("no child process of the test JVM to remain", Duration.ofSeconds(5),
                () -> ProcessHandle.current().descendants().findAny().isEmpty());
    }

    /** The JVM's descendants that are zombies: none may ever be (the JDK reaps its children). */
    private static List<Long> zombieDescendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(pid -> state(pid) == 'Z')
                .collect(Collectors.toList());
    }

    /** The state letter of /proc/pid/stat, or '?' when gone or unreadable. */
    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    private static ClientDefinition client(String command) {
        return new ClientDefinition("foo", "", "", new byte[] {1}, "example.org", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), command, Duration.ZERO, Duration.ofSeconds(1),
                true, true, Map.of());
    }

    private CheckResult run(String command, Map<String, String> attributes) throws Exception {
        return checker.check(client(command), attributes).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private CheckResult run(String command) throws Exception {
        return run(command, Map.of());
    }

    /** Polls a condition until a deadline: a bound, not a timing rule. */
    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Alive and not a zombie: an orphan's zombie may linger if this container's init does not reap. */
    private static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private List<Long> readPids(Path file, int count) throws Exception {
        await(count + " pids in " + file, Duration.ofSeconds(10), () -> {
            try {
                return Files.exists(file) && Files.readAllLines(file).stream()
                        .filter(l -> !l.isBlank()).count() >= count;
            } catch (IOException e) {
                return false;
            }
        });
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(String::trim)
                .map(Long::valueOf).collect(Collectors.toList());
    }

    private static String q(Path p) {
        return "'" + p.toString().replace("'", "'\"'\"'") + "'";
    }

    @Test
    void exitZeroIsAlive() throws Exception {
        assertEquals(CheckResult.alive(), run("exit 0"));
        assertEquals(Outcome.ALIVE, run("true").outcome());
    }

    @Test
    void nonZeroExitIsDown() throws Exception {
        assertEquals(CheckResult.down(3, "exited with status 3"), run("exit 3"));
        assertEquals(CheckResult.down(127, "exited with status 127"), run("no-such-command-xyz"));
        assertEquals(CheckResult.down(2, "exited with status 2"), run("if then fi"));
        assertEquals(CheckResult.down(255, "exited with status 255"), run("exit 255"));
    }

    @Test
    void killedBySignal() throws Exception {
        assertEquals(CheckResult.down(-1, "killed by signal 9"), run("kill -9 $$"));
        assertEquals(CheckResult.down(-1, "killed by signal 15"), run("kill -TERM $$"));
    }

    @Test
    void exitValueRule() {
        assertEquals(Outcome.ALIVE, ShellChecker.resultOf(0).outcome());
        assertEquals(CheckResult.down(128, "exited with status 128"), ShellChecker.resultOf(128));
        assertEquals(CheckResult.down(-1, "killed by signal 1"), ShellChecker.resultOf(129));
        assertEquals(CheckResult.down(-1, "killed by signal 64"), ShellChecker.resultOf(192));
        assertEquals(CheckResult.down(193, "exited with status 193"), ShellChecker.resultOf(193));
    }

    @Test
    void runsInRootWithDevNullStdinAndInheritedEnvironment() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(Outcome.ALIVE, run("pwd > " + q(out) + "; cat >> " + q(out) + "; echo \"$PATH\" >> "
                + q(out)).outcome());
        List<String> lines = Files.readAllLines(out);
        assertEquals("/", lines.get(0));
        assertEquals(System.getenv("PATH"), lines.get(1));
        assertEquals(2, lines.size(), "stdin must be empty");
    }

    @Test
    void expansionQuotesValues() throws Exception {
        Path out = dir.resolve("expanded");
        Map<String, String> attrs = new HashMap<>();
        attrs.put("host", "a b'c");
        attrs.put("timeout", "0:05:00");
        attrs.put("empty", "");
        assertEquals(Outcome.ALIVE, run("printf '%%s|' %(host)s %(timeout)s %(empty)s 100%% > " + q(out),
                attrs).outcome());
        assertEquals("a b'c|0:05:00||100%|", Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void expansionFormat() throws Exception {
        Map<String, String> attrs = Map.of("host", "a b'c", "x", "plain", "a(b)", "v");
        assertEquals("ping -c1 'a b'\"'\"'c'", CommandFormat.expand("ping -c1 %(host)s", attrs));
        assertEquals("plain%v%", CommandFormat.expand("%(x)s%%%(a(b))s%%", attrs));
        assertEquals("no placeholders", CommandFormat.expand("no placeholders", attrs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%(x)d", "%", "50% off", "%(x)", "%(x", "%(nosuch)s", "%s", "%(x)s %s", "%(x)5s",
        "%(x)r", "%d", "%(x)-s"})
    void malformedFormatRunsNothing(String bad) throws Exception {
        Path file = dir.resolve("touched");
        String command = "touch " + q(file) + "; " + bad;
        long before = checker.startedCount();
        CompletionStage<CheckResult> stage = checker.check(client(command), Map.of("x", "1"));
        CompletableFuture<CheckResult> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "a malformed format completes at once");
        CheckResult result = future.get();
        assertEquals(Outcome.ERROR, result.outcome());
        assertTrue(result.reason().startsWith("Could not format string \"" + command + "\": "), result.reason());
        assertEquals(before, checker.startedCount(), "no process started");
        assertFalse(Files.exists(file));
    }

    @Test
    void cancellingKillsShellAndBackgroundGrandchildren() throws Exception {
        Path pids = dir.resolve("pids");
        String command = "echo $$ >> " + q(pids) + "; sleep 1000 & echo $! >> " + q(pids)
                + "; sleep 1000 & echo $! >> " + q(pids) + "; wait";
        CompletableFuture<CheckResult> future = checker.check(client(command), Map.of()).toCompletableFuture();
        List<Long> list = readPids(pids, 3);
        for (long pid : list) {
            assertTrue(running(pid), "pid " + pid + " should be running");
        }
        assertTrue(future.cancel(true));
        assertTrue(future.isCancelled());
        await("checker tree to die", Duration.ofSeconds(2), () -> list.stream().noneMatch(ShellCheckerTest::running));
    }

    @Test
    void cancellingKillsForegroundSleepAndNestedShell() throws Exception {
        Path pids = dir.resolve("pids");
        String command = "echo $$ >> " + q(pids) + "; sh -c 'echo $$ >> " + pids + "; sleep 1000; true'; true";
        CompletableFuture<CheckResult> future = checker.check(client(command), Map.of()).toCompletableFuture();
        List<Long> list = new ArrayList<>(readPids(pids, 2));
        // the inner shell's foreground sleep
        long inner = list.get(1);
        await("inner sleep to start", Duration.ofSeconds(5),
                () -> ProcessHandle.of(inner).map(h -> h.children().findAny().isPresent()).orElse(false));
        ProcessHandle.of(inner).orElseThrow().children().forEach(h -> list.add(h.pid()));
        assertEquals(3, list.size());
        assertTrue(future.cancel(true));
        await("checker tree to die", Duration.ofSeconds(2), () -> list.stream().noneMatch(ShellCheckerTest::running));
        assertTrue(future.isCancelled());
    }

    @Test
    void termIgnoringTreeIsKilledAfterGrace() throws Exception {
        Path pids = dir.resolve("pids");
        String command = "trap '' TERM; echo $$ >> " + q(pids) + "; sleep 1000 & echo $! >> " + q(pids) + "; wait";
        CompletableFuture<CheckResult> future = checker.check(client(command), Map.of()).toCompletableFuture();
        List<Long> list = readPids(pids, 2);
        long cancelledAt = System.nanoTime();
        assertTrue(future.cancel(true));
        await("SIGKILL after grace", Duration.ofSeconds(3), () -> list.stream().noneMatch(ShellCheckerTest::running));
        long elapsed = System.nanoTime() - cancelledAt;
        assertTrue(elapsed >= GRACE.toNanos() / 2, "killed only after the grace period (" + elapsed + " ns)");
    }

    @Test
    void cancelAfterCompletionIsHarmless() throws Exception {
        CompletableFuture<CheckResult> future = checker.check(client("exit 0"), Map.of()).toCompletableFuture();
        assertEquals(CheckResult.alive(), future.get(20, TimeUnit.SECONDS));
        assertFalse(future.cancel(true));
        assertEquals(CheckResult.alive(), future.get());
    }

    @Test
    void manyConcurrentChecks() throws Exception {
        List<CompletableFuture<CheckResult>> futures = new ArrayList<>();
        int n = 64;
        for (int i = 0; i < n; i++) {
            futures.add(checker.check(client("sleep 0.1; exit " + (i % 3)), Map.of()).toCompletableFuture());
        }
        for (int i = 0; i < n; i++) {
            CheckResult r = futures.get(i).get(30, TimeUnit.SECONDS);
            if (i % 3 == 0) {
                assertEquals(CheckResult.alive(), r);
            } else {
                assertEquals(CheckResult.down(i % 3, "exited with status " + (i % 3)), r);
            }
        }
    }

    @Test
    void deactivateKillsRunningChecks() throws Exception {
        List<CompletableFuture<CheckResult>> futures = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path pids = dir.resolve("pids" + i);
            files.add(pids);
            String trap = i % 2 == 0 ? "trap '' TERM; " : "";
            futures.add(checker.check(client(trap + "echo $$ >> " + q(pids) + "; sleep 1000 & echo $! >> "
                    + q(pids) + "; wait"), Map.of()).toCompletableFuture());
        }
        List<Long> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(readPids(f, 2));
        }
        long t0 = System.nanoTime();
        checker.deactivate();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
        for (CompletableFuture<CheckResult> f : futures) {
            assertTrue(f.isCancelled());
        }
        await("all trees to die", Duration.ofSeconds(2), () -> all.stream().noneMatch(ShellCheckerTest::running));
        CheckResult after = checker.check(client("exit 0"), Map.of()).toCompletableFuture().get();
        assertEquals(Outcome.ERROR, after.outcome());
    }

    // ---- issue 9 item 7: checkers that misbehave ------------------------------------------------

    /**
     * The targets of the stdout and stderr of a checker started with {@link #reportingPid}, read from
     * /proc while it waits; then lets it finish.
     */
    private List<String> outputTargets(Path pidFile, Path go) throws Exception {
        List<Long> pid = readPids(pidFile, 1);
        Path fd = Path.of("/proc/" + pid.get(0) + "/fd");
        List<String> targets = List.of(Files.readSymbolicLink(fd.resolve("1")).toString(),
                Files.readSymbolicLink(fd.resolve("2")).toString());
        Files.createFile(go);
        return targets;
    }

    /**
     * A command that runs {@code command}, then writes down its pid and waits for {@code go} to exist.
     * The pid file appears by a rename, so that the shell's own descriptors are back in place (dash
     * redirects a builtin's output in the shell itself) when the test reads them.
     */
    private String reportingPid(Path pidFile, Path go, String command) {
        Path tmp = Path.of(pidFile + ".tmp");
        return command + "; echo $$ > " + q(tmp) + "; mv " + q(tmp) + " " + q(pidFile) + "; while [ ! -e " + q(go)
                + " ]; do sleep 0.02; done";
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void megabytesOfOutputNeitherBlockTheCheckNorReachTheServer(int status) throws Exception {
        Path pidFile = dir.resolve("pid");
        Path go = dir.resolve("go");
        // 32 MiB to each of stdout and stderr, far beyond a pipe buffer (64 KiB): with a pipe nobody
        // reads, the checker would block for ever; read into the server, it would be held in memory.
        CompletableFuture<CheckResult> future = checker.check(client(reportingPid(pidFile, go,
                "head -c 33554432 /dev/zero; head -c 33554432 /dev/zero >&2; test $? = 0") + "; exit " + status),
                Map.of())
                .toCompletableFuture();
        assertEquals(List.of("/dev/null", "/dev/null"), outputTargets(pidFile, go),
                "output goes straight to /dev/null: no pipe to fill, nothing for the server to hold");
        CheckResult result = future.get(20, TimeUnit.SECONDS);
        assertEquals(status == 0 ? CheckResult.alive() : CheckResult.down(3, "exited with status 3"), result);
        assertEquals(List.of(), zombieDescendants());
    }

    @Test
    void debugModeWritesOutputToTheServersOwnDescriptorsNotToAPipe() throws Exception {
        checker.deactivate();
        checker = new ShellChecker();
        checker.start(true, GRACE);
        Path pidFile = dir.resolve("pid");
        Path go = dir.resolve("go");
        CompletableFuture<CheckResult> future = checker.check(client(reportingPid(pidFile, go,
                "echo 'shell checker debug output (expected in test log)'")), Map.of()).toCompletableFuture();
        Path self = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd");
        assertEquals(List.of(Files.readSymbolicLink(self.resolve("1")).toString(),
                Files.readSymbolicLink(self.resolve("2")).toString()), outputTargets(pidFile, go),
                "the checker writes to the server's own stdout and stderr, not to a pipe of its own");
        assertEquals(CheckResult.alive(), future.get(20, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit 1", "exit 255", "false", "kill -SEGV $$", "kill -ABRT $$", "kill -KILL $$",
        "kill -TERM $$", "kill -HUP $$", "exec false", "sleep 1000 & exit 1", "true; exit 2", "exit 257",
        "(exit 0); false", "exec /no/such/program", "ulimit -t 0 2>/dev/null; exit 9"})
    void onlyExitStatusZeroCountsAsAlive(String command) throws Exception {
        CheckResult result = run(command);
        assertEquals(Outcome.DOWN, result.outcome(), command + " -> " + result);
        assertTrue(result.exitCode() != 0, result.toString());
    }

    @Test
    void aCrashOrASignalIsReportedAsSuch() throws Exception {
        assertEquals(CheckResult.down(-1, "killed by signal 11"), run("kill -SEGV $$"));
        assertEquals(CheckResult.down(-1, "killed by signal 6"), run("kill -ABRT $$"));
        // A shell whose foreground command crashed exits with 128+s: the same report, never alive.
        assertEquals(CheckResult.down(-1, "killed by signal 9"), run("sh -c 'kill -KILL $$'"));
        assertEquals(List.of(), zombieDescendants());
    }

    /**
     * A checker that exits while children it started run on, holding its stdout (a background job, a
     * double-forked grandchild that is no longer its descendant, one that ignores SIGTERM): the check
     * finishes when the {@code sh} exits, with the {@code sh}'s status only, and what it left behind is
     * stopped.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void childrenThatOutliveTheCheckerNeitherHoldTheCheckNorCountAndAreStopped(int status) throws Exception {
        Path pids = dir.resolve("pids");
        String command = "sleep 1000 & echo $! >> " + q(pids)
                + "; (sleep 1000 & echo $! >> " + q(pids) + ")"
                + "; sh -c 'trap \"\" TERM; echo $$ >> " + pids + "; while :; do sleep 1; done' &"
                + " while [ $(wc -l < " + q(pids) + ") -lt 3 ]; do sleep 0.05; done; exit " + status;
        CheckResult result = run(command);
        assertEquals(status == 0 ? CheckResult.alive() : CheckResult.down(1, "exited with status 1"), result,
                "the sh's status alone is the result");
        List<Long> left = readPids(pids, 3);
        await("the leftovers to be stopped (SIGKILL after the grace for the one ignoring SIGTERM)",
                Duration.ofSeconds(5), () -> left.stream().noneMatch(ShellCheckerTest::running));
        assertEquals(List.of(), zombieDescendants());
    }

    @Test
    void aCheckThatHangsRunsUntilCancelledThenLeavesNothing() throws Exception {
        Path pids = dir.resolve("pids");
        String command = "echo $$ >> " + q(pids) + "; (sleep 1000 & echo $! >> " + q(pids)
                + "); while :; do sleep 1; done";
        CompletableFuture<CheckResult> future = checker.check(client(command), Map.of()).toCompletableFuture();
        List<Long> list = readPids(pids, 2);
        assertFalse(future.isDone(), "a hanging check does not end by itself");
        assertTrue(future.cancel(true));
        await("the hung check and its orphaned grandchild to die", Duration.ofSeconds(5),
                () -> list.stream().noneMatch(ShellCheckerTest::running));
        assertTrue(future.isCancelled(), "a cancelled check never reports a result, let alone alive");
        assertEquals(List.of(), zombieDescendants());
    }

    @Test
    void debugModeInheritsOutput() throws Exception {
        checker.deactivate();
        checker = new ShellChecker();
        checker.start(true, GRACE);
        assertEquals(CheckResult.alive(), run("echo 'shell checker debug output (expected in test log)'"));
    }
}

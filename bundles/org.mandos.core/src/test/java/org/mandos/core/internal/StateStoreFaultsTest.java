package org.mandos.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.ClientDefinition;

/**
 * The registry's saving when the state directory cannot be written or its disk is full (issue 9 item 9):
 * it keeps serving from memory, says so once per condition (not once per save), never damages the last
 * saved file, and saves again as soon as it can.
 */
class StateStoreFaultsTest {

    private static final String KEY = "C".repeat(64);

    @TempDir
    Path tmp;

    /** The scheduler of the registry made last: each registry (each server run) has its own. */
    private ManualScheduler scheduler;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private Path mount;

    @BeforeEach
    void captureLog() {
        originalErr = System.err; // slf4j-simple writes to the current System.err
        System.setErr(new PrintStream(new Tee(log, originalErr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setErr(originalErr);
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    private static boolean root() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.substring(4).trim().split("\\s+")[1].equals("0");
            }
        }
        return false;
    }

    private static void requireRoot(String what) throws IOException {
        if (root()) {
            return;
        }
        String message = what + " needs root (mount)";
        if ("true".equals(System.getenv("CI")) || Boolean.getBoolean("mandos.interop.required")) {
            fail(message + "; under CI (CI=true or -Dmandos.interop.required=true) the tests run as root");
        }
        System.err.println("SKIPPED " + message);
        Assumptions.abort(message);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    private Path mountTmpfs(String size) throws IOException, InterruptedException {
        Path dir = Files.createDirectory(tmp.resolve("tmpfs"));
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
        mount = dir;
        return dir;
    }

    private ClientRegistryImpl registry(Path statedir, int clients) {
        scheduler = new ManualScheduler();
        ClientRegistryImpl r = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), true);
        List<ClientDefinition> defined = new java.util.ArrayList<>();
        for (int i = 0; i < clients; i++) {
            defined.add(new ClientDefinition("c" + i, String.format("%064X", i + 1), "",
                    "secret".getBytes(StandardCharsets.UTF_8), "h", Duration.ofMinutes(5), Duration.ofMinutes(15),
                    Duration.ofMinutes(2), "true", Duration.ZERO, Duration.ofSeconds(1), true, true, Map.of()));
        }
        r.addStore(() -> List.copyOf(defined), Map.of());
        return r;
    }

    private long lines(String text) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).count();
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anUnwritableStateDirectoryIsReportedOnceAndTheLastSavedStateSurvives() throws Exception {
        boolean root = root();
        Path statedir = root ? mountTmpfs("256k") : tmp.resolve("state");
        ClientRegistryImpl first = registry(statedir, 2);
        first.disable("c0");
        first.deactivate();
        byte[] good = Files.readAllBytes(statedir.resolve("clients.json"));

        if (root) {
            run("mount", "-o", "remount,ro", statedir.toString()); // root ignores modes
        } else {
            Files.setPosixFilePermissions(statedir, PosixFilePermissions.fromString("r-x------"));
        }
        ClientRegistryImpl second = registry(statedir, 2);
        assertFalse(second.client("c0").orElseThrow().enabled(), "the saved state was read");
        assertEquals(1, lines("The state directory " + statedir + " cannot be written"), log.toString());
        for (int i = 0; i < 5; i++) { // changes go on; every save fails for the same reason
            assertTrue(i % 2 == 0 ? second.enable("c0") : second.disable("c0"));
            scheduler.advance(StateStore.DEBOUNCE);
        }
        assertTrue(second.setTimeout("c1", Duration.ofMinutes(9)));
        scheduler.advance(StateStore.ROUTINE_DEBOUNCE);
        assertEquals(0, lines("Could not save the client state"), "the condition was already reported: " + log);
        assertEquals(1, lines("ERROR"), log.toString());
        assertTrue(second.client("c0").orElseThrow().enabled(), "the server serves from memory");
        assertArrayEquals(good, Files.readAllBytes(statedir.resolve("clients.json")), "the last saved state is intact");
        assertEquals(List.of("clients.json"), listing(statedir));

        if (root) {
            run("mount", "-o", "remount,rw", statedir.toString());
        } else {
            Files.setPosixFilePermissions(statedir, PosixFilePermissions.fromString("rwx------"));
        }
        second.disable("c1");
        scheduler.advance(StateStore.DEBOUNCE);
        assertEquals(1, lines("Saved the client state in " + statedir + " again"), log.toString());
        ClientRegistryImpl third = registry(statedir, 2);
        assertTrue(third.client("c0").orElseThrow().enabled(), "the state of memory was saved once possible");
        assertFalse(third.client("c1").orElseThrow().enabled());
        assertEquals(Duration.ofMinutes(9), third.client("c1").orElseThrow().timeout());
    }

    @Test
    void aFullDiskIsReportedOncePerConditionAndNothingSavedBeforeIsLost() throws Exception {
        requireRoot("the full-disk test (a 64 KiB tmpfs)");
        Path statedir = mountTmpfs("64k");
        ClientRegistryImpl first = registry(statedir, 3);
        ManualScheduler running = scheduler;
        first.disable("c0");
        running.advance(StateStore.DEBOUNCE);
        byte[] good = Files.readAllBytes(statedir.resolve("clients.json"));
        Path filler = statedir.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[1024];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
        for (int i = 0; i < 6; i++) {
            assertTrue(i % 2 == 0 ? first.enable("c0") : first.disable("c0"));
            running.advance(StateStore.DEBOUNCE);
        }
        assertEquals(1, lines("Could not save the client state in " + statedir + " (No space left on device)"),
                log.toString());
        assertArrayEquals(good, Files.readAllBytes(statedir.resolve("clients.json")));
        assertEquals(List.of("clients.json", "filler"), listing(statedir), "no temporary file is left");
        assertFalse(registry(statedir, 3).client("c0").orElseThrow().enabled(),
                "a restart now loads the last complete state");

        Files.delete(filler);
        first.enable("c2"); // c0 is disabled in memory after the loop; c2 enabled already: a new change
        first.disable("c2");
        running.advance(StateStore.DEBOUNCE);
        assertEquals(1, lines("Saved the client state in " + statedir + " again"), log.toString());
        assertFalse(registry(statedir, 3).client("c2").orElseThrow().enabled());
        assertEquals(List.of("clients.json"), listing(statedir));
    }
}

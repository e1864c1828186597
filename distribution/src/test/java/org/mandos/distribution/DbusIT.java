package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code mandos-ctl} (1.8.18, Python) against our server and against the reference server,
 * one after the other on the same configuration, each on a private system-bus-like {@code dbus-daemon}:
 * the list, {@code -v} and {@code --dump-json} output and the effect of each command must be the same,
 * once timestamps (which legitimately differ) are normalised.
 *
 * <p>Covered commands: {@code -e -d -b --stop-checker -c -t --extended-timeout -i --approval-delay
 * --approval-duration --approve-by-default --deny-by-default -H -A -D -V -s -r} ({@code -s} only by exit
 * status and standard error: Secret is write-only) and {@code --start-checker} on the enabled client.
 */
class DbusIT {

    /** Commands run in order, each compared by exit status and the JSON dump after it. */
    private static final List<List<String>> COMMANDS = List.of(
            List.of("-V", "demo"),
            List.of("-V", "demo-disabled"),
            List.of("-d", "demo"),
            List.of("-V", "demo"),
            List.of("-e", "demo-disabled"),
            List.of("-V", "demo-disabled"),
            List.of("-b", "demo-disabled"),
            List.of("--stop-checker", "demo"),
            List.of("-c", "/bin/true --flag", "demo"),
            List.of("-t", "PT10M", "demo"),
            List.of("--extended-timeout", "PT20M", "demo"),
            List.of("-i", "PT3M", "demo"),
            List.of("--approval-delay", "PT10S", "demo"),
            List.of("--approval-duration", "PT5S", "demo"),
            List.of("--deny-by-default", "demo"),
            List.of("--approve-by-default", "demo"),
            List.of("--deny-by-default", "demo-disabled"),
            List.of("-H", "h.example", "demo"),
            List.of("-A", "demo"),
            List.of("-s", "SECRET_FILE", "demo"),
            List.of("-D", "demo"),
            List.of("-e", "demo"),
            List.of("-d", "--all"),
            List.of("-r", "demo-disabled"),
            List.of("-r", "demo-disabled"),
            List.of("nosuchclient"));

    private static Path configdir;
    private static Path secretFile;

    @BeforeAll
    static void configuration() throws IOException {
        ReferenceTools.assumeInstalled();
        if (!Files.isExecutable(ctl()) || !onPath("dbus-daemon")) {
            String message = "mandos-ctl (" + ctl() + ") or dbus-daemon is missing";
            if (ReferenceTools.required()) {
                fail(message + "; they are required under CI");
            }
            System.err.println("SKIPPED D-Bus interoperability tests: " + message);
            Assumptions.abort(message);
        }
        configdir = TestFiles.newDirectory("mandos-dbus-conf-");
        TestFiles.write(configdir.resolve("clients.conf"),
                Files.readString(Installation.home().resolve("demo/conf/clients.conf"), StandardCharsets.UTF_8));
        TestFiles.write(configdir.resolve("mandos.conf"), "[DEFAULT]\nzeroconf = no\nuse_dbus = yes\n");
        secretFile = TestFiles.write(configdir.resolve("new-secret"), "not really encrypted\n");
    }

    private static Path ctl() {
        return ReferenceTools.dir().resolve("usr/sbin/mandos-ctl");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** What one server answered: outputs by name. */
    private static Map<String, String> session(String busAddress) {
        awaitServer(busAddress);
        SignalMonitor signals = SignalMonitor.start(busAddress);
        // The first check of an enabled client is at start-up for the reference and at a random time
        // within an interval for ours: run one now on both, and wait until it has completed.
        ctl(busAddress, "--start-checker", "demo");
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (!ctl(busAddress, "-j").stdout().contains("\"LastCheckerStatus\": 0")
                || ctl(busAddress, "-j").stdout().contains("\"CheckerRunning\": true")) {
            if (Instant.now().isAfter(end)) {
                fail("the check of demo did not complete:\n" + ctl(busAddress, "-j").stdout());
            }
            TestFiles.pause(Duration.ofMillis(200));
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("list", normalise(ctl(busAddress).stdout()));
        out.put("list demo", normalise(ctl(busAddress, "demo").stdout()));
        out.put("-v", normalise(ctl(busAddress, "-v").stdout()));
        out.put("-j", normalise(ctl(busAddress, "-j").stdout()));
        for (List<String> command : COMMANDS) {
            ReferenceTools.Result r = ctl(busAddress, command.stream()
                    .map(a -> a.equals("SECRET_FILE") ? secretFile.toString() : a).toArray(String[]::new));
            String key = String.join(" ", command);
            out.put(key + " → status", Integer.toString(r.exitCode()));
            out.put(key + " → stderr", r.stderr().strip());
            out.put(key + " → -j", normaliseChecks(normalise(ctl(busAddress, "-j").stdout())));
        }
        out.put("final -v", normaliseChecks(normalise(ctl(busAddress, "-v").stdout())));
        out.put("signals", signals.stop());
        return out;
    }

    /**
     * The signals the server sent while the commands ran, watched with {@code dbus-monitor}: the distinct
     * (object, interface, member) triples, the object being {@code /} or a client's path, sorted.
     */
    private record SignalMonitor(Process process, Path output) {
        static SignalMonitor start(String busAddress) {
            try {
                Path output = Files.createTempFile("mandos-dbus-signals-", ".txt");
                Process p = new ProcessBuilder("dbus-monitor", "--address", busAddress, "--monitor", "type='signal'")
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                Instant end = Instant.now().plus(Duration.ofSeconds(20));
                while (!Files.readString(output).contains("NameAcquired") && !Files.readString(output).contains("member=")) {
                    assertTrue(p.isAlive() && Instant.now().isBefore(end), "dbus-monitor did not start: "
                            + Files.readString(output));
                    TestFiles.pause(Duration.ofMillis(100));
                }
                return new SignalMonitor(p, output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String stop() {
            try {
                TestFiles.pause(Duration.ofMillis(500)); // the last command's signals
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
                java.util.TreeSet<String> seen = new java.util.TreeSet<>();
                java.util.regex.Pattern signal = java.util.regex.Pattern.compile(
                        "^signal .* sender=(\\S+) .* path=([^;]+); interface=([^;]+); member=(\\S+)");
                for (String line : Files.readAllLines(output)) {
                    var m = signal.matcher(line);
                    if (m.find() && !m.group(1).equals("org.freedesktop.DBus")) {
                        String object = m.group(2).equals("/") ? "/" : m.group(2).startsWith("/clients/") ? "/clients/*"
                                : m.group(2);
                        seen.add(object + " " + m.group(3) + "." + m.group(4));
                    }
                }
                Files.deleteIfExists(output);
                return String.join("\n", seen);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Timestamps become TIME; the table's column widths then differ, so runs of blanks become one. The
     * reference lists its clients in no fixed order (a Python dict of object paths), so the table rows
     * and the JSON objects of the clients are sorted.
     */
    static String normalise(String text) {
        String t = text.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?", "TIME");
        List<String> lines = new ArrayList<>(List.of(t.split("\n")));
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            return t;
        }
        if (!lines.get(0).equals("{")) {
            t = t.replaceAll("[ ]+", " ").replaceAll(" \n", "\n");
            lines = new ArrayList<>(List.of(t.split("\n")));
            List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
            rows.sort(null);
            return lines.get(0) + "\n" + String.join("\n", rows) + "\n";
        }
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            if (line.startsWith("    \"")) {
                block = new StringBuilder();
            }
            if (block != null) {
                block.append(line.equals("    },") ? "    }" : line).append('\n');
                if (line.startsWith("    }")) {
                    blocks.add(block.toString());
                    block = null;
                }
            }
        }
        blocks.sort(null);
        return "{\n" + String.join("", blocks) + "}\n";
    }

    /** After interval and enable changes a check may be running or have run on one server only. */
    static String normaliseChecks(String text) {
        return text.replaceAll("\"CheckerRunning\": (true|false)", "\"CheckerRunning\": ?")
                .replaceAll("\"LastCheckerStatus\": -?\\d+", "\"LastCheckerStatus\": ?")
                .replaceAll("\"LastCheckedOK\": \"TIME\"", "\"LastCheckedOK\": ?")
                .replaceAll("\"LastCheckedOK\": \"\"", "\"LastCheckedOK\": ?")
                .replaceAll("\"Expires\": \"TIME\"", "\"Expires\": ?")
                .replaceAll("\"Expires\": \"\"", "\"Expires\": ?");
    }

    private static void awaitServer(String busAddress) {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        ReferenceTools.Result r;
        while ((r = ctl(busAddress, "-j")).exitCode() != 0) {
            if (Instant.now().isAfter(end)) {
                fail("mandos-ctl cannot reach the server: " + r.stderr());
            }
            TestFiles.pause(Duration.ofMillis(200));
        }
    }

    static ReferenceTools.Result ctl(String busAddress, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", ctl().toString()));
        command.addAll(List.of(args));
        return ReferenceTools.run(command, Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress), Duration.ofSeconds(30));
    }

    /** Runs {@code body} with the bus address of our server, started on a private system bus. */
    private static <T> T onOurServer(java.util.function.Function<String, T> body) throws Exception {
        try (PrivateBus bus = PrivateBus.start();
                ServerProcess server = ServerProcess.startWithEnvironment(configdir,
                        Map.of("DBUS_SYSTEM_BUS_ADDRESS", bus.address()))) {
            return body.apply(bus.address());
        }
    }

    /** Runs a command and returns its standard output; fails on a non-zero status. */
    private static String run(List<String> command) {
        ReferenceTools.Result r = ReferenceTools.run(command, Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), command + ": " + r.stderr());
        return r.stdout();
    }

    @Test
    void theRealMandosMonitorListsOurClients() throws Exception {
        Path monitor = ReferenceTools.dir().resolve("usr/sbin/mandos-monitor");
        if (!Files.isExecutable(monitor) || !onPath("tmux")) {
            String message = "mandos-monitor or tmux is missing";
            if (ReferenceTools.required()) {
                fail(message + "; they are required under CI");
            }
            Assumptions.abort(message);
        }
        String tmux = "mandos-monitor-" + ProcessHandle.current().pid();
        String screen = onOurServer(address -> {
            awaitServer(address);
            run(List.of("tmux", "-L", tmux, "new-session", "-d", "-s", "monitor", "-x", "160", "-y", "40",
                    "env DBUS_SYSTEM_BUS_ADDRESS=" + address + " TERM=xterm /usr/bin/python3 " + monitor));
            try {
                Instant end = Instant.now().plus(Duration.ofSeconds(30));
                String shown = "";
                while (Instant.now().isBefore(end)) {
                    shown = run(List.of("tmux", "-L", tmux, "capture-pane", "-p", "-t", "monitor"));
                    if (shown.contains("demo-disabled") && shown.matches("(?s).*\\bdemo\\b(?!-).*")) {
                        return shown;
                    }
                    TestFiles.pause(Duration.ofMillis(200));
                }
                return shown;
            } finally {
                ReferenceTools.run(List.of("tmux", "-L", tmux, "kill-server"), Duration.ofSeconds(10));
            }
        });
        System.out.println("DbusIT: mandos-monitor's screen:\n" + screen);
        assertTrue(screen.contains("demo-disabled"), screen);
        assertTrue(screen.matches("(?s).*\\bdemo\\b(?!-).*"), screen);
    }

    @Test
    void mandosCtlSeesAndChangesOurServerAsTheReference() throws Exception {
        Map<String, String> reference;
        try (ReferenceServer server = ReferenceServer.start(configdir)) {
            reference = session(server.busAddress());
        }
        Map<String, String> ours = onOurServer(address -> session(address));
        assertTrue(reference.get("-j").contains("\"demo-disabled\""), reference.get("-j"));
        System.out.println("DbusIT: the reference after every command (normalised):\n" + reference.get("final -v"));
        System.out.println("DbusIT: the signals of the reference:\n" + reference.get("signals"));
        assertTrue(reference.get("signals").contains("ClientRemoved"), reference.get("signals"));
        // The commands had an effect: the last JSON dump differs from the first.
        assertTrue(reference.get("-v").contains("h.example") == false && reference.get("final -v").contains("h.example"));
        for (String key : reference.keySet()) {
            assertEquals(reference.get(key), ours.get(key), key);
        }
    }

    @Test
    void withoutABusTheServerWarnsOnceAndServes() {
        Path missing = TestFiles.newWritableDirectory("mandos-dbus-none-").resolve("no_socket");
        try (ServerProcess server = ServerProcess.startWithEnvironment(configdir,
                Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + missing))) {
            server.awaitLog(line -> line.contains("Disabling D-Bus"), Duration.ofSeconds(30));
            long warnings = server.log().lines().filter(line -> line.contains("Disabling D-Bus")).count();
            assertEquals(1, warnings, server.log());
        }
    }
}

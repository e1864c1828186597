package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our {@code bin/mandos-ctl} against the real one (Python, 1.8.16), both talking to our server on a
 * private system-bus-like {@code dbus-daemon}: the same arguments must give the same standard output,
 * standard error and exit status, and the changing commands, applied by ours on one server and by the
 * real one on another, must leave the same state (as the real tool's {@code -j} shows it) and make the
 * same D-Bus calls (their {@code --debug} logs).
 *
 * <p>Known differences, checked as such: {@code --version} (our version), a missing bus and a failing
 * D-Bus call after the start (the reference dies with a Python traceback; ours prints one message; both
 * exit 1), zero clients (the reference crashes on the table and on {@code -V --all}; ours prints the header,
 * or exits 1).
 */
class OurMandosCtlIT {

    /** Queries and wrong command lines: identical output, error output and exit status. */
    private static final List<List<String>> SAME = List.of(
            List.of(),
            List.of("demo"),
            List.of("demo-disabled", "demo"),
            List.of("-v"),
            List.of("-v", "demo-disabled"),
            List.of("-j"),
            List.of("-j", "demo"),
            List.of("--dump-json", "demo-disabled", "demo"),
            List.of("nosuchclient"),
            List.of("demo", "it's-not-there"),
            List.of("-V", "demo"),
            List.of("-V", "demo-disabled"),
            List.of("--is-enabled", "nosuchclient"),
            List.of("-a"),
            List.of("-v", "-e", "x"),
            List.of("-j", "-e", "x"),
            List.of("-j", "-j"),
            List.of("-a", "-j"),
            List.of("-e", "-d", "x"),
            List.of("--start-checker", "--stop-checker", "x"),
            List.of("--approve-by-default", "--deny-by-default", "x"),
            List.of("-A", "-D", "x"),
            List.of("-r", "-e", "x"),
            List.of("-V", "a", "b"),
            List.of("-e"),
            List.of("-t", "PT5M"),
            List.of("-t"),
            List.of("--foo"),
            List.of("-x", "demo"),
            List.of("demo", "-e", "demo-disabled"),
            List.of("--e", "x"),
            List.of("-eV"),
            List.of("-ex"),
            List.of("--enable=x"),
            List.of("-s", "/nonexistent/secret", "demo"),
            List.of("-t", "5m", "-e", "-d", "x"),
            List.of("-h"),
            List.of("--debug"),
            List.of("--debug", "-j", "demo"),
            List.of("--debug", "nosuchclient"),
            List.of("--", "demo"));

    /** Commands that change the server, in order; each is run with {@code --debug}. */
    private static final List<List<String>> CHANGES = List.of(
            List.of("-d", "demo"),
            List.of("-V", "demo"),
            List.of("-e", "demo"),
            List.of("-e", "demo-disabled"),
            List.of("-V", "demo-disabled"),
            List.of("-b", "demo-disabled"),
            List.of("--stop-checker", "demo"),
            List.of("-c", "/bin/true --flag 'quoted'", "demo"),
            List.of("-t", "PT10M", "demo"),
            List.of("-i", "5m", "demo"),
            List.of("--extended-timeout", "1h 2m", "demo"),
            List.of("--approval-delay", "PT10S", "demo"),
            List.of("--approval-duration", "P1D", "demo"),
            List.of("--deny-by-default", "demo"),
            List.of("--approve-by-default", "demo"),
            List.of("--deny-by-default", "-a"),
            List.of("-H", "h.example", "demo"),
            List.of("-A", "demo"),
            List.of("-D", "demo"),
            List.of("-s", "SECRET_FILE", "demo"),
            List.of("-e", "-t", "PT6M", "--approve-by-default", "demo", "demo-disabled"),
            List.of("-ebt", "PT7M", "demo-disabled"),
            List.of("-d", "--all"),
            List.of("-e", "-a"),
            List.of("nosuchclient", "-d"));

    /** Run after {@link #CHANGES} and the {@code -v} listing: they remove the clients. */
    private static final List<List<String>> REMOVALS = List.of(
            List.of("-D", "-r", "demo-disabled"),
            List.of("-r", "demo"),
            List.of("-r", "nosuchclient"));

    private static Path configdir;
    private static Path secretFile;

    @BeforeAll
    static void configuration() throws IOException {
        ReferenceTools.assumeInstalled();
        if (!Files.isExecutable(referenceCtl()) || !onPath("dbus-daemon")) {
            String message = "the reference mandos-ctl (" + referenceCtl() + ") or dbus-daemon is missing";
            if (ReferenceTools.required()) {
                fail(message + "; they are required under CI");
            }
            System.err.println("SKIPPED mandos-ctl comparison tests: " + message);
            Assumptions.abort(message);
        }
        assertTrue(Files.isExecutable(Installation.bin("mandos-ctl")), "bin/mandos-ctl is missing");
        configdir = TestFiles.newDirectory("mandos-ctl-conf-");
        TestFiles.write(configdir.resolve("clients.conf"),
                Files.readString(Installation.home().resolve("demo/conf/clients.conf"), StandardCharsets.UTF_8));
        TestFiles.write(configdir.resolve("mandos.conf"), "[DEFAULT]\nzeroconf = no\nuse_dbus = yes\n");
        secretFile = TestFiles.write(configdir.resolve("new-secret"), "not really encrypted\n");
    }

    private static Path referenceCtl() {
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

    private enum Tool {
        REFERENCE, OURS;

        List<String> command() {
            return this == REFERENCE ? List.of("/usr/bin/python3", referenceCtl().toString())
                    : List.of(Installation.bin("mandos-ctl").toString());
        }
    }

    /** Runs a mandos-ctl on the bus {@code busAddress}, standard input from /dev/null. */
    private static ReferenceTools.Result ctl(Tool tool, String busAddress, List<String> args) {
        List<String> command = new ArrayList<>(tool.command());
        for (String a : args) {
            command.add(a.equals("SECRET_FILE") ? secretFile.toString() : a);
        }
        java.util.Map<String, String> environment = new java.util.HashMap<>();
        environment.put("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
        environment.put("COLUMNS", null);
        return ReferenceTools.run(command, environment, Duration.ofSeconds(30));
    }

    /** A private system bus; {@code body} gets its address (the server, if any, is started by the body). */
    private static <T> T onPrivateBus(Function<String, T> body) throws Exception {
        try (PrivateBus bus = PrivateBus.start()) {
            return body.apply(bus.address());
        }
    }

    /** Our server on a private bus, with the demo clients (or {@code conf}); {@code body} gets the bus. */
    private static <T> T onOurServer(Path conf, Function<String, T> body) throws Exception {
        return onPrivateBus(address -> {
            try (ServerProcess server = ServerProcess.startWithEnvironment(conf,
                    Map.of("DBUS_SYSTEM_BUS_ADDRESS", address))) {
                awaitServer(address);
                return body.apply(address);
            }
        });
    }

    private static void awaitServer(String address) {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        ReferenceTools.Result r;
        while ((r = ctl(Tool.REFERENCE, address, List.of("-j"))).exitCode() != 0) {
            if (Instant.now().isAfter(end)) {
                fail("mandos-ctl cannot reach the server: " + r.stderr());
            }
            TestFiles.pause(Duration.ofMillis(200));
        }
    }

    /** Runs one check of demo now and waits until it is over, so that its state stays put for a while. */
    private static void settle(String address) {
        ctl(Tool.REFERENCE, address, List.of("--start-checker", "demo"));
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        String dump;
        while (!(dump = ctl(Tool.REFERENCE, address, List.of("-j")).stdout()).contains("\"LastCheckerStatus\": 0")
                || dump.contains("\"CheckerRunning\": true")) {
            if (Instant.now().isAfter(end)) {
                fail("the check of demo did not complete:\n" + dump);
            }
            TestFiles.pause(Duration.ofMillis(200));
        }
    }

    private static String describe(ReferenceTools.Result r) {
        return "status " + r.exitCode() + "\n--- stdout\n" + r.stdout() + "--- stderr\n" + r.stderr();
    }

    @Test
    void queriesAndUsageErrorsAreIdentical() throws Exception {
        List<String> failures = onOurServer(configdir, address -> {
            settle(address);
            List<String> differences = new ArrayList<>();
            for (List<String> args : SAME) {
                // The server's state may change between the runs (a check, a time-out): then the two runs
                // of the reference differ too, and the comparison is made again.
                for (int attempt = 1;; attempt++) {
                    ReferenceTools.Result reference = ctl(Tool.REFERENCE, address, args);
                    ReferenceTools.Result ours = ctl(Tool.OURS, address, args);
                    ReferenceTools.Result again = ctl(Tool.REFERENCE, address, args);
                    if (!reference.equals(again) && attempt < 3) {
                        continue;
                    }
                    if (!reference.equals(ours)) {
                        differences.add("mandos-ctl " + args + "\nreference: " + describe(reference) + "\nours: "
                                + describe(ours));
                    }
                    break;
                }
            }
            System.out.println("OurMandosCtlIT: compared " + SAME.size() + " command lines, e.g. -v:\n"
                    + ctl(Tool.OURS, address, List.of("-v")).stdout());
            // --version: the same form, our own version.
            assertEquals(new ReferenceTools.Result(0, "mandos-ctl 1.8.16\n", ""),
                    ctl(Tool.REFERENCE, address, List.of("--version")));
            ReferenceTools.Result version = ctl(Tool.OURS, address, List.of("--version"));
            assertEquals(0, version.exitCode());
            assertTrue(version.stdout().matches("mandos-ctl [0-9][^\\s]*\n"), version.stdout());
            return differences;
        });
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    /** One session of CHANGES by {@code tool} on a fresh server: per command, its outcome and the state after. */
    private static Map<String, String> changes(Tool tool) throws Exception {
        return onOurServer(configdir, address -> {
            settle(address);
            Map<String, String> out = new LinkedHashMap<>();
            out.put("-j before", DbusIT.normalise(ctl(Tool.REFERENCE, address, List.of("-j")).stdout()));
            for (List<List<String>> commands : List.of(CHANGES, REMOVALS)) {
                if (commands == REMOVALS) {
                    out.put("-v after", DbusIT.normaliseChecks(DbusIT.normalise(
                            ctl(Tool.OURS, address, List.of("-v")).stdout())));
                }
                for (List<String> command : commands) {
                    List<String> args = new ArrayList<>(List.of("--debug"));
                    args.addAll(command);
                    ReferenceTools.Result r = ctl(tool, address, args);
                    String key = String.join(" ", command);
                    out.put(key + " → status", Integer.toString(r.exitCode()));
                    out.put(key + " → stdout", r.stdout());
                    out.put(key + " → stderr (--debug)", r.stderr());
                    out.put(key + " → -j", DbusIT.normaliseChecks(DbusIT.normalise(
                            ctl(Tool.REFERENCE, address, List.of("-j")).stdout())));
                }
            }
            return out;
        });
    }

    @Test
    void changesMadeByOursAreThoseOfTheReference() throws Exception {
        Map<String, String> reference = changes(Tool.REFERENCE);
        Map<String, String> ours = changes(Tool.OURS);
        System.out.println("OurMandosCtlIT: after the changes made by ours (normalised):\n" + ours.get("-v after"));
        assertTrue(!reference.get("-j before").contains("h.example") && reference.get("-v after").contains("h.example"),
                reference.get("-v after"));
        for (String key : reference.keySet()) {
            assertEquals(reference.get(key), ours.get(key), key);
        }
    }

    @Test
    void withZeroClientsOursPrintsTheHeaderWhereTheReferenceCrashes() throws Exception {
        Path empty = TestFiles.newDirectory("mandos-ctl-noclients-");
        TestFiles.write(empty.resolve("clients.conf"), "");
        TestFiles.write(empty.resolve("mandos.conf"), "[DEFAULT]\nzeroconf = no\nuse_dbus = yes\n");
        onOurServer(empty, address -> {
            assertEquals(new ReferenceTools.Result(0, "{}\n", ""), ctl(Tool.REFERENCE, address, List.of("-j")));
            assertEquals(new ReferenceTools.Result(0, "{}\n", ""), ctl(Tool.OURS, address, List.of("-j")));
            ReferenceTools.Result reference = ctl(Tool.REFERENCE, address, List.of());
            assertEquals(1, reference.exitCode(), describe(reference));
            assertTrue(reference.stderr().contains("TypeError"), describe(reference));
            assertEquals(new ReferenceTools.Result(0, "Name Enabled Timeout Last Successful Check\n", ""),
                    ctl(Tool.OURS, address, List.of()));
            ReferenceTools.Result verbose = ctl(Tool.OURS, address, List.of("-v"));
            assertEquals(0, verbose.exitCode(), describe(verbose));
            assertTrue(verbose.stdout().startsWith("Name Enabled Timeout Last Successful Check Created Interval Host"
                    + " Key ID Fingerprint Check Is Running"), verbose.stdout());
            assertEquals(ctl(Tool.REFERENCE, address, List.of("-d", "-a")), ctl(Tool.OURS, address, List.of("-d", "-a")));
            assertEquals(1, ctl(Tool.REFERENCE, address, List.of("-V", "-a")).exitCode());
            assertEquals(new ReferenceTools.Result(1, "", ""), ctl(Tool.OURS, address, List.of("-V", "-a")));
            return null;
        });
    }

    @Test
    void withoutAServerBothCannotConnect() throws Exception {
        onPrivateBus(address -> {
            for (List<String> args : List.of(List.<String>of(), List.of("-j"), List.of("--debug", "-v"),
                    List.of("-e", "demo"))) {
                ReferenceTools.Result reference = ctl(Tool.REFERENCE, address, args);
                assertEquals(1, reference.exitCode(), describe(reference));
                assertTrue(reference.stderr().contains("Could not connect to Mandos server: "), describe(reference));
                assertEquals(reference, ctl(Tool.OURS, address, args), String.join(" ", args));
            }
            return null;
        });
    }

    @Test
    void withoutABusBothFailWithTheSameReason() {
        String address = "unix:path=" + TestFiles.newWritableDirectory("mandos-ctl-nobus-").resolve("no_socket");
        ReferenceTools.Result reference = ctl(Tool.REFERENCE, address, List.of("-j"));
        ReferenceTools.Result ours = ctl(Tool.OURS, address, List.of("-j"));
        // The reference dies with a traceback whose last line is the D-Bus library's exception.
        assertEquals(1, reference.exitCode(), describe(reference));
        assertEquals(1, ours.exitCode(), describe(ours));
        assertEquals("", ours.stdout());
        String prefix = "Could not connect to Mandos server: ";
        assertTrue(ours.stderr().startsWith(prefix) && ours.stderr().lines().count() == 1, ours.stderr());
        String reason = ours.stderr().strip().substring(prefix.length());
        List<String> referenceLines = reference.stderr().strip().lines().toList();
        assertEquals("dbus.exceptions.DBusException: org.freedesktop.DBus.Error.FileNotFound: " + reason,
                referenceLines.get(referenceLines.size() - 1));
    }
}

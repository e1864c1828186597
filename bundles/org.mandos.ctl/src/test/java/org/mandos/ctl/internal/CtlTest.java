package org.mandos.ctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CtlTest {

    private static final String USAGE = """
            usage: mandos-ctl [-h] [--version] [-a] [-v] [-j] [-e | -d] [-b]
                              [--start-checker | --stop-checker] [-V] [-r] [-c COMMAND]
                              [-t TIME] [--extended-timeout TIME] [-i TIME]
                              [--approve-by-default | --deny-by-default]
                              [--approval-delay TIME] [--approval-duration TIME]
                              [-H STRING] [-s FILENAME] [-A | -D] [--debug] [--check]
                              [client ...]
            """;

    private final FakeBus bus = new FakeBus().with(FakeBus.client("demo", true, 300000, ""))
            .with(FakeBus.client("demo-disabled", false, 300000, ""));
    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = new Ctl("9.9", 80, new ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                debug -> bus).run(List.of(args));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private void assertUsageError(String message, String... args) {
        assertEquals(2, run(args), String.join(" ", args));
        assertEquals(USAGE + "mandos-ctl: error: " + message + "\n", err, String.join(" ", args));
        assertEquals("", out);
        assertEquals(List.of(), bus.calls);
    }

    @Test
    void ruleViolationsAreArgparseErrorsWithExitStatus2() {
        assertUsageError("--all requires an action.", "-a");
        assertUsageError("--verbose can only be used alone.", "-v", "-e", "x");
        assertUsageError("--dump-json can only be used alone.", "-j", "-e", "x");
        assertUsageError("--dump-json can only be used alone.", "-j", "-j");
        assertUsageError("argument -d/--disable: not allowed with argument -e/--enable", "-e", "-d", "x");
        assertUsageError("argument -D/--deny: not allowed with argument -A/--approve", "-A", "-D", "x");
        assertUsageError("--remove can only be combined with --deny", "-r", "-e", "x");
        assertUsageError("--is-enabled requires exactly one client", "-V", "a", "b");
        assertUsageError("Options require clients names or --all.", "-e");
        assertUsageError("argument -t/--timeout: expected one argument", "-t");
        assertUsageError("unrecognized arguments: --foo", "--foo");
        assertUsageError("unrecognized arguments: x", "demo", "-e", "x");
        assertUsageError("ambiguous option: --e could match --enable, --extended-timeout", "--e", "x");
        assertUsageError("argument -e/--enable: ignored explicit argument 'x'", "-ex");
        assertUsageError("argument -e/--enable: ignored explicit argument 'x'", "--enable=x");
        assertUsageError("argument -s/--secret: can't open '/nonexistent/x': [Errno 2] No such file or directory:"
                + " '/nonexistent/x'", "-s", "/nonexistent/x", "demo");
    }

    @Test
    void usageIsWrappedToTheTerminalWidthAfterTheWarningsOfEarlierArguments() {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = new Ctl("9.9", 40, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(e, true, StandardCharsets.UTF_8), debug -> bus).run(List.of("-t", "5m", "-e"));
        assertEquals(2, status);
        assertEquals("Invalid RFC 3339 duration: \"5m\" - Parsing as pre-1.6.1 interval instead\n"
                + "usage: mandos-ctl [-h] [--version]\n"
                + "                  [-a] [-v] [-j]\n"
                + "                  [-e | -d] [-b]\n"
                + "                  [--start-checker | --stop-checker]\n"
                + "                  [-V] [-r]\n"
                + "                  [-c COMMAND]\n"
                + "                  [-t TIME]\n"
                + "                  [--extended-timeout TIME]\n"
                + "                  [-i TIME]\n"
                + "                  [--approve-by-default | --deny-by-default]\n"
                + "                  [--approval-delay TIME]\n"
                + "                  [--approval-duration TIME]\n"
                + "                  [-H STRING]\n"
                + "                  [-s FILENAME]\n"
                + "                  [-A | -D] [--debug]\n"
                + "                  [--check]\n"
                + "                  [client ...]\n"
                + "mandos-ctl: error: Options require clients names or --all.\n", e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void combinedShortOptionsAndAbbreviationsAreReadAsArgparseDoes() {
        assertEquals(0, run("-ebt", "PT7M", "--approve-by", "--", "demo"));
        assertEquals(List.of("Set /clients/demo Enabled True", "Set /clients/demo LastCheckedOK ''",
                "Set /clients/demo Timeout 420000", "Set /clients/demo ApprovedByDefault True"), bus.calls);
        bus.calls.clear();
        assertEquals(0, run("--host=h.example", "-cCMD", "demo"));
        assertEquals(List.of("Set /clients/demo Host 'h.example'", "Set /clients/demo Checker 'CMD'"), bus.calls);
    }

    @Test
    void versionAndHelpGoToStandardOutput() {
        assertEquals(0, run("--version"));
        assertEquals("mandos-ctl 9.9\n", out);
        assertEquals(0, run("-h"));
        assertTrue(out.startsWith(USAGE + "\npositional arguments:\n  client                Client name\n\noptions:\n"
                + "  -h, --help            show this help message and exit\n"), out);
        assertTrue(out.contains("  -c COMMAND, --checker COMMAND\n                        Set checker command for client\n"),
                out);
    }

    @Test
    void listsAndSelectsClientsByName() {
        assertEquals(0, run());
        assertEquals("Name          Enabled Timeout  Last Successful Check\n"
                + "demo          Yes     00:05:00                      \n"
                + "demo-disabled No      00:05:00                      \n", out);
        assertEquals(0, run("demo-disabled", "demo"));
        assertTrue(out.startsWith("Name          Enabled Timeout  Last Successful Check\ndemo-disabled No"), out);
        assertEquals(1, run("nosuch"));
        assertEquals("Client not found on server: 'nosuch'\n", err);
        assertEquals("", out);
    }

    @Test
    void isEnabledIsTheExitStatus() {
        assertEquals(0, run("-V", "demo"));
        assertEquals(1, run("-V", "demo-disabled"));
        assertEquals("", out + err);
    }

    @Test
    void commandsSetPropertiesInCommandLineOrderWithDenyBeforeRemove() {
        assertEquals(0, run("-c", "x", "-t", "5m", "--approve-by-default", "demo"));
        assertEquals("Invalid RFC 3339 duration: \"5m\" - Parsing as pre-1.6.1 interval instead\n", err);
        assertEquals(List.of("Set /clients/demo Checker 'x'", "Set /clients/demo Timeout 300000",
                "Set /clients/demo ApprovedByDefault True"), bus.calls);
        bus.calls.clear();
        assertEquals(0, run("-r", "-D", "demo"));
        assertEquals(List.of("Approve /clients/demo False", "RemoveClient /clients/demo"), bus.calls);
        bus.calls.clear();
        assertEquals(0, run("-d", "--all"));
        assertEquals(List.of("Set /clients/demo Enabled False", "Set /clients/demo_disabled Enabled False"), bus.calls);
        bus.calls.clear();
        assertEquals(0, run("-s", "-", "-b", "-A", "demo"));
        assertEquals(List.of("Set /clients/demo Secret dbus.ByteArray(b'from stdin')",
                "Set /clients/demo LastCheckedOK ''", "Approve /clients/demo True"), bus.calls);
    }

    @Test
    void connectionFailuresExitWith1() {
        bus.connectFailure = "The name se.recompile.Mandos was not provided by any .service files";
        assertEquals(1, run("-j"));
        assertEquals("Could not connect to Mandos server: The name se.recompile.Mandos was not provided by any"
                + " .service files\n", err);
    }

    @Test
    void zeroClientsGiveTheHeaderOrAnEmptyObject() {
        bus.clients.clear();
        assertEquals(0, run());
        assertEquals("Name Enabled Timeout Last Successful Check\n", out);
        assertEquals(0, run("-j"));
        assertEquals("{}\n", out);
    }

    @Test
    void checkIsANoteAndSuccess() {
        assertEquals(0, run("--check", "--bogus"));
        assertEquals(Ctl.CHECK_NOTE + "\n", err);
    }
}

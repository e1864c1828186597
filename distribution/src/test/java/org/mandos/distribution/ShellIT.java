package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator shell of a background server: a test on the same host connects to
 * {@code <statedir>/shell.sock}, lists the clients, disables one and sees it disabled; bin/mandos-shell
 * does the same from the command line.
 */
class ShellIT {

    @Test
    void anOperatorDisablesAClientThroughTheShellSocket() throws Exception {
        Path run = TestFiles.newWritableDirectory("mandos-shell-run-");
        Path pidfile = run.resolve("mandos.pid");
        int port = TestFiles.freePort();
        ReferenceTools.Result start = ReferenceTools.run(List.of(Installation.bin("mandos").toString(),
                "--configdir", Installation.home().resolve("demo/conf").toString(), "--port", Integer.toString(port),
                "--no-zeroconf", "--statedir", run.toString(), "--pidfile", pidfile.toString()), Duration.ofSeconds(90));
        assertEquals(0, start.exitCode(), start.stderr());
        ProcessHandle server = ProcessHandle.of(Long.parseLong(Files.readString(pidfile).trim())).orElseThrow();
        Path socket = run.resolve("shell.sock");
        try {
            assertTrue(Files.exists(socket), "the server opens " + socket);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            String text = converse(socket, "clients\ndisable demo\nclient demo\nexit\nclients\n");
            List<String> lines = text.lines().map(l -> l.replace("mandos> ", "")).toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("NAME")), text);
            assertTrue(lines.stream().anyMatch(l -> l.matches("demo +yes .*")), "demo starts enabled: " + text);
            assertTrue(lines.contains("demo: disabled"), text);
            assertTrue(lines.stream().anyMatch(l -> l.matches("enabled: +no")), text);
            assertEquals(1, lines.stream().filter(l -> l.startsWith("NAME")).count(), "nothing after exit: " + text);

            String unknown = converse(socket, "client nobody\n");
            assertTrue(unknown.contains("Error: no client named \"nobody\""), unknown);

            // loglevel reaches Logback on the launcher's class path through its BiConsumer service
            String level = converse(socket, "loglevel org.mandos.core DEBUG\nloglevel org.mandos.core LOUD\n");
            assertTrue(level.contains("org.mandos.core: DEBUG"), level);
            assertTrue(level.contains("Error: unknown log level \"LOUD\""), level);

            ReferenceTools.Result tool = ReferenceTools.run(List.of(Installation.bin("mandos-shell").toString(),
                    "--statedir", run.toString(), "client", "demo"), Duration.ofSeconds(60));
            assertEquals(0, tool.exitCode(), tool.stderr());
            assertTrue(tool.stdout().lines().anyMatch(l -> l.matches("enabled: +no")), tool.stdout());
            assertFalse(tool.stdout().contains("mandos> "), tool.stdout());
            ReferenceTools.Result table = ReferenceTools.run(List.of(Installation.bin("mandos-shell").toString(),
                    "--statedir", run.toString(), "clients"), Duration.ofSeconds(60));
            assertTrue(table.stdout().lines().anyMatch(l -> l.matches("demo +no .*")), table.stdout());
        } finally {
            server.destroy();
            server.onExit().get(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(socket), "the socket is removed at shutdown");
    }

    /** Sends the lines, then reads everything until the server closes the session. */
    private static String converse(Path socket, String input) throws Exception {
        return OperatorShell.converse(socket, input);
    }

    /** In --foreground the shell reads the console (forced here: the test's standard input is a pipe). */
    @Test
    void inTheForegroundTheConsoleIsAShellAndClosingItKeepsTheServer() throws Exception {
        Path run = TestFiles.newWritableDirectory("mandos-console-run-");
        Path out = run.resolve("stdout");
        Path err = run.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(Installation.bin("mandos").toString(), "--foreground",
                "--debuglevel", "INFO",
                "--configdir", Installation.home().resolve("demo/conf").toString(), "--port",
                Integer.toString(TestFiles.freePort()), "--no-zeroconf", "--no-dbus", "--statedir", run.toString(),
                "--pidfile", run.resolve("mandos.pid").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MANDOS_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC -Dmandos.shell.console=true");
        Process server = builder.start();
        try {
            awaitFile(err, "Now listening on", server);
            awaitFile(out, "mandos> ", server);
            server.getOutputStream().write("clients\ndisable demo\n".getBytes(StandardCharsets.UTF_8));
            server.getOutputStream().flush();
            String shown = awaitFile(out, "demo: disabled", server);
            assertTrue(shown.lines().anyMatch(l -> l.matches("(mandos> )?demo-disabled +no .*")), shown);
            assertFalse(Files.readString(out).contains("Now listening"), "the log stays on standard error");
            server.getOutputStream().close(); // Ctrl-D
            awaitFile(err, "Console shell closed; the server keeps running", server);
            assertTrue(server.isAlive());
        } finally {
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }
    }

    private static String awaitFile(Path file, String wanted, Process server) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String text = Files.exists(file) ? Files.readString(file) : "";
            if (text.contains(wanted)) {
                return text;
            }
            assertTrue(server.isAlive(), "the server exited:\n" + text);
            TestFiles.pause(Duration.ofMillis(100));
        }
        throw new AssertionError("no \"" + wanted + "\" in " + file + ":\n" + Files.readString(file));
    }
}

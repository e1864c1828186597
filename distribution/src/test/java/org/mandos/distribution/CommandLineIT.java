package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bin/mandos as an operator meets it: errors, --check, and background mode. */
class CommandLineIT {

    private static ReferenceTools.Result mandos(String... args) {
        List<String> command = new ArrayList<>(List.of(Installation.bin("mandos").toString()));
        command.addAll(List.of(args));
        return ReferenceTools.run(command, Duration.ofSeconds(90));
    }

    private static Path demoConf() {
        return Installation.home().resolve("demo/conf");
    }

    private static Path brokenConf() {
        Path conf = TestFiles.newDirectory("mandos-broken-");
        TestFiles.write(conf.resolve("clients.conf"), "[DEFAULT]\ntimeout = PT5M\n\n[web]\nkey_id = AB\n"
                + "secret = c2VjcmV0\ninterval = 5 minutes\n");
        return conf;
    }

    @Test
    void aBrokenConfigurationStopsStartUpWithOneLineNamingFileLineAndOption() {
        Path conf = brokenConf();
        ReferenceTools.Result r = mandos("--configdir", conf.toString(), "--port", "10999", "--no-zeroconf");
        assertEquals(1, r.exitCode());
        assertEquals("", r.stdout());
        assertEquals("mandos: " + conf.resolve("clients.conf") + ":7: [web] interval: invalid duration \"5 minutes\"\n",
                r.stderr());
    }

    @Test
    void inTheForegroundABrokenClientsConfStopsStartUpBeforeAnyBundleReadsIt() {
        // clients.conf is checked while the framework starts; the bundles (and the store, which would log
        // the same problem again) start only after it proved valid.
        Path conf = brokenConf();
        Path state = TestFiles.newDirectory("mandos-state-");
        ReferenceTools.Result r = mandos("--foreground", "--configdir", conf.toString(), "--statedir",
                state.toString(), "--port", Integer.toString(TestFiles.freePort()), "--no-zeroconf", "--no-dbus");
        assertEquals(1, r.exitCode());
        assertEquals("mandos: " + conf.resolve("clients.conf") + ":7: [web] interval: invalid duration \"5 minutes\"\n",
                r.stderr());
    }

    @Test
    void anUnsupportedPriorityTokenIsNamed() {
        ReferenceTools.Result r = mandos("--foreground", "--configdir", demoConf().toString(), "--priority",
                "NORMAL:+BOGUS");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("mandos: --priority: "), r.stderr());
        assertTrue(r.stderr().contains("\"BOGUS\""), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    @Test
    void withoutZeroconfAPortIsNeeded() {
        ReferenceTools.Result r = mandos("--configdir", demoConf().toString(), "--no-zeroconf", "--port", "0");
        assertEquals(2, r.exitCode());
        assertEquals("mandos: Needs port or socket to work without Zeroconf\n", r.stderr());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        ReferenceTools.Result r = mandos("--no-such-option");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--no-such-option"), r.stderr());
    }

    @Test
    void checkPassesOnTheDemoConfiguration() {
        ReferenceTools.Result r = mandos("--check", "--configdir", demoConf().toString(), "--statedir", "/tmp");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("ok:   TLS 1.3 handshake"), r.stdout());
        assertTrue(r.stdout().contains("2 client(s)"), r.stdout());
    }

    @Test
    void checkFailsOnABrokenConfiguration() {
        ReferenceTools.Result r = mandos("--check", "--configdir", brokenConf().toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("[web] interval: invalid duration"), r.stderr());
    }

    @Test
    void checkFailsWhenClientsConfIsWritableByOthers() throws IOException {
        Path conf = TestFiles.newDirectory("mandos-writable-");
        Path clients = TestFiles.write(conf.resolve("clients.conf"), "");
        Files.setPosixFilePermissions(clients, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        ReferenceTools.Result r = mandos("--check", "--configdir", conf.toString(), "--statedir", "/tmp");
        assertEquals(1, r.exitCode(), r.stdout());
        // Reading clients.conf refuses it (as the server does at start-up), in one line on standard error.
        assertEquals("mandos: " + clients + ": writable by all users, and it holds the clients' secrets: anyone could"
                + " give a client their own key and receive its secret (chmod o-w " + clients + ")",
                r.stderr().strip(), r.stdout());
    }

    @Test
    void inTheBackgroundItReturnsOnceListeningAndWritesThePidFile() throws Exception {
        Path run = TestFiles.newWritableDirectory("mandos-run-");
        Path pidfile = run.resolve("mandos.pid");
        int port = TestFiles.freePort();
        ReferenceTools.Result r = mandos("--configdir", demoConf().toString(), "--port", Integer.toString(port),
                "--no-zeroconf", "--statedir", run.toString(), "--pidfile", pidfile.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("port " + port), r.stdout());
        long pid = Long.parseLong(Files.readString(pidfile, StandardCharsets.US_ASCII).trim());
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            String uid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertFalse(uid.matches("Uid:\\s+0\\s.*"), "started as root, the server must not run as root: " + uid);
        }
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected());
        }
        server.destroy();
        server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(Files.exists(pidfile), "the pid file is removed at shutdown");
    }

    @Test
    void inTheBackgroundAStartUpErrorIsReportedWithANonZeroExit() {
        Path run = TestFiles.newWritableDirectory("mandos-run-");
        int port = TestFiles.freePort();
        try (ServerProcess first = ServerProcess.start(demoConf(), port)) {
            ReferenceTools.Result r = mandos("--configdir", demoConf().toString(), "--port", Integer.toString(port),
                    "--no-zeroconf", "--statedir", run.toString(), "--pidfile", run.resolve("pid").toString());
            assertNotEquals(0, r.exitCode());
            assertTrue(r.stderr().contains("Address already in use"), r.stderr());
        }
    }

    @Test
    void anInheritedListeningSocketIsServed() throws Exception {
        Path conf = TestFiles.newDirectory("mandos-socket-");
        Files.copy(demoConf().resolve("clients.conf"), conf.resolve("clients.conf"));
        Files.setPosixFilePermissions(conf.resolve("clients.conf"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path script = Path.of(getClass().getResource("/with-listening-socket.py").toURI());
        Path log = TestFiles.newWritableDirectory("mandos-socket-log-").resolve("out");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), Installation.bin("mandos").toString(),
                "--foreground", "--socket", "3", "--configdir", conf.toString(), "--no-zeroconf", "--debuglevel", "INFO")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String listening = awaitLine(log, "Now listening on", p);
            String port = Files.readString(log).lines().filter(l -> l.startsWith("port ")).findFirst().orElseThrow()
                    .substring(5);
            assertTrue(listening.contains("port " + port), listening);
            Path keys = Installation.home().resolve("demo/client");
            java.security.KeyPair key = org.mandos.tls.KeyFiles.readKeyPair(keys.resolve("tls-pubkey.pem"),
                    keys.resolve("tls-privkey.pem"));
            try (java.net.Socket s = new java.net.Socket("::1", Integer.parseInt(port))) {
                s.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] secret = org.mandos.tls.RawKeyTlsServer.receive(s.getInputStream(), s.getOutputStream(),
                        org.mandos.tls.TlsPolicy.defaultPolicy(), key,
                        new java.security.SecureRandom());
                assertTrue(secret.length > 100, "the demo client's OpenPGP message");
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static String awaitLine(Path log, String text, Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            java.util.Optional<String> line = Files.readString(log).lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" in:\n" + Files.readString(log));
    }

    @Test
    void sigtermIsANormalShutdownWithExitStatusZero() throws Exception {
        try (ServerProcess server = ServerProcess.start(demoConf(), TestFiles.freePort())) {
            assertEquals(0, server.terminate(), server.log());
            assertTrue(server.log().contains("Stopping"), server.log());
        }
    }

    @Test
    void aSocketNumberThatIsNotOpenIsReportedClearly() {
        ReferenceTools.Result r = mandos("--foreground", "--socket", "7", "--configdir", demoConf().toString());
        assertEquals(1, r.exitCode());
        assertEquals("mandos: --socket 7: not an open file descriptor\n", r.stderr());
    }

    @Test
    void versionAndHelpExitZero() {
        ReferenceTools.Result version = mandos("-v");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().matches("mandos \\d+\\.\\d+\\.\\d+.* \\(Java\\)\n"), version.stdout());
        ReferenceTools.Result help = mandos("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("--configdir"), help.stdout());
    }
}

package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

@Timeout(120)
class MainTest {

    static final String PASSWORD = "This is a test secret.\n";

    @TempDir
    static Path dir;
    static Path keys;
    static Path otherKeys;
    static PgpTestKeys pgp;
    static PgpTestKeys otherPgp;
    static KeyPair tls;

    @BeforeAll
    static void makeKeys() throws IOException {
        pgp = PgpTestKeys.generate("test");
        otherPgp = PgpTestKeys.generate("other");
        tls = KeyFiles.generate("ed25519");
        keys = writeKeys("keys", pgp, tls);
        otherKeys = writeKeys("other", otherPgp, tls);
    }

    static Path writeKeys(String name, PgpTestKeys openpgp, KeyPair tlsKey) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        Files.write(d.resolve("pubkey.txt"), openpgp.armoredPublic());
        Files.write(d.resolve("seckey.txt"), openpgp.armoredSecret());
        Files.writeString(d.resolve("tls-pubkey.pem"), KeyFiles.toPem(tlsKey.getPublic()));
        Files.writeString(d.resolve("tls-privkey.pem"), KeyFiles.toPem(tlsKey.getPrivate()));
        return d;
    }

    record Run(int status, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static String[] withKeys(Path keyDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--pubkey=" + keyDir.resolve("pubkey.txt"),
                "--seckey=" + keyDir.resolve("seckey.txt"), "--tls-pubkey=" + keyDir.resolve("tls-pubkey.pem"),
                "--tls-privkey=" + keyDir.resolve("tls-privkey.pem")));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    static void assertNoStackTrace(String stderr) {
        assertFalse(stderr.contains("\tat ") || stderr.contains("Exception"), stderr);
    }

    @Test
    void fetchesAndPrintsExactlyThePassword() throws Exception {
        byte[] message = pgp.encrypt(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> message)) {
            Run r = run(withKeys(keys, "--connect=127.0.0.1:" + server.port(), "--tries=1"));
            assertEquals(0, r.status(), r.stderr());
            assertEquals(PASSWORD, r.out());
            assertEquals("", r.stderr());
            assertEquals(List.of("1\r\n"), server.protocolLines);
            assertEquals(List.of(KeyIds.of(tls.getPublic()).toUpperCase(Locale.ROOT)), server.keyIds);
            assertTrue(server.failures.isEmpty(), server.failures.toString());
        }
    }

    @Test
    void ipv6LoopbackWithoutAndWithBrackets() throws Exception {
        InetAddress v6;
        try {
            v6 = InetAddress.getByName("::1");
            try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
                probe.getLocalPort();
            }
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        byte[] message = pgp.encrypt(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (FakeMandosServer server = new FakeMandosServer(v6, (n, s) -> message)) {
            Run plain = run(withKeys(keys, "--connect=::1:" + server.port(), "--tries=1"));
            assertEquals(0, plain.status(), plain.stderr());
            assertEquals(PASSWORD, plain.out());
            Run brackets = run(withKeys(keys, "--connect", "[::1]:" + server.port(), "--tries=1"));
            assertEquals(0, brackets.status(), brackets.stderr());
            assertEquals(PASSWORD, brackets.out());
        }
    }

    @Test
    void deniedUntilTheThirdAttempt() throws Exception {
        byte[] message = pgp.encrypt(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> n < 2 ? null : message)) {
            Run r = run(withKeys(keys, "--connect=127.0.0.1:" + server.port(), "--retry=0.05", "--tries=5"));
            assertEquals(0, r.status(), r.stderr());
            assertEquals(PASSWORD, r.out());
            assertEquals(3, server.connections.get());
        }
    }

    @Test
    void denyingServerExhaustsTries() throws Exception {
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> null)) {
            Run r = run(withKeys(keys, "--connect=127.0.0.1:" + server.port(), "--retry=0", "--tries=3", "--debug"));
            assertEquals(Main.EXIT_TEMPFAIL, r.status(), r.stderr());
            assertEquals(0, r.stdout().length);
            assertEquals(3, server.connections.get());
            assertTrue(r.stderr().contains("Received no data"), r.stderr());
            assertTrue(r.stderr().contains("after 3 attempts; giving up"), r.stderr());
            assertTrue(r.stderr().contains("--retry 0.0 is below 0.1"), r.stderr());
            assertTrue(server.failures.isEmpty(), server.failures.toString());
        }
    }

    @Test
    void refusedConnectionIsRetriedSilently() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Run r = run(withKeys(keys, "--connect=127.0.0.1:" + port, "--retry=0.1", "--tries=2"));
        assertEquals(Main.EXIT_TEMPFAIL, r.status());
        assertEquals(0, r.stdout().length);
        assertEquals("mandos-client: no password from 127.0.0.1:" + port + " after 2 attempts; giving up\n",
                r.stderr());
    }

    @Test
    void timeoutBoundsASilentServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accept and never answer
                    }
                } catch (IOException closed) {
                    // end of test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            Run r = run(withKeys(keys, "--connect=127.0.0.1:" + silent.getLocalPort(), "--timeout=1", "--debug"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(Main.EXIT_TEMPFAIL, r.status(), r.stderr());
            assertEquals(0, r.stdout().length);
            assertTrue(seconds < 15, "took " + seconds + " s");
            assertTrue(r.stderr().contains("(--timeout reached)"), r.stderr());
            assertTrue(r.stderr().contains("timed out"), r.stderr());
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void passwordForAnotherKeyIsAClearError() throws Exception {
        byte[] message = otherPgp.encrypt(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> message)) {
            Run r = run(withKeys(keys, "--connect=127.0.0.1:" + server.port(), "--retry=0.1", "--tries=2"));
            assertEquals(Main.EXIT_TEMPFAIL, r.status(), r.stderr());
            assertEquals(0, r.stdout().length);
            String id = OpenPgpDecryptor.hex(otherPgp.encryptionKey.getKeyID());
            String line = "mandos-client: the password is encrypted to another OpenPGP key (key ID " + id
                    + "), not to seckey.txt\n";
            assertEquals(line + line + "mandos-client: no password from 127.0.0.1:" + server.port()
                    + " after 2 attempts; giving up\n", r.stderr());
            assertEquals(2, server.connections.get());
        }
    }

    @Test
    void debugNeverShowsThePassword() throws Exception {
        byte[] secret = PASSWORD.getBytes(StandardCharsets.UTF_8);
        byte[] message = pgp.encrypt(secret);
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> message)) {
            Run r = run(withKeys(keys, "--connect=127.0.0.1:" + server.port(), "--debug", "--interface=eth0",
                    "--network-hook-dir=/nonexistent", "--delay=1", "--dh-bits=2048", "--dh-params=/x"));
            assertEquals(0, r.status(), r.stderr());
            assertEquals(PASSWORD, r.out());
            String err = r.stderr();
            assertTrue(err.contains("Ignoring --interface eth0"), err);
            assertTrue(err.contains("Ignoring --network-hook-dir=/nonexistent"), err);
            assertTrue(err.contains("Ignoring --delay=1"), err);
            assertTrue(err.contains("Ignoring --dh-bits=2048"), err);
            assertTrue(err.contains("Ignoring --dh-params=/x"), err);
            assertTrue(err.contains("Establishing TLS session"), err);
            assertFalse(err.contains("test secret"), err);
            String hex = HexFormat.of().formatHex(secret);
            String spaced = HexFormat.ofDelimiter(" ").formatHex(secret);
            assertFalse(err.toLowerCase(Locale.ROOT).contains(hex), err);
            assertFalse(err.toLowerCase(Locale.ROOT).contains(spaced.substring(0, 20)), err);
        }
    }

    @Test
    void missingKeyFilesExit69BeforeAnyConnection() throws Exception {
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> null)) {
            for (String file : List.of("pubkey.txt", "seckey.txt", "tls-pubkey.pem", "tls-privkey.pem")) {
                Path d = Files.createTempDirectory(dir, "missing");
                for (String f : List.of("pubkey.txt", "seckey.txt", "tls-pubkey.pem", "tls-privkey.pem")) {
                    if (!f.equals(file)) {
                        Files.copy(keys.resolve(f), d.resolve(f));
                    }
                }
                Run r = run(withKeys(d, "--connect=127.0.0.1:" + server.port()));
                assertEquals(Main.EXIT_UNAVAILABLE, r.status(), file + ": " + r.stderr());
                assertEquals(1, r.stderr().lines().count(), r.stderr());
                assertTrue(r.stderr().contains(file), r.stderr());
                assertNoStackTrace(r.stderr());
            }
            assertEquals(0, server.connections.get());
        }
    }

    @Test
    void invalidKeyFilesExit69() throws Exception {
        Path d = Files.createTempDirectory(dir, "bad");
        for (String f : List.of("pubkey.txt", "seckey.txt", "tls-pubkey.pem", "tls-privkey.pem")) {
            Files.copy(keys.resolve(f), d.resolve(f));
        }
        Files.writeString(d.resolve("seckey.txt"), "garbage\n");
        Run r = run(withKeys(d, "--connect=127.0.0.1:1"));
        assertEquals(Main.EXIT_UNAVAILABLE, r.status(), r.stderr());
        assertNoStackTrace(r.stderr());
        Files.copy(keys.resolve("seckey.txt"), d.resolve("seckey.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(d.resolve("tls-privkey.pem"), KeyFiles.toPem(KeyFiles.generate("ed25519").getPrivate()));
        r = run(withKeys(d, "--connect=127.0.0.1:1"));
        assertEquals(Main.EXIT_UNAVAILABLE, r.status(), r.stderr());
        assertTrue(r.stderr().contains("does not belong"), r.stderr());
    }

    @Test
    void usageErrorsExit64() {
        for (String[] args : List.of(new String[] {"--bogus"}, new String[] {"--connect=127.0.0.1"},
                new String[] {"--connect=127.0.0.1:0"}, new String[] {"--retry=-1", "--connect=127.0.0.1:1"},
                new String[] {"--retry=abc", "--connect=127.0.0.1:1"}, new String[] {"--tries=0", "--connect=127.0.0.1:1"},
                new String[] {"--timeout=0", "--connect=127.0.0.1:1"},
                new String[] {"--priority=NORMAL:+VERS-TLS1.2:-VERS-TLS1.3", "--connect=127.0.0.1:1"},
                new String[] {"extra", "--connect=127.0.0.1:1"})) {
            Run r = run(withKeys(keys, args));
            assertEquals(Main.EXIT_USAGE, r.status(), String.join(" ", args) + ": " + r.stderr());
            assertEquals(0, r.stdout().length);
            assertNoStackTrace(r.stderr());
        }
    }

    /** A discovery that has "found" the given servers at once, and remembers how it was used. */
    static final class Found implements Main.SourceFactory {
        final List<ServerAddress> servers;
        List<String> interfaces;
        boolean closed;

        Found(ServerAddress... servers) {
            this.servers = List.of(servers);
        }

        @Override
        public ServerSource open(List<String> names, PasswordFetcher.Log log) {
            interfaces = names;
            java.util.concurrent.LinkedBlockingQueue<ServerAddress> queue =
                    new java.util.concurrent.LinkedBlockingQueue<>(servers);
            return new ServerSource() {
                @Override
                public ServerAddress next(long timeoutNanos) throws InterruptedException {
                    return timeoutNanos < 0 ? queue.take()
                            : queue.poll(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }

    static Run run(Main.SourceFactory sources, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8), sources);
        return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Two different loopback ports where nothing listens. */
    static int[] closedPorts() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (ServerSocket s1 = new ServerSocket(0, 1, lo); ServerSocket s2 = new ServerSocket(0, 1, lo)) {
            return new int[] {s1.getLocalPort(), s2.getLocalPort()};
        }
    }

    @Test
    void withoutConnectTheServersFoundWithZeroconfAreTriedAndRetried() throws Exception {
        byte[] secret = PASSWORD.getBytes(StandardCharsets.UTF_8);
        byte[] message = pgp.encrypt(secret);
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> n == 0 ? null : message)) {
            int refused = closedPorts()[0];
            Found found = new Found(new ServerAddress("127.0.0.1", null, refused),
                    new ServerAddress("127.0.0.1", null, server.port()),
                    new ServerAddress("127.0.0.1", null, refused));
            Run r = run(found, withKeys(keys, "--retry=0.2", "--interface=eth0,none", "-i", "eth1", "--debug"));
            assertEquals(0, r.status(), r.stderr());
            assertEquals(PASSWORD, r.out());
            assertEquals(List.of("eth0", "eth1"), found.interfaces);
            assertTrue(found.closed);
            assertEquals(2, server.connections.get(), "denied once, then asked again after --retry");
            String err = r.stderr();
            assertTrue(err.contains("finding servers with Zeroconf on eth0, eth1"), err);
            assertTrue(err.contains("New server: 127.0.0.1:" + refused), err);
            assertEquals(1, err.lines().filter(l -> l.contains("New server: 127.0.0.1:" + refused)).count(), err);
            assertTrue(err.contains("Received no data"), err);
            assertFalse(err.contains("test secret"), err);
            assertFalse(err.toLowerCase(Locale.ROOT).contains(HexFormat.of().formatHex(secret)), err);
            assertFalse(err.contains("not supported"), err);
        }
    }

    @Test
    void withoutConnectTriesCountOverAllServersFound() throws Exception {
        int[] refused = closedPorts();
        Found found = new Found(new ServerAddress("127.0.0.1", null, refused[0]),
                new ServerAddress("127.0.0.1", null, refused[1]));
        Run r = run(found, withKeys(keys, "--retry=0.1", "--tries=3"));
        assertEquals(Main.EXIT_TEMPFAIL, r.status(), r.stderr());
        assertEquals(0, r.stdout().length);
        assertEquals("mandos-client: no password from the 2 servers found with Zeroconf after 3 attempts; giving up\n",
                r.stderr());
        assertEquals(List.of(), found.interfaces);
    }

    @Test
    void withoutConnectAndWithoutServersTimeoutEndsTheWait() {
        Found nothing = new Found();
        Run r = run(nothing, withKeys(keys, "--timeout=0.3"));
        assertEquals(Main.EXIT_TEMPFAIL, r.status(), r.stderr());
        assertEquals("mandos-client: no Mandos server found with Zeroconf (--timeout reached); giving up\n",
                r.stderr());
        assertTrue(nothing.closed);
    }

    @Test
    void withoutConnectKeysAreCheckedBeforeLookingForServers() throws Exception {
        Path d = Files.createTempDirectory(dir, "nokey");
        Files.copy(keys.resolve("pubkey.txt"), d.resolve("pubkey.txt"));
        Found found = new Found();
        Run r = run(found, withKeys(d));
        assertEquals(Main.EXIT_UNAVAILABLE, r.status(), r.stderr());
        assertEquals(null, found.interfaces, "discovery never started");
    }

    @Test
    void aMissingInterfaceIsReportedOnceAndWaitedFor() {
        Run r = run(withKeys(keys, "--interface=mandostest9", "--timeout=0.5"));
        assertEquals(Main.EXIT_TEMPFAIL, r.status(), r.stderr());
        assertEquals(0, r.stdout().length);
        assertEquals("mandos-client: there is no network interface named \"mandostest9\" (yet); waiting for it to be"
                + " usable\nmandos-client: no Mandos server found with Zeroconf (--timeout reached); giving up\n",
                r.stderr());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().matches("mandos-client \\S+ \\(Java\\)\n"), v.out());
        Run h = run("--help");
        assertEquals(0, h.status());
        for (String option : List.of("--connect", "--pubkey", "--seckey", "--tls-pubkey", "--tls-privkey",
                "--priority", "--retry", "--tries", "--timeout", "--debug")) {
            assertTrue(h.out().contains(option), option);
        }
        assertTrue(h.out().contains("/conf/conf.d/mandos/seckey.txt"), h.out());
    }

    @Test
    void abbreviatedAndShortOptionsAsArgp() throws Exception {
        byte[] message = pgp.encrypt(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> message)) {
            Run r = run("-c", "127.0.0.1:" + server.port(), "-p", keys.resolve("pubkey.txt").toString(),
                    "-s", keys.resolve("seckey.txt").toString(), "-T", keys.resolve("tls-pubkey.pem").toString(),
                    "--tls-priv=" + keys.resolve("tls-privkey.pem"), "--tries=1");
            assertEquals(0, r.status(), r.stderr());
            assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8), r.stdout());
        }
    }
}

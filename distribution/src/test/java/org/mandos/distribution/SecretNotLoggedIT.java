package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/**
 * No secret in any log line, at the most verbose level (TRACE, through logback.xml, with --debug),
 * through a whole cycle: a secret sent, an unknown key, an immediate denial, deny and approve by the
 * approval delay passing, a client whose checker fails until it times out and is then refused. The
 * log is searched for the secret raw, in hex (both cases) and in base64, and for each line of the
 * base64 text as clients.conf holds it. The audit lines of each step are checked on the way.
 */
class SecretNotLoggedIT {

    /** Distinctive: a marker and random bytes, so that no other log text can match by chance. */
    private static final byte[] SECRET = secret();

    private static byte[] secret() {
        byte[] marker = "MANDOS-CANARY-SECRET:".getBytes(StandardCharsets.US_ASCII);
        byte[] random = new byte[75];
        new SecureRandom().nextBytes(random);
        byte[] all = new byte[marker.length + random.length];
        System.arraycopy(marker, 0, all, 0, marker.length);
        System.arraycopy(random, 0, all, marker.length, random.length);
        return all;
    }

    /** The secret as clients.conf holds it: base64 folded over several lines, as mandos-keygen does. */
    private static String secretLines() {
        String b64 = Base64.getEncoder().encodeToString(SECRET);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < b64.length(); i += 40) {
            b.append("\n    ").append(b64, i, Math.min(b64.length(), i + 40));
        }
        return b.toString();
    }

    private static String section(String name, KeyPair key, String... settings) {
        StringBuilder b = new StringBuilder("[" + name + "]\nkey_id = " + KeyIds.of(key.getPublic().getEncoded())
                + "\nsecret =" + secretLines() + "\n");
        for (String s : settings) {
            b.append(s).append('\n');
        }
        return b.toString();
    }

    /** The forms in which the secret must not appear. */
    private static Map<String, byte[]> forbidden() {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        byte[] random = java.util.Arrays.copyOfRange(SECRET, "MANDOS-CANARY-SECRET:".length(), SECRET.length);
        forms.put("raw", SECRET);
        forms.put("raw random part", random);
        forms.put("hex", HexFormat.of().formatHex(SECRET).getBytes(StandardCharsets.US_ASCII));
        forms.put("HEX", HexFormat.of().withUpperCase().formatHex(SECRET).getBytes(StandardCharsets.US_ASCII));
        forms.put("hex of the random part", HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII));
        forms.put("HEX of the random part",
                HexFormat.of().withUpperCase().formatHex(random).getBytes(StandardCharsets.US_ASCII));
        forms.put("base64", Base64.getEncoder().encode(SECRET));
        forms.put("base64 of the random part", Base64.getEncoder().encode(random));
        forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encode(SECRET));
        forms.put("Java byte array", java.util.Arrays.toString(SECRET).getBytes(StandardCharsets.US_ASCII));
        int i = 0;
        for (String line : secretLines().strip().split("\n")) {
            forms.put("clients.conf line " + ++i, line.strip().getBytes(StandardCharsets.US_ASCII));
        }
        forms.put("the marker", "MANDOS-CANARY".getBytes(StandardCharsets.US_ASCII));
        return forms;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void assertNoSecret(String where, byte[] log) {
        assertTrue(log.length > 0, where + " is empty");
        forbidden().forEach((form, bytes) -> {
            int at = indexOf(log, bytes);
            assertEquals(-1, at, () -> "the secret (" + form + ") appears in " + where + " at byte " + at + ":\n"
                    + new String(log, StandardCharsets.UTF_8));
        });
    }

    @Test
    void theSearchFindsEveryForm() {
        forbidden().forEach((form, bytes) -> {
            byte[] log = ("2026-11-29 00:00:00,000 mandos [1]: TRACE: x" + new String(bytes, StandardCharsets.ISO_8859_1)
                    + "y\n").getBytes(StandardCharsets.ISO_8859_1);
            assertThrows(AssertionError.class, () -> assertNoSecret("a probe", log), form);
        });
    }

    private static final String TRACE = "<configuration><root level=\"TRACE\"/></configuration>\n";

    @Test
    void noSecretInTheLogThroughServeDenyApproveAndTimeout() throws Exception {
        KeyPair served = KeyFiles.generate("ed25519");
        KeyPair deniedNow = KeyFiles.generate("ed25519");
        KeyPair denied = KeyFiles.generate("ed25519");
        KeyPair approved = KeyFiles.generate("ed25519");
        KeyPair expires = KeyFiles.generate("ed25519");
        KeyPair unknown = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-secret-log-");
        TestFiles.write(conf.resolve("logback.xml"), TRACE);
        TestFiles.write(conf.resolve("clients.conf"), section("served", served, "checker = true")
                + section("denied-now", deniedNow, "checker = true", "approved_by_default = false")
                + section("denied", denied, "checker = true", "approval_delay = PT1S", "approved_by_default = false")
                + section("approved", approved, "checker = true", "approval_delay = PT1S", "approved_by_default = true")
                + section("expires", expires, "checker = false", "interval = PT1S", "timeout = PT2S"));
        Path state = TestFiles.newWritableDirectory("mandos-state-");
        Path consoleLog;
        try (ServerProcess server = ServerProcess.start(conf, TestFiles.freePort(), state, "--debug")) {
            assertArrayEquals(SECRET, SecretFetch.fetch(server.port, served));
            server.awaitLog(l -> l.contains("secret-sent client=\"served\""), Duration.ofSeconds(10));

            assertEquals(0, SecretFetch.fetch(server.port, unknown).length);
            server.awaitLog(l -> l.contains("client-not-found client=\"\" key_id=\""
                    + KeyIds.of(unknown.getPublic().getEncoded()) + "\""), Duration.ofSeconds(10));

            assertEquals(0, SecretFetch.fetch(server.port, deniedNow).length);
            server.awaitLog(l -> l.contains("refused client=\"denied-now\"") && l.contains("reason=\"Denied\""),
                    Duration.ofSeconds(10));

            // Both approval waits at once: one times out into a denial, the other into the secret.
            CompletableFuture<byte[]> deny = CompletableFuture.supplyAsync(() -> fetch(server.port, denied));
            CompletableFuture<byte[]> approve = CompletableFuture.supplyAsync(() -> fetch(server.port, approved));
            assertEquals(0, deny.get(30, TimeUnit.SECONDS).length);
            assertArrayEquals(SECRET, approve.get(30, TimeUnit.SECONDS));
            server.awaitLog(l -> l.contains("approval-requested client=\"denied\""), Duration.ofSeconds(10));
            server.awaitLog(l -> l.contains("approval-denied client=\"denied\"")
                    && l.contains("reason=\"Approval timed out\"") && l.contains("peer=\"('"), Duration.ofSeconds(10));
            server.awaitLog(l -> l.contains("secret-sent client=\"approved\"") && l.contains("approval=\"approved\""),
                    Duration.ofSeconds(10));

            server.awaitLog(l -> l.contains("disabled client=\"expires\"") && l.contains("cause=\"timed out"),
                    Duration.ofSeconds(20));
            assertEquals(0, SecretFetch.fetch(server.port, expires).length);
            server.awaitLog(l -> l.contains("refused client=\"expires\"") && l.contains("reason=\"Disabled\""),
                    Duration.ofSeconds(10));
            // DEBUG lines are there: the level is as verbose as it gets.
            server.awaitLog(l -> l.contains(": DEBUG: "), Duration.ofSeconds(1));
            assertEquals(0, server.terminate());
        }
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(state)) {
            files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".log"))
                    .forEach(logs::add);
        }
        assertTrue(!logs.isEmpty(), "the console log was captured");
        for (Path log : logs) {
            assertNoSecret(log.toString(), Files.readAllBytes(log));
        }
    }

    /**
     * A background server (--debug no longer keeps it in the foreground) logs to the syslog socket; a
     * stand-in syslog daemon on a Unix stream socket receives every byte, which hold no secret.
     */
    @Test
    void aBackgroundServerLogsToSyslogWithoutTheSecret() throws Exception {
        KeyPair served = KeyFiles.generate("ed25519");
        KeyPair denied = KeyFiles.generate("ed25519");
        Path conf = TestFiles.newDirectory("mandos-secret-syslog-");
        TestFiles.write(conf.resolve("logback.xml"), TRACE);
        TestFiles.write(conf.resolve("clients.conf"), section("served", served, "checker = true")
                + section("denied", denied, "checker = true", "approval_delay = PT1S", "approved_by_default = false"));
        Path state = TestFiles.newWritableDirectory("mandos-state-");
        Path socket = state.resolve("dev-log");
        Path pidfile = state.resolve("mandos.pid");
        int port = TestFiles.freePort();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ServerSocketChannel syslog = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            syslog.bind(UnixDomainSocketAddress.of(socket));
            // Started as root, bin/mandos runs the server as _mandos, which must be able to connect.
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Thread daemon = new Thread(() -> collect(syslog, received), "fake-syslog");
            daemon.setDaemon(true);
            daemon.start();
            ProcessBuilder start = new ProcessBuilder(Installation.bin("mandos").toString(), "--debug",
                    "--configdir", conf.toString(), "--port", Integer.toString(port), "--no-zeroconf", "--no-dbus",
                    "--statedir", state.toString(), "--pidfile", pidfile.toString())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            start.environment().put("MANDOS_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Dmandos.syslog.socket=" + socket);
            Process launcher = start.start();
            String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(launcher.waitFor(120, TimeUnit.SECONDS), output);
            assertEquals(0, launcher.exitValue(), output);
            long pid = Long.parseLong(Files.readString(pidfile).strip());
            try {
                assertArrayEquals(SECRET, SecretFetch.fetch(port, served));
                assertEquals(0, SecretFetch.fetch(port, denied).length);
                String wire = awaitReceived(received, "approval-denied client=\"denied\"");
                assertTrue(wire.contains("<30>"), "INFO lines have facility daemon: " + wire);
                assertTrue(wire.matches("(?s).*<30>[A-Z][a-z]{2} [ 1-3][0-9] [0-9:]{8} mandos\\[" + pid
                        + "\\]: INFO: Sending secret to served\u0000.*"), wire);
                assertTrue(wire.contains("]: INFO: Audit: secret-sent client=\"served\""), wire);
                assertTrue(wire.contains("]: DEBUG: "), wire);
            } finally {
                Optional<ProcessHandle> server = ProcessHandle.of(pid);
                server.ifPresent(ProcessHandle::destroy);
                if (server.isPresent()) {
                    server.get().onExit().get(30, TimeUnit.SECONDS);
                }
            }
            assertTrue(Files.notExists(state.resolve("mandos.log")), "nothing went to the fallback file");
            byte[] all;
            synchronized (received) {
                all = received.toByteArray();
            }
            assertNoSecret("the syslog stream", all);
        }
    }

    private static byte[] fetch(int port, KeyPair key) {
        try {
            return SecretFetch.fetch(port, key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts connections one after the other and keeps every byte. */
    private static void collect(ServerSocketChannel server, ByteArrayOutputStream sink) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                int n;
                while ((n = c.read(buffer.clear())) > 0) {
                    synchronized (sink) {
                        sink.write(buffer.array(), 0, n);
                    }
                }
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    private static String awaitReceived(ByteArrayOutputStream received, String wanted) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        String text;
        do {
            synchronized (received) {
                text = received.toString(StandardCharsets.UTF_8);
            }
            if (text.contains(wanted)) {
                return text;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        throw new AssertionError("\"" + wanted + "\" did not arrive:\n" + text);
    }
}

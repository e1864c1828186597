package org.mandos.keygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandos.config.ClientSettings;
import org.mandos.config.ClientsFile;
import org.mandos.keygen.Fixtures.Result;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

class MainTest {

    @TempDir
    static Path shared;
    static Path keys;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeSharedKeys() {
        keys = shared.resolve("keys");
        Fixtures.makeKeys(keys, "client.example");
    }

    private static Set<String> mode(Path p) throws IOException {
        return Set.of(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    }

    private Path passfile(byte[] content) throws IOException {
        Path p = tmp.resolve("pass");
        Files.write(p, content);
        return p;
    }

    // ------------------------------------------------------------------ key creation

    @Test
    void createsFourFiles0600InNew0700Directory() throws Exception {
        assertEquals(Set.of("rwx------"), mode(keys));
        try (Stream<Path> files = Files.list(keys)) {
            assertEquals(Set.of("pubkey.txt", "seckey.txt", "tls-pubkey.pem", "tls-privkey.pem"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        for (String f : Main.KEY_FILES) {
            assertEquals(Set.of("rw-------"), mode(keys.resolve(f)), f);
        }
        assertTrue(Files.readString(keys.resolve("tls-pubkey.pem")).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertTrue(Files.readString(keys.resolve("tls-privkey.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        java.security.PublicKey tls = KeyFiles.readPublicKey(keys.resolve("tls-pubkey.pem"));
        assertTrue(Set.of("EdDSA", "Ed25519").contains(tls.getAlgorithm()), tls.getAlgorithm());
        assertEquals(44, tls.getEncoded().length, "Ed25519 SubjectPublicKeyInfo");
        KeyFiles.readKeyPair(keys.resolve("tls-pubkey.pem"), keys.resolve("tls-privkey.pem"));
        String pub = Files.readString(keys.resolve("pubkey.txt"));
        assertTrue(pub.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"), pub);
        assertTrue(pub.contains("Comment: Mandos client key for client.example\n"), pub);
        assertTrue(Files.readString(keys.resolve("seckey.txt")).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----\n"));

        PGPPublicKeyRing ring = OpenPgpKeys.readPublicRing(Files.readAllBytes(keys.resolve("pubkey.txt")));
        PGPPublicKey primary = ring.getPublicKey();
        assertEquals(2048, primary.getBitStrength());
        assertEquals(List.of("client.example"), iterate(primary.getUserIDs()));
        assertEquals(0, primary.getValidSeconds());
        PGPPublicKey sub = OpenPgpKeys.encryptionKey(ring);
        assertFalse(sub.isMasterKey());
        assertEquals(2048, sub.getBitStrength());
    }

    private static <T> List<T> iterate(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    @Test
    void userIdCommentEmailExpiryAndTlsType() throws Exception {
        Path dir = tmp.resolve("k");
        Result r = Fixtures.run("-d", dir.toString(), "-n", "host1", "-c", "test key", "-e", "root@host1",
                "-x", "2w", "-T", "ecdsa", "-l", "2048", "-L", "2048");
        assertEquals(0, r.status(), r.err());
        PGPPublicKeyRing ring = OpenPgpKeys.readPublicRing(Files.readAllBytes(dir.resolve("pubkey.txt")));
        assertEquals(List.of("host1 (test key) <root@host1>"), iterate(ring.getPublicKey().getUserIDs()));
        assertEquals(14L * 86400, ring.getPublicKey().getValidSeconds());
        assertEquals(14L * 86400, OpenPgpKeys.encryptionKey(ring).getValidSeconds());
        assertTrue(Files.readString(dir.resolve("pubkey.txt"))
                .contains("Comment: Mandos client key for host1 (test key) <root@host1>\n"));
        assertEquals("EC", KeyFiles.readPublicKey(dir.resolve("tls-pubkey.pem")).getAlgorithm());
    }

    @Test
    void refusesToOverwriteWithoutForceAndReplacesWithForce() throws Exception {
        Path dir = tmp.resolve("k");
        Fixtures.makeKeys(dir, "a");
        Map<String, byte[]> before = contents(dir);

        Result again = Fixtures.run("--dir", dir.toString(), "--name", "a", "-l", "2048", "-L", "2048");
        assertEquals(1, again.status());
        assertEquals("", again.out());
        assertEquals(1, again.err().lines().count(), again.err());
        assertTrue(again.err().contains("Refusing to overwrite old key files"), again.err());
        assertEquals(before.keySet(), contents(dir).keySet());
        Map<String, byte[]> unchanged = contents(dir);
        before.forEach((f, b) -> assertArrayEquals(b, unchanged.get(f), f));

        // one file is enough to refuse
        Path other = tmp.resolve("other");
        Files.createDirectory(other);
        Files.writeString(other.resolve("tls-pubkey.pem"), "keep me");
        assertEquals(1, Fixtures.run("--dir", other.toString(), "-l", "2048", "-L", "2048").status());
        assertEquals("keep me", Files.readString(other.resolve("tls-pubkey.pem")));

        Result forced = Fixtures.run("--dir", dir.toString(), "--name", "a", "-l", "2048", "-L", "2048", "-f");
        assertEquals(0, forced.status(), forced.err());
        Map<String, byte[]> after = contents(dir);
        assertEquals(before.keySet(), after.keySet()); // no backups, no temporary files left
        before.forEach((f, b) -> assertFalse(java.util.Arrays.equals(b, after.get(f)), f));
        for (String f : Main.KEY_FILES) {
            assertEquals(Set.of("rw-------"), mode(dir.resolve(f)), f);
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
    }

    @Test
    void existingDirectoryKeepsItsMode() throws Exception {
        Path dir = tmp.resolve("open");
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Fixtures.makeKeys(dir, "a");
        assertEquals(Set.of("rwxr-xr-x"), mode(dir));
        assertEquals(Set.of("rw-------"), mode(dir.resolve("seckey.txt")));
    }

    @Test
    void directoryErrors() throws Exception {
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        Result notDir = Fixtures.run("--dir", file.toString(), "-l", "2048", "-L", "2048");
        assertEquals(1, notDir.status());
        assertEquals("mandos-keygen: " + file + " not a directory\n", notDir.err());

        Result noParent = Fixtures.run("--dir", tmp.resolve("a/b/c").toString(), "-l", "2048", "-L", "2048");
        assertEquals(1, noParent.status());
        assertEquals(1, noParent.err().lines().count(), noParent.err());
        assertTrue(noParent.err().contains("not a directory"), noParent.err());

        Result passNoDir = Fixtures.run("--dir", tmp.resolve("none").toString(), "-F", file.toString());
        assertEquals(1, passNoDir.status());
        assertEquals("", passNoDir.out());
        assertTrue(passNoDir.err().contains("not a directory"), passNoDir.err());
    }

    // ------------------------------------------------------------------ password mode

    @Test
    void sectionLayoutKeyIdAndFingerprint() throws Exception {
        Result r = Fixtures.run("--dir", keys.toString(), "--passfile",
                passfile("pw\n".getBytes(StandardCharsets.US_ASCII)).toString(), "--name", "client.example");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        String keyId = KeyIds.of(KeyFiles.readPublicKey(keys.resolve("tls-pubkey.pem"))).toLowerCase(Locale.ROOT);
        String fingerprint = OpenPgpKeys.fingerprint(
                OpenPgpKeys.readPublicRing(Files.readAllBytes(keys.resolve("pubkey.txt"))).getPublicKey());
        assertTrue(fingerprint.matches("[0-9A-F]{40}"), fingerprint);
        assertEquals(List.of("[client.example]", "host = client.example", "key_id = " + keyId,
                "fingerprint = " + fingerprint, "secret ="), lines.subList(0, 5));
        assertTrue(keyId.matches("[0-9a-f]{64}"));
        List<String> body = lines.subList(5, lines.size());
        assertFalse(body.isEmpty());
        for (int i = 0; i < body.size(); i++) {
            String line = body.get(i);
            assertTrue(line.matches("    [A-Za-z0-9+/=]+"), line);
            if (i < body.size() - 1) {
                assertEquals(68, line.length(), line);
            } else {
                assertTrue(line.length() <= 68 && line.length() > 4, line);
            }
        }
        assertTrue(r.out().endsWith("\n"));
    }

    @Test
    void secretDecryptsToExactPasswordBytesAndParsesWithConfigLibrary() throws Exception {
        byte[] password = {'s', 'e', 'c', 0, (byte) 0xff, (byte) 0xc3, (byte) 0xa9, '%', '\n'};
        Result r = Fixtures.run("-d", keys.toString(), "-F", passfile(password).toString(), "-n", "client.example",
                "--no-ssh");
        assertEquals(0, r.status(), r.err());
        byte[] message = Fixtures.secretOf(r.out());
        assertEquals(0xC1 & 0x3F, message[0] & 0x3F, "binary message starting with a public-key session key packet");
        assertArrayEquals(password, Fixtures.decrypt(message, keys.resolve("seckey.txt")));

        Path conf = tmp.resolve("clients.conf");
        Files.writeString(conf, r.out());
        ClientsFile clients = ClientsFile.parse(conf, r.out(), Map.of());
        assertEquals(1, clients.clients().size());
        ClientSettings client = clients.clients().get(0);
        assertEquals("client.example", client.name());
        assertEquals("client.example", client.host());
        assertEquals(KeyIds.of(KeyFiles.readPublicKey(keys.resolve("tls-pubkey.pem"))), client.keyId());
        assertArrayEquals(message, client.secret());
        assertArrayEquals(password, Fixtures.decrypt(client.secret(), keys.resolve("seckey.txt")));
        assertEquals(List.of(), clients.warnings());
    }

    @Test
    void eachRunEncryptsAfresh() throws Exception {
        Path pass = passfile("same".getBytes(StandardCharsets.US_ASCII));
        String a = Fixtures.run("-d", keys.toString(), "-F", pass.toString(), "-n", "x").out();
        String b = Fixtures.run("-d", keys.toString(), "-F", pass.toString(), "-n", "x").out();
        assertNotEquals(a, b);
    }

    @Test
    void passwordFromPrompt() throws Exception {
        byte[] pw = "typed secret".getBytes(StandardCharsets.UTF_8);
        Result r = Fixtures.run(pw::clone, "/nonexistent", "-p", "-d", keys.toString(), "-n", "c");
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(pw, Fixtures.decrypt(Fixtures.secretOf(r.out()), keys.resolve("seckey.txt")));
        assertFalse(r.out().contains("typed secret"));
        assertFalse(r.err().contains("typed secret"));
    }

    @Test
    void promptFailureIsOneLineError() {
        Result r = Fixtures.run(() -> {
            throw new IOException("Passphrase mismatch");
        }, "/nonexistent", "--password", "-d", keys.toString(), "-n", "c");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals("mandos-keygen: Passphrase mismatch\n", r.err());
    }

    @Test
    void noConsoleGivesClearError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.console() == null, "test JVM has a console");
        IOException e = assertThrows(IOException.class, () -> Main.PasswordPrompt.console().read());
        assertTrue(e.getMessage().contains("needs a terminal"), e.getMessage());
        Result r = Fixtures.run(Main.PasswordPrompt.console(), "/nonexistent", "-p", "-d", keys.toString());
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void emptyPasswordRefused() throws Exception {
        Result r = Fixtures.run("-d", keys.toString(), "-F", passfile(new byte[0]).toString(), "-n", "c");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals("mandos-keygen: Empty password\n", r.err());
    }

    @Test
    void missingPassfileIsOneLineError() {
        Result r = Fixtures.run("-d", keys.toString(), "-F", tmp.resolve("nope").toString(), "-n", "c");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals("mandos-keygen: Cannot read " + tmp.resolve("nope") + ": no such file or directory\n", r.err());
    }

    @Test
    void withoutTlsKeyNoKeyIdLineAndAWarning() throws Exception {
        Path dir = tmp.resolve("pgponly");
        Files.createDirectory(dir);
        Files.copy(keys.resolve("pubkey.txt"), dir.resolve("pubkey.txt"));
        Files.copy(keys.resolve("seckey.txt"), dir.resolve("seckey.txt"));
        Result r = Fixtures.run("-d", dir.toString(), "-F", passfile(new byte[] {'x'}).toString(), "-n", "c");
        assertEquals(0, r.status(), r.err());
        assertFalse(r.out().contains("key_id"));
        assertTrue(r.err().contains("warning"), r.err());
        assertArrayEquals(new byte[] {'x'}, Fixtures.decrypt(Fixtures.secretOf(r.out()), dir.resolve("seckey.txt")));
    }

    @Test
    void sshKeyscanAddsCheckerAndFingerprint() throws Exception {
        Path script = tmp.resolve("fake-ssh-keyscan");
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1\" = -t ] && [ \"$2\" = ed25519 ] && [ \"$3\" = localhost ] || exit 1\n"
                + "echo '# localhost:22 SSH-2.0-OpenSSH_9.2p1' >&2\n"
                + "echo 'localhost ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKey'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Result r = Fixtures.run(() -> new byte[] {'p'}, script.toString(), "-p", "-d", keys.toString(), "-n", "c");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertEquals("checker = ssh-keyscan -t ed25519 %%(host)s 2>/dev/null | grep --fixed-strings"
                + " --line-regexp --quiet --regexp=%%(host)s\" %(ssh_fingerprint)s\"", lines.get(lines.size() - 2));
        assertEquals("ssh_fingerprint = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKey", lines.get(lines.size() - 1));
        ClientSettings client = ClientsFile.parse(tmp.resolve("c.conf"), r.out(), Map.of()).clients().get(0);
        assertEquals("ssh-keyscan -t ed25519 %(host)s 2>/dev/null | grep --fixed-strings --line-regexp --quiet"
                + " --regexp=%(host)s\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKey\"", client.checker());

        Result noSsh = Fixtures.run(() -> new byte[] {'p'}, script.toString(), "-p", "-S", "-d", keys.toString());
        assertFalse(noSsh.out().contains("checker"));
        Result missing = Fixtures.run(() -> new byte[] {'p'}, tmp.resolve("none").toString(), "-p", "-d",
                keys.toString());
        assertEquals(0, missing.status(), missing.err());
        assertFalse(missing.out().contains("checker"));
    }

    // ------------------------------------------------------------------ options

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "-l", "-l x", "-l 100", "-L 99999", "-t DSA", "-s ELG", "-T p256",
        "-x soon", "-x 1999-01-01", "-n", "extra", "-p -F /dev/null", "-n a\tb"})
    void badOptionsGiveOneLineErrorAndStatus1(String args) {
        List<String> argv = new java.util.ArrayList<>(List.of(args.split(" ")));
        argv.add(0, "--dir");
        argv.add(1, tmp.resolve("never").toString());
        if (args.equals("-n a\tb")) {
            argv = List.of("--dir", tmp.resolve("never").toString(), "-n", "a\tb");
        }
        Result r = Fixtures.run(argv.toArray(String[]::new));
        assertEquals(1, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("mandos-keygen: "), r.err());
        assertFalse(Files.exists(tmp.resolve("never")), "nothing created on a usage error");
    }

    @Test
    void versionAndHelp() {
        Result v = Fixtures.run("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().matches("mandos-keygen .+ \\(Java\\)\n"), v.out());
        assertEquals(v.out(), Fixtures.run("-v").out());
        Result h = Fixtures.run("-h");
        assertEquals(0, h.status());
        for (String option : List.of("--dir", "--type", "--length", "--subtype", "--sublength", "--name", "--email",
                "--comment", "--expire", "--tls-keytype", "--force", "--password", "--passfile", "--no-ssh")) {
            assertTrue(h.out().contains(option), option);
        }
        assertEquals(h.out(), Fixtures.run("--help").out());
    }

    @Test
    void expirySyntax() {
        assertEquals(0, Expiry.parse("0", 0));
        assertEquals(86400, Expiry.parse("1", 0));
        assertEquals(3 * 86400, Expiry.parse("3d", 0));
        assertEquals(7 * 86400, Expiry.parse("1w", 0));
        assertEquals(30 * 86400, Expiry.parse("1m", 0));
        assertEquals(2 * 365 * 86400, Expiry.parse("2y", 0));
        assertEquals(42, Expiry.parse("seconds=42", 0));
        assertEquals(86400, Expiry.parse("1970-01-02", 0));
        assertThrows(IllegalArgumentException.class, () -> Expiry.parse("", 0));
        assertThrows(IllegalArgumentException.class, () -> Expiry.parse("1x", 0));
        assertThrows(IllegalArgumentException.class, () -> Expiry.parse("1970-01-01", 10));
        assertThrows(IllegalArgumentException.class, () -> Expiry.parse("9999999999d", 0));
    }

    @Test
    void tlsTypeMapping() throws Exception {
        assertEquals("rsa-4096", Main.tlsType("rsa"));
        assertEquals("ecdsa-p256", Main.tlsType("ECDSA"));
        assertEquals("ed25519", Main.tlsType("ed25519"));
        assertEquals("ecdsa-p384", Main.tlsType("ecdsa-p384"));
        assertThrows(Main.Failure.class, () -> Main.tlsType("dsa"));
    }
}

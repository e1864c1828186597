package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/**
 * Keys and secrets made by the REAL Debian mandos-keygen 1.8.16 (GnuPG: RSA 4096 + RSA 4096 subkey, the secret
 * signed, compressed and encrypted with MDC; TLS Ed25519 via certtool). Skipped with a visible message if the
 * reference tools are missing ({@code .ci/install-reference.sh}); a failure instead under CI
 * ({@code CI=true} or {@code -Dmandos.interop.required=true}).
 */
@Timeout(300)
class ReferenceKeygenInteropTest {

    static final String PASSWORD = "This is the Mandos interop secret. It is public.";

    @TempDir
    static Path dir;
    static Path keys;
    static byte[] secret;
    static String sectionKeyId;

    static Path referenceDir() {
        return Path.of(System.getProperty("mandos.reference.dir", "/opt/mandos-reference"));
    }

    static Path keygen() {
        return referenceDir().resolve("usr/sbin/mandos-keygen");
    }

    @BeforeAll
    static void makeKeysWithTheRealKeygen() throws Exception {
        if (!Files.isExecutable(keygen())) {
            String message = "the reference mandos-keygen is not installed at " + keygen()
                    + " (run: sudo bash .ci/install-reference.sh)";
            if (Boolean.getBoolean("mandos.interop.required") || "true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; it is required under CI");
            }
            System.err.println("SKIPPED ReferenceKeygenInteropTest: " + message);
            Assumptions.abort(message);
        }
        keys = Files.createDirectory(dir.resolve("keys"));
        run(List.of(keygen().toString(), "--dir", keys.toString(), "--name", "interop"), null);
        Path passfile = dir.resolve("pass");
        Files.writeString(passfile, PASSWORD, StandardCharsets.UTF_8);
        String section = run(List.of(keygen().toString(), "--dir", keys.toString(), "--passfile", passfile.toString(),
                "--name", "interop", "--no-ssh"), null);
        StringBuilder base64 = new StringBuilder();
        boolean inSecret = false;
        for (String line : section.split("\n")) {
            if (line.startsWith("secret =")) {
                inSecret = true;
            } else if (inSecret && line.startsWith("    ")) {
                base64.append(line.strip());
            } else if (inSecret) {
                inSecret = false;
            }
            if (line.startsWith("key_id = ")) {
                sectionKeyId = line.substring("key_id = ".length()).strip();
            }
        }
        assertTrue(base64.length() > 0, "no secret in:\n" + section);
        secret = Base64.getDecoder().decode(base64.toString());
    }

    static String run(List<String> command, String ignored) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("still running: " + command);
        }
        if (p.exitValue() != 0) {
            fail(command + " exited " + p.exitValue() + ":\n" + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void decryptsTheSecretOfTheRealKeygen() throws Exception {
        OpenPgpDecryptor decryptor = OpenPgpDecryptor.fromFile(keys.resolve("seckey.txt"));
        assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8), decryptor.decrypt(secret));
    }

    @Test
    void readsTheRealTlsKeysAndTheirKeyIdMatchesTheSection() throws Exception {
        var pair = KeyFiles.readKeyPair(keys.resolve("tls-pubkey.pem"), keys.resolve("tls-privkey.pem"));
        assertEquals(sectionKeyId.toUpperCase(Locale.ROOT), KeyIds.of(pair.getPublic()).toUpperCase(Locale.ROOT));
    }

    @Test
    void fullFetchWithTheRealKeysFromAFakeServer() throws Exception {
        try (FakeMandosServer server = FakeMandosServer.loopback((n, s) -> secret)) {
            List<String> args = new ArrayList<>(List.of("--connect=127.0.0.1:" + server.port(),
                    "--pubkey=" + keys.resolve("pubkey.txt"), "--seckey=" + keys.resolve("seckey.txt"),
                    "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"), "--tls-privkey=" + keys.resolve("tls-privkey.pem"),
                    "--tries=1"));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int status = Main.run(args.toArray(String[]::new), stdout,
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            assertEquals(0, status, stderr.toString(StandardCharsets.UTF_8));
            assertEquals(PASSWORD, stdout.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(sectionKeyId.toUpperCase(Locale.ROOT)), server.keyIds);
        }
    }

    @Test
    void aSecretForTheRealKeyIsRejectedByATestKey() throws Exception {
        PgpTestKeys other = PgpTestKeys.generate("other");
        OpenPgpDecryptor decryptor = OpenPgpDecryptor.fromBytes(other.armoredSecret(), "seckey.txt");
        OpenPgpDecryptor.DecryptionException e = org.junit.jupiter.api.Assertions.assertThrows(
                OpenPgpDecryptor.DecryptionException.class, () -> decryptor.decrypt(secret));
        assertTrue(e.wrongKey(), e.getMessage());
    }
}

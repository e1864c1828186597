package org.mandos.keygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.keygen.Fixtures.Result;

/**
 * Interoperability with the real GnuPG: a secret made by this keygen is decrypted by {@code gpg} with the
 * {@code seckey.txt} this keygen wrote. Skipped (visibly) without {@code /opt/mandos-reference} or
 * {@code gpg}, unless {@code CI=true}, when it fails instead.
 */
class GpgInteropTest {

    @TempDir
    Path tmp;

    private static Path referenceDir() {
        String dir = System.getProperty("mandos.reference.dir");
        if (dir == null || dir.isBlank() || dir.startsWith("${")) {
            dir = System.getenv().getOrDefault("MANDOS_REFERENCE_DIR", "/opt/mandos-reference");
        }
        return Path.of(dir);
    }

    private static String findGpg() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path gpg = Path.of(p, "gpg");
            if (Files.isExecutable(gpg)) {
                return gpg.toString();
            }
        }
        return null;
    }

    private static void requireOrSkip(boolean present, String what) {
        if (present) {
            return;
        }
        String message = "SKIPPED " + GpgInteropTest.class.getSimpleName() + ": " + what
                + " missing (install with .ci/install-reference.sh)";
        if ("true".equals(System.getenv("CI"))) {
            fail(message.replace("SKIPPED", "FAILED (CI=true)"));
        }
        System.err.println(message);
        Assumptions.abort(message);
    }

    @Test
    void realGpgDecryptsOurSecret() throws Exception {
        requireOrSkip(Files.isDirectory(referenceDir()), referenceDir().toString());
        String gpg = findGpg();
        requireOrSkip(gpg != null, "gpg");

        Path keys = tmp.resolve("keys");
        Fixtures.makeKeys(keys, "interop");
        byte[] password = "interop pass\u00e9 with newline\n".getBytes(StandardCharsets.UTF_8);
        Path pass = tmp.resolve("pass");
        Files.write(pass, password);
        Result r = Fixtures.run("--dir", keys.toString(), "--passfile", pass.toString(), "--name", "interop",
                "--no-ssh");
        assertEquals(0, r.status(), r.err());
        Path message = tmp.resolve("secret.bin");
        Files.write(message, Fixtures.secretOf(r.out()));

        Path home = Files.createDirectory(tmp.resolve("gnupg"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        try {
            exec(List.of(gpg, "--homedir", home.toString(), "--batch", "--no-tty", "--import",
                    keys.resolve("seckey.txt").toString()), null);
            Path out = tmp.resolve("decrypted");
            exec(List.of(gpg, "--homedir", home.toString(), "--batch", "--no-tty", "--output", out.toString(),
                    "--decrypt", message.toString()), null);
            assertArrayEquals(password, Files.readAllBytes(out));
        } finally {
            // stop the gpg-agent the imports started in this home
            try {
                exec(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"), null);
            } catch (IOException | AssertionError ignored) {
                // it exits on its own once the home directory is gone
            }
        }
    }

    private static void exec(List<String> command, Path stdin) throws IOException, InterruptedException {
        Path log = Files.createTempFile("gpg-interop", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                    : ProcessBuilder.Redirect.from(stdin.toFile()));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            assertEquals(0, p.exitValue(), command + ":\n" + Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

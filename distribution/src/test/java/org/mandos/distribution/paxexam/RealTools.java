package org.mandos.distribution.paxexam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian reference {@code mandos-keygen} and {@code mandos-client} (installed by
 * {@code .ci/install-reference.sh}), for the Pax Exam tests. Unlike {@code ReferenceTools} it uses no
 * test framework: it runs both outside the OSGi framework (making keys at configuration time) and
 * inside it, in the probe bundle, which sees JUnit 4 only.
 */
public final class RealTools {

    /** System property: when true (or under {@code CI=true}), missing tools fail the test instead of skipping it. */
    public static final String REQUIRED = "mandos.interop.required";

    private RealTools() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("mandos.reference.dir", "/opt/mandos-reference"));
    }

    static Path keygen() {
        return dir().resolve("usr/sbin/mandos-keygen");
    }

    static Path client() {
        return dir().resolve("usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");
    }

    public static boolean required() {
        return Boolean.getBoolean(REQUIRED) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why the tools cannot be used here, or null when they are installed. */
    public static String missing() {
        if (Files.isExecutable(keygen()) && Files.isExecutable(client())) {
            return null;
        }
        return "the reference Mandos tools are not installed in " + dir() + " (run: sudo bash .ci/install-reference.sh)";
    }

    /** What a tool did. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs a command with no input, for at most {@code limit} (then kills it and throws). */
    public static Result run(List<String> command, Duration limit) {
        try {
            Path out = Files.createTempFile("mandos-tool-", ".out");
            Path err = Files.createTempFile("mandos-tool-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().put("MANDOSPLUGINHELPERDIR",
                        dir().resolve("usr/lib/x86_64-linux-gnu/mandos/plugin-helpers").toString());
                Process p = builder.start();
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IllegalStateException("still running after " + limit + ": " + command);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result check(Result r, String what) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(what + " failed with exit status " + r.exitCode() + ":\n" + r.stderr());
        }
        return r;
    }

    /** A new client's keys (OpenPGP and TLS) made by the real mandos-keygen in a new directory under {@code parent}. */
    public static Path newClientKeys(Path parent, String name) {
        Path dir = parent.resolve("keys-" + name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(run(List.of(keygen().toString(), "--dir", dir.toString(), "--name", name), Duration.ofMinutes(2)),
                "mandos-keygen --name " + name);
        return dir;
    }

    /** The clients.conf section {@code mandos-keygen --passfile} prints for the client, unchanged. */
    public static String section(Path keys, String name, String password) throws IOException {
        Path passfile = Files.createTempFile("mandos-pass-", "");
        try {
            Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(passfile, password, StandardCharsets.UTF_8);
            return check(run(List.of(keygen().toString(), "--dir", keys.toString(), "--passfile", passfile.toString(),
                    "--name", name, "--no-ssh"), Duration.ofMinutes(1)), "mandos-keygen --passfile").stdout();
        } finally {
            Files.deleteIfExists(passfile);
        }
    }

    /**
     * Runs the real mandos-client once against {@code connect} (ADDRESS:PORT). It retries every second
     * until it gets a password, so a refused client is one that prints nothing before {@code limit}
     * (the {@code timeout} command then ends it with status 124).
     */
    public static Result fetch(Path keys, String connect, Duration limit) {
        List<String> command = new ArrayList<>(List.of("timeout", Long.toString(limit.toSeconds()),
                client().toString(), "--connect=" + connect,
                "--pubkey=" + keys.resolve("pubkey.txt"), "--seckey=" + keys.resolve("seckey.txt"),
                "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"), "--tls-privkey=" + keys.resolve("tls-privkey.pem"),
                "--network-hook-dir=" + dir().resolve("network-hooks.d"), "--interface=none", "--retry=1"));
        return run(command, limit.plusSeconds(30));
    }
}

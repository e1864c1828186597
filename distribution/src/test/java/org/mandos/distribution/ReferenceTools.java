package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Assumptions;

/**
 * The Debian reference tools (mandos-keygen, mandos-client 1.8.16) as extracted by
 * {@code .ci/install-reference.sh}. Without them the interoperability tests are skipped with a visible
 * message, except under CI ({@code CI=true} or {@code -Dmandos.interop.required=true}), where their
 * absence is a failure.
 */
final class ReferenceTools {

    private ReferenceTools() {
    }

    static Path dir() {
        return Path.of(System.getProperty("mandos.reference.dir", "/opt/mandos-reference"));
    }

    static Path keygen() {
        return dir().resolve("usr/sbin/mandos-keygen");
    }

    static Path client() {
        return dir().resolve("usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");
    }

    static boolean required() {
        return Boolean.getBoolean("mandos.interop.required") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static void assumeInstalled() {
        if (Files.isExecutable(keygen()) && Files.isExecutable(client())) {
            return;
        }
        String message = "the reference Mandos tools are not installed in " + dir()
                + " (run: sudo bash .ci/install-reference.sh)";
        if (required()) {
            fail(message + "; they are required under CI");
        }
        System.err.println("SKIPPED interoperability tests: " + message);
        Assumptions.abort(message);
    }

    /** The outcome of running a tool. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    static Result run(List<String> command, Duration limit) {
        return run(command, java.util.Map.of(), limit);
    }

    /**
     * As {@link #run(List, Duration)}, with {@code environment} changing the environment: a variable
     * mapped to null is removed.
     */
    static Result run(List<String> command, java.util.Map<String, String> environment, Duration limit) {
        try {
            Path out = Files.createTempFile("mandos-tool-", ".out");
            Path err = Files.createTempFile("mandos-tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("MANDOSPLUGINHELPERDIR",
                    dir().resolve("usr/lib/x86_64-linux-gnu/mandos/plugin-helpers").toString());
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process p = builder.start();
            if (!p.waitFor(limit.toSeconds() + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after " + limit + ": " + command);
            }
            Result result = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(Result r, String what) {
        if (r.exitCode() != 0) {
            throw new AssertionError(what + " failed with " + r.exitCode() + ":\n" + r.stderr());
        }
    }

    /**
     * A client's keys made by the real mandos-keygen. {@code tlsType} is a mandos-keygen {@code -T} value,
     * or {@code rsa-4096} / {@code ecdsa-p256}: mandos-keygen always asks certtool for "ultra" keys (RSA
     * 8192, P-384), so those two TLS keys are made by certtool exactly as mandos-keygen calls it, with the
     * size given; everything else (OpenPGP keys, key_id, clients.conf) is still mandos-keygen's.
     */
    static Path newClientKeys(String name, String tlsType) {
        Path dir = TestFiles.newDirectory("mandos-keys-" + name + "-");
        List<String> command = new ArrayList<>(List.of(keygen().toString(), "--dir", dir.toString(), "--name", name));
        if (!tlsType.equals("ed25519") && !tlsType.contains("-")) {
            command.addAll(List.of("-T", tlsType));
        }
        check(run(command, Duration.ofMinutes(3)), "mandos-keygen " + tlsType);
        if (tlsType.contains("-")) {
            String[] kind = tlsType.split("-");
            List<String> generate = new ArrayList<>(List.of("certtool", "--generate-privkey", "--password=",
                    "--key-type=" + kind[0], "--pkcs8", "--no-text", "--outfile", dir.resolve("tls-privkey.pem").toString()));
            generate.add(kind[0].equals("rsa") ? "--bits=" + kind[1] : "--curve=secp256r1");
            check(run(generate, Duration.ofMinutes(1)), "certtool --generate-privkey");
            check(run(List.of("certtool", "--password=", "--load-privkey=" + dir.resolve("tls-privkey.pem"),
                    "--pubkey-info", "--no-text", "--outfile=" + dir.resolve("tls-pubkey.pem")), Duration.ofMinutes(1)),
                    "certtool --pubkey-info");
        }
        return dir;
    }

    /** The clients.conf section {@code mandos-keygen --passfile} prints for a client, unchanged. */
    static String section(Path keys, String name, String password) {
        try {
            Path passfile = Files.createTempFile("mandos-pass-", "");
            Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(passfile, password, StandardCharsets.UTF_8);
            Result r = run(List.of(keygen().toString(), "--dir", keys.toString(), "--passfile", passfile.toString(),
                    "--name", name, "--no-ssh"), Duration.ofMinutes(1));
            Files.delete(passfile);
            check(r, "mandos-keygen --passfile");
            return r.stdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The section {@code mandos-keygen --password} prints, the password typed twice at its prompt (it
     * reads the terminal, so it runs under {@code script}); the prompts before the section are dropped.
     */
    static String sectionFromPasswordPrompt(Path keys, String name, String password) {
        String keygen = keygen() + " --dir " + keys + " --password --name " + name + " --no-ssh";
        try {
            Path typed = Files.createTempFile("mandos-typed-", "");
            Files.writeString(typed, password + "\n" + password + "\n", StandardCharsets.UTF_8);
            Result r = run(List.of("sh", "-c", "script -qfec \"$0\" /dev/null < \"$1\"", keygen, typed.toString()),
                    Duration.ofMinutes(1));
            Files.delete(typed);
            check(r, "mandos-keygen --password");
            String text = r.stdout().replace("\r", "");
            int start = text.indexOf("[" + name + "]");
            if (start < 0) {
                throw new AssertionError("no section in mandos-keygen --password output:\n" + text);
            }
            return text.substring(start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the real mandos-client once against {@code connect} (ADDRESS:PORT), for at most {@code limit}. */
    static Result fetch(Path keys, String connect, Duration limit) {
        return run(List.of("timeout", Long.toString(limit.toSeconds()), client().toString(), "--connect=" + connect,
                "--pubkey=" + keys.resolve("pubkey.txt"), "--seckey=" + keys.resolve("seckey.txt"),
                "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"), "--tls-privkey=" + keys.resolve("tls-privkey.pem"),
                "--network-hook-dir=" + dir().resolve("network-hooks.d"), "--interface=none", "--retry=1"), limit);
    }

    /** The key_id of a client's TLS public key, upper case, as the server logs it. */
    static String keyId(Path keys) {
        Result r = run(List.of("certtool", "--key-id", "--hash=sha256", "--infile=" + keys.resolve("tls-pubkey.pem")),
                Duration.ofMinutes(1));
        check(r, "certtool --key-id");
        return r.stdout().trim().toUpperCase(java.util.Locale.ROOT);
    }
}

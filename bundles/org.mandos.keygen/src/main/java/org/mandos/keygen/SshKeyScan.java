package org.mandos.keygen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks the local SSH server for its host key with {@code ssh-keyscan}, trying the key types in the
 * reference's order, for the {@code checker} and {@code ssh_fingerprint} lines.
 */
final class SshKeyScan {

    /** The key types tried, in order. */
    static final List<String> KEY_TYPES = List.of("ecdsa-sha2-nistp256", "ed25519", "rsa");

    private static final long TIMEOUT_SECONDS = 20;

    /** A host key found: the type asked for, and the key line without the leading host name. */
    record HostKey(String keyType, String key) {
        /** The {@code checker} option value, as the reference writes it. */
        String checker() {
            return "ssh-keyscan -t " + keyType + " %%(host)s 2>/dev/null | grep --fixed-strings --line-regexp"
                    + " --quiet --regexp=%%(host)s\" %(ssh_fingerprint)s\"";
        }
    }

    private SshKeyScan() {
    }

    /**
     * Scans {@code localhost}.
     *
     * @param program the ssh-keyscan program (a name looked up on PATH, or a path)
     * @return the first key found, or empty if the program is missing or nothing answers
     */
    static Optional<HostKey> scan(String program) {
        for (String type : KEY_TYPES) {
            Optional<String> line = run(program, type);
            if (line.isPresent()) {
                return Optional.of(new HostKey(type, line.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> run(String program, String type) {
        Process process;
        try {
            process = new ProcessBuilder(program, "-t", type, "localhost")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return Optional.empty(); // not installed
        }
        try (InputStream in = process.getInputStream()) {
            byte[] output = in.readNBytes(1 << 16);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                return Optional.empty();
            }
            for (String line : new String(output, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("localhost ") && line.length() > "localhost ".length()) {
                    return Optional.of(line.substring("localhost ".length()).strip());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            process.destroyForcibly();
            return Optional.empty();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}

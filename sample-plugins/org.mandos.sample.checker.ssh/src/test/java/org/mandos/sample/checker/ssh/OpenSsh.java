package org.mandos.sample.checker.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server on the loopback interface, with a host key made for the test. Without
 * {@code /usr/sbin/sshd} the tests that need it are skipped with a visible message, except under CI
 * ({@code CI=true} or {@code -Dmandos.interop.required=true}), where its absence is a failure.
 */
final class OpenSsh implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    /** Bounds for waiting on the external processes. */
    private static final long START_SECONDS = 20;
    private static final long TOOL_SECONDS = 30;

    private final Process process;
    private final int port;
    private final Path log;

    private OpenSsh(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static boolean required() {
        return Boolean.getBoolean("mandos.interop.required") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static boolean installed() {
        return Files.isExecutable(SSHD) && Files.isExecutable(SSH_KEYGEN);
    }

    static final String MISSING = SSHD + " or " + SSH_KEYGEN + " is not installed (install it with: sudo apt-get"
            + " install openssh-server)";

    /**
     * Once per test class: without OpenSSH, fails under CI, and otherwise says that the tests will be
     * skipped. Each test then calls {@link #assumeInstalled()}.
     */
    static void checkInstalled() {
        if (installed()) {
            return;
        }
        if (required()) {
            fail(MISSING + "; the OpenSSH interoperability tests are required under CI");
        }
        System.err.println("SKIPPED OpenSSH interoperability tests: " + MISSING);
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(installed(), MISSING);
    }

    /**
     * Makes an Ed25519 key pair without a passphrase with {@code ssh-keygen} and returns its fingerprint as
     * {@code ssh-keygen -l} prints it.
     */
    static String newHostKey(Path file) throws IOException, InterruptedException {
        return newHostKey(file, "ed25519");
    }

    /** The same with another key type ({@code ssh-keygen -t}). */
    static String newHostKey(Path file, String type) throws IOException, InterruptedException {
        run(List.of(SSH_KEYGEN.toString(), "-q", "-t", type, "-N", "", "-C", "mandos-test", "-f", file.toString()));
        String line = run(List.of(SSH_KEYGEN.toString(), "-l", "-E", "sha256", "-f", file + ".pub"));
        // "256 SHA256:... mandos-test (ED25519)"
        return line.strip().split("\\s+")[1];
    }

    /** Starts {@code sshd -D -e} with these host keys on a free loopback port and waits until it accepts. */
    static OpenSsh start(Path dir, Path... hostKeys) throws IOException, InterruptedException {
        if (isRoot()) {
            // sshd run by root insists on its privilege separation directory.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "Port " + port,
                    hostKeyLines(hostKeys),
                    "PidFile none",
                    "UsePAM no",
                    "StrictModes no",
                    "UseDNS no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication no",
                    "AuthorizedKeysFile none",
                    "LogLevel INFO",
                    ""), StandardCharsets.UTF_8);
            Path log = dir.resolve("sshd.log");
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            OpenSsh server = new OpenSsh(process, port, log);
            try {
                server.awaitListening();
                return server;
            } catch (IOException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    private static String hostKeyLines(Path... hostKeys) {
        StringBuilder lines = new StringBuilder();
        for (Path key : hostKeys) {
            lines.append(lines.length() == 0 ? "" : "\n").append("HostKey ").append(key.toAbsolutePath());
        }
        return lines.toString();
    }

    int port() {
        return port;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited with status " + process.exitValue() + ": " + log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                // Polls an external process, within the bound above.
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IOException("sshd did not listen on port " + port + " within " + START_SECONDS + " s: " + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TOOL_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("still running after " + TOOL_SECONDS + " s: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " exited with status " + p.exitValue() + ": " + text);
        }
        return text;
    }
}

package org.mandos.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Our server, started from the unpacked distribution with {@code bin/mandos --foreground}. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the server on {@code configdir} and waits until it listens. */
    static ServerProcess start(Path configdir, String... extra) {
        return start(configdir, TestFiles.freePort(), extra);
    }

    /** Starts the server on {@code configdir} and {@code port}, and waits until it listens. */
    static ServerProcess start(Path configdir, int port, String... extra) {
        return start(configdir, port, TestFiles.newWritableDirectory("mandos-state-"), extra);
    }

    /** Starts the server with its state in {@code state}, and waits until it listens. */
    static ServerProcess start(Path configdir, int port, Path state, String... extra) {
        List<String> command = new ArrayList<>(List.of(Installation.bin("mandos").toString(), "--foreground",
                "--debuglevel", "DEBUG", "--configdir", configdir.toString(), "--port", Integer.toString(port),
                "--no-zeroconf", "--no-dbus", "--statedir", state.toString()));
        command.addAll(List.of(extra));
        return start(command, state, port);
    }

    /**
     * Starts the server with D-Bus on (no {@code --no-dbus}) and the extra environment variables
     * {@code environment} (such as {@code DBUS_SYSTEM_BUS_ADDRESS}), and waits until it listens.
     */
    static ServerProcess startWithEnvironment(Path configdir, java.util.Map<String, String> environment,
            String... extra) {
        Path state = TestFiles.newWritableDirectory("mandos-state-");
        int port = TestFiles.freePort();
        List<String> command = new ArrayList<>(List.of(Installation.bin("mandos").toString(), "--foreground",
                "--debuglevel", "DEBUG", "--configdir", configdir.toString(), "--port", Integer.toString(port),
                "--no-zeroconf", "--statedir", state.toString()));
        command.addAll(List.of(extra));
        return start(command, state, port, environment);
    }

    /**
     * Starts the server inside the network namespace {@code namespace}, with Zeroconf on (as
     * {@code mandos.conf} says), and waits until it listens.
     */
    static ServerProcess startInNamespace(String namespace, Path configdir, int port, String... extra) {
        Path state = TestFiles.newWritableDirectory("mandos-state-");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Installation.bin("mandos").toString(), "--foreground", "--debuglevel", "DEBUG", "--configdir",
                configdir.toString(), "--port", Integer.toString(port), "--no-dbus", "--statedir", state.toString()));
        command.addAll(List.of(extra));
        return start(command, state, port);
    }

    private static ServerProcess start(List<String> command, Path state, int port) {
        return start(command, state, port, java.util.Map.of());
    }

    private static ServerProcess start(List<String> command, Path state, int port,
            java.util.Map<String, String> environment) {
        Path log = state.resolve("console-" + System.nanoTime() + ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            Process p = builder.start();
            ServerProcess server = new ServerProcess(p, log, port);
            server.awaitLog(line -> line.contains("Now listening on"), Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's process id (bin/mandos execs the JVM, so this is the JVM's). */
    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a log line matches; fails with the whole log when it does not come in time. */
    String awaitLog(Predicate<String> wanted, Duration limit) {
        return awaitLog(wanted, 1, limit);
    }

    /** Waits until {@code times} log lines match and returns the last of them. */
    String awaitLog(Predicate<String> wanted, int times, Duration limit) {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            int seen = 0;
            for (String line : log().split("\n")) {
                if (wanted.test(line) && ++seen == times) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + log());
            }
            pause();
        }
        throw new AssertionError("expected log line did not appear within " + limit + ":\n" + log());
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the server at once (SIGKILL): no shutdown hook, no final save. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and returns the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop on SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.mandos.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The reference Python server (Debian mandos 1.8.16), for tests of our tools against it. It needs a
 * system D-Bus even with use_dbus off, so it gets a private bus daemon of its own; it runs in the
 * foreground without Zeroconf on a fixed loopback port, and drops to _mandos by itself.
 */
final class ReferenceServer implements AutoCloseable {

    private final PrivateBus bus;
    private final Process server;
    private final Path log;
    private final Path statedir;
    final int port;
    /** The address of its private bus, for D-Bus clients such as mandos-ctl. */
    private String busAddress = "";

    private ReferenceServer(PrivateBus bus, Process server, Path log, Path statedir, int port) {
        this.bus = bus;
        this.server = server;
        this.log = log;
        this.statedir = statedir;
        this.port = port;
    }

    /** The address of the server's private system bus ({@code unix:path=…}). */
    String busAddress() {
        return busAddress;
    }

    /** The server's own state directory (a new temporary one): its clients.pickle appears at a clean stop. */
    Path statedir() {
        return statedir;
    }

    /**
     * Stops the server cleanly (SIGTERM, as at a normal shutdown, when it writes clients.pickle) and
     * waits for it to exit; the private bus stays until {@link #close()}.
     */
    void stop() {
        server.destroy();
        try {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the reference server did not stop on SIGTERM:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ReferenceServer start(Path configdir) {
        Path work = TestFiles.newWritableDirectory("mandos-reference-server-");
        Path state = TestFiles.newWritableDirectory("mandos-reference-state-");
        Path log = work.resolve("server.log");
        int port = TestFiles.freePort();
        try {
            PrivateBus bus = PrivateBus.start();
            ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3",
                    ReferenceTools.dir().resolve("usr/sbin/mandos").toString(), "--configdir", configdir.toString(),
                    "--foreground", "--debug", "--no-restore", "--statedir", state.toString(), "--no-zeroconf",
                    "--port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
            ReferenceServer reference = new ReferenceServer(bus, builder.start(), log, state, port);
            reference.busAddress = bus.address();
            reference.awaitListening();
            return reference;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            if (!server.isAlive()) {
                throw new AssertionError("the reference server exited:\n" + log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new AssertionError("the reference server did not listen within 60 s:\n" + log());
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.descendants().forEach(ProcessHandle::destroy);
        server.destroy();
        try {
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bus.close();
    }
}

package org.mandos.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A {@code dbus-daemon} of type system on a socket of its own, open to everybody: a stand-in for the
 * system bus, reached through {@code DBUS_SYSTEM_BUS_ADDRESS}.
 */
final class PrivateBus implements AutoCloseable {

    private static final String CONFIG = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path=%s</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
              </policy>
            </busconfig>
            """;

    private final Process daemon;
    private final String address;

    private PrivateBus(Process daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    /** Starts the daemon and waits until its socket exists. */
    static PrivateBus start() {
        Path work = TestFiles.newWritableDirectory("mandos-bus-");
        Path socket = work.resolve("system_bus_socket");
        Path config = TestFiles.write(work.resolve("bus.conf"), String.format(CONFIG, socket));
        try {
            Process daemon = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile")
                    .redirectErrorStream(true).redirectOutput(work.resolve("bus.log").toFile()).start();
            PrivateBus bus = new PrivateBus(daemon, "unix:path=" + socket);
            Instant end = Instant.now().plus(Duration.ofSeconds(20));
            while (!Files.exists(socket)) {
                if (!daemon.isAlive() || Instant.now().isAfter(end)) {
                    bus.close();
                    throw new AssertionError("the private D-Bus daemon did not start");
                }
                TestFiles.pause(Duration.ofMillis(100));
            }
            return bus;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its address, {@code unix:path=…}. */
    String address() {
        return address;
    }

    @Override
    public void close() {
        daemon.destroy();
        try {
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

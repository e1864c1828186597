package org.mandos.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server under test as a child process: ours ({@code bin/mandos} of a copy of the distribution) or the
 * reference Python server (with a private system bus, which it needs even with D-Bus off). Measures the
 * time from process start to listening, and reads the resident memory and CPU time of the server process
 * from {@code /proc} ({@code bin/mandos} execs Java, via {@code setpriv} when started as root, so the
 * started process is the JVM).
 */
public final class ServerRunner implements AutoCloseable {

    public enum Kind { OURS, REFERENCE }

    private final Kind kind;
    private final Process process;
    private final Process bus;
    private final Path log;
    private final int port;
    private double startupSeconds;
    private Path deleteOnClose;

    private ServerRunner(Kind kind, Process process, Process bus, Path log, int port) {
        this.kind = kind;
        this.process = process;
        this.bus = bus;
        this.log = log;
        this.port = port;
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Seconds from process start to listening. */
    public double startupSeconds() {
        return startupSeconds;
    }

    public long pid() {
        return process.pid();
    }

    /** A free TCP port on the loopback interface (closed again, so another process may take it: unlikely). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the distribution {@code source} (bin, lib, bundle, plugins, conf) in {@code target}, so that a
     * rebuild of the distribution during a run changes nothing, and plugins can be added; {@code plugins} are
     * copied into its {@code plugins/}.
     */
    public static Path copyDistribution(Path source, Path target, List<Path> plugins) throws IOException {
        if (!Files.isExecutable(source.resolve("bin/mandos"))) {
            throw new IOException(source + "/bin/mandos not found: build the distribution first"
                    + " (mvn -B -q -DskipTests package), or give --server-home");
        }
        for (String part : List.of("bin", "lib", "bundle", "plugins", "conf", "samples")) {
            Path from = source.resolve(part);
            if (!Files.exists(from)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        for (Path plugin : plugins) {
            Files.copy(plugin, target.resolve("plugins").resolve(plugin.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** A directory anybody may write (the server drops to _mandos when started as root). */
    public static Path writableDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /** Starts our server and waits for its {@code Now listening on} line. */
    public static ServerRunner startOurs(Path home, Path configdir, Path statedir, int port, Path log,
            Duration startTimeout) throws IOException, InterruptedException {
        List<String> command = List.of(home.resolve("bin/mandos").toString(), "--foreground", "--configdir",
                configdir.toString(), "--statedir", statedir.toString(), "--port", Integer.toString(port),
                "--no-zeroconf", "--no-dbus", "--no-restore");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        CountDownLatch listening = new CountDownLatch(1);
        long start = System.nanoTime();
        Process process = builder.start();
        long[] seenAt = new long[1];
        Thread copier = new Thread(() -> copyLog(process, log, line -> {
            if (listening.getCount() > 0 && line.contains("Now listening on")) {
                seenAt[0] = System.nanoTime();
                listening.countDown();
            }
        }), "server-log");
        copier.setDaemon(true);
        copier.start();
        ServerRunner runner = new ServerRunner(Kind.OURS, process, null, log, port);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!listening.await(50, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                runner.close();
                throw new IOException("our server did not start listening (" + (process.isAlive() ? "timeout" : "exited "
                        + process.exitValue()) + "); log " + log + ":\n" + tail(log));
            }
        }
        runner.startupSeconds = (seenAt[0] - start) / 1e9; // written before the latch was released
        return runner;
    }

    /**
     * Starts the reference server (Python, {@code referenceDir/usr/sbin/mandos}) in the foreground with a private
     * system bus, and waits until its port accepts connections (polled every 20 ms).
     */
    public static ServerRunner startReference(Path referenceDir, Path configdir, Path statedir, Path workdir, int port,
            Path log, boolean debug, Duration startTimeout) throws IOException, InterruptedException {
        // a short path (a Unix socket's is limited to 108 bytes), reachable by the server after it drops to _mandos
        Path busDir = Files.createTempDirectory("mandos-bench-bus-");
        Files.setPosixFilePermissions(busDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = busDir.resolve("system_bus_socket");
        Path busConf = workdir.resolve("bus.conf");
        Files.writeString(busConf, """
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
                """.formatted(socket));
        Process bus = new ProcessBuilder("dbus-daemon", "--config-file=" + busConf, "--nofork", "--nopidfile")
                .redirectErrorStream(true).redirectOutput(workdir.resolve("bus.log").toFile()).start();
        long busDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket)) {
            if (!bus.isAlive() || System.nanoTime() > busDeadline) {
                bus.destroyForcibly();
                throw new IOException("the private dbus-daemon did not start; see " + workdir.resolve("bus.log"));
            }
            Thread.sleep(50);
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3",
                referenceDir.resolve("usr/sbin/mandos").toString(), "--configdir", configdir.toString(),
                "--foreground", "--no-restore", "--statedir", statedir.toString(), "--no-zeroconf", "--port",
                Integer.toString(port)));
        if (debug) {
            command.add("--debug");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + socket);
        long start = System.nanoTime();
        Process process = builder.start();
        ServerRunner runner = new ServerRunner(Kind.REFERENCE, process, bus, log, port);
        long deadline = start + startTimeout.toNanos();
        while (true) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                runner.close();
                throw new IOException("the reference server did not start listening; log " + log + ":\n" + tail(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                runner.startupSeconds = (System.nanoTime() - start) / 1e9;
                return runner;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
    }

    private static void copyLog(Process process, Path log, java.util.function.Consumer<String> onLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                onLine.accept(line);
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The process whose memory and CPU are measured: the started one. */
    private long measuredPid() {
        return process.pid();
    }

    /** VmRSS in KiB, or -1. */
    public long rssKib() {
        return ProcStats.rssKib(measuredPid());
    }

    /** CPU ticks (utime, stime, cutime, cstime) of the server process, or null when it is gone. */
    public long[] cpuTicks() {
        return ProcStats.cpuTicks(measuredPid());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A directory (the copy of the distribution) to delete once the server has stopped. */
    public ServerRunner deleteOnClose(Path dir) {
        this.deleteOnClose = dir;
        return this;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 30 s) and its private bus. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deleteOnClose != null && !process.isAlive()) {
            try (Stream<Path> files = Files.walk(deleteOnClose)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // left behind
            }
        }
        if (bus != null) {
            bus.destroy();
            try {
                if (!bus.waitFor(10, TimeUnit.SECONDS)) {
                    bus.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads {@code /proc/<pid>/status} and {@code /proc/<pid>/stat}. */
    public static final class ProcStats {
        private static volatile long clockTicks;

        private ProcStats() {
        }

        public static long rssKib(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
            return -1;
        }

        /** utime, stime, cutime, cstime in clock ticks; null if the process is gone. */
        public static long[] cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // rest[0] is field 3 (state); utime is field 14
                return new long[] {Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[13]),
                        Long.parseLong(rest[14])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** Clock ticks per second ({@code getconf CLK_TCK}, else 100). */
        public static long clockTicks() {
            if (clockTicks == 0) {
                long ticks = 100;
                try {
                    Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                    if (p.waitFor() == 0) {
                        ticks = Long.parseLong(out);
                    }
                } catch (IOException | RuntimeException e) {
                    // keep 100
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                clockTicks = ticks;
            }
            return clockTicks;
        }

        static Optional<String> firstLine(Path file, String prefix) {
            try (Stream<String> lines = Files.lines(file)) {
                return lines.filter(l -> l.startsWith(prefix)).findFirst();
            } catch (IOException | UncheckedIOException e) {
                return Optional.empty();
            }
        }
    }
}

package org.mandos.launcher;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Background mode without fork(): the launching process starts the server as a child process in a new
 * session and returns only when the child reports that it listens — or with the child's start-up error
 * and exit status. (The reference forks first and checks later, so its start-up errors vanish.)
 */
final class Daemon {

    static final String READY = "MANDOS-READY";
    private static final long START_TIMEOUT_SECONDS = 120;

    private Daemon() {
    }

    /** In the launching process: starts the child and relays its outcome. */
    static int launch(String[] args, PrintStream out, PrintStream err) throws StartupError {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        command.add("--daemon-child");
        ProcessBuilder builder = new ProcessBuilder(command);
        // Standard input passes through: it carries an inherited --socket.
        builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new StartupError("Cannot start the server process: " + e.getMessage());
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(child.getErrorStream(), errors), "mandos-child-stderr");
        drain.setDaemon(true);
        drain.start();
        String ready = awaitReady(child);
        if (ready != null) {
            out.println("mandos: " + ready.substring(READY.length()).trim());
            return 0;
        }
        try {
            if (!child.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new StartupError("The server did not start within " + START_TIMEOUT_SECONDS + " s");
            }
            drain.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupError("Interrupted while starting");
        }
        synchronized (errors) {
            err.print(errors.toString(StandardCharsets.UTF_8));
        }
        return child.exitValue() == 0 ? StartupError.FAILURE : child.exitValue();
    }

    private static String awaitReady(Process child) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(READY)) {
                    return line;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static void copy(InputStream in, ByteArrayOutputStream sink) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (sink) {
                    sink.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The child went away; what it wrote so far is all there is.
        }
    }

    /** In the child: tells the launching process it is ready, then lets go of the pipes to it. */
    static void reportReady(String description) {
        System.out.println(READY + " " + description);
        System.out.flush();
        System.out.close();
        System.err.close();
    }

    /** The log file of a background server, until logging to syslog arrives. */
    static Path logFile(Settings s) throws StartupError {
        Path file = s.statedir().resolve("mandos.log");
        try {
            Files.createDirectories(s.statedir());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            if (!Files.isWritable(file)) {
                throw new StartupError("Cannot write the log file " + file + ": permission denied");
            }
        } catch (IOException e) {
            throw new StartupError("Cannot write the log file " + file + ": " + PidFile.reason(e));
        }
        return file;
    }
}

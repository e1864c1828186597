package org.mandos.checker.shell.internal;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.CheckerType;
import org.mandos.api.ClientDefinition;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default checker: runs the client's {@code checker} command with {@code /bin/sh -c}, after
 * runtime expansion of {@code %(attr)s} placeholders (see {@link CommandFormat}).
 *
 * <p>The process runs in {@code /} with stdin from {@code /dev/null}, the server's environment, and
 * stdout/stderr discarded unless the framework property {@code mandos.debug} is {@code true}. Either way
 * its output goes straight to a file descriptor ({@code /dev/null} or the server's own stdout/stderr),
 * never to a pipe the server reads: a checker that prints megabytes can neither fill a pipe and hang
 * nor make the server buffer anything.
 *
 * <p>Where {@code setsid} is available (util-linux: {@code /usr/bin/setsid} or {@code /bin/setsid}) the
 * {@code sh} starts a session of its own ({@code setsid -w /bin/sh -c command}; the JVM's child is
 * never a process-group leader, so {@code setsid} does not fork and the {@code sh} keeps the pid the
 * JDK waits for). When the {@code sh} exits, whatever it left running in that session (a background
 * job, a double-forked grandchild) gets SIGTERM and, after the grace period, SIGKILL, so checks leave
 * nothing behind; its exit status alone is the result. A process that starts a session of its own
 * escapes this, as it escapes the reference.
 *
 * <p>Result: exit status 0 is {@link CheckResult#alive()}; any other status n is
 * {@code down(n, "exited with status n")}. <b>Signals:</b> Java reports a process killed by signal s as
 * exit value 128+s and cannot tell that from {@code exit 128+s}; this checker reports every exit value
 * in 129..192 (signals 1..64) as {@code down(-1, "killed by signal s")}. That also covers the common case
 * where {@code sh} itself exits with 128+s because its last foreground command was killed by s. Either
 * way the check is not alive; only the reported code differs from the reference.
 *
 * <p>Cancelling the returned stage ({@code cancel(true)} or {@code cancel(false)}) sends SIGTERM to the
 * whole process tree (the {@code sh}, its descendants and the other members of its session,
 * snapshotted before and after signalling), and after a grace period sends SIGKILL to everything of
 * that tree still alive. Deactivation does the same
 * for every running check, synchronously, before it returns. The {@code sh} is reaped by the JDK's
 * process reaper; descendants orphaned by its death are reparented to init.
 *
 * <p>Threading: {@link #check} forks the process and returns; completion is driven by
 * {@link Process#onExit()}. The only thread this component owns is one daemon thread for grace timers.
 */
@Component(service = Checker.class, immediate = true)
@CheckerType("shell")
public final class ShellChecker implements Checker {

    /** Framework property: when {@code true}, checker output goes to the server's stdout/stderr. */
    public static final String DEBUG_PROPERTY = "mandos.debug";

    static final Duration DEFAULT_GRACE = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ShellChecker.class);
    private static final File DEV_NULL = new File("/dev/null");
    private static final File ROOT = new File("/");
    private static final File PROC = new File("/proc");
    /** The setsid program, or null where there is none (then leftovers of a check are not found). */
    private static final String SETSID = findSetsid();

    private final Set<RunningCheck> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong started = new AtomicLong();
    private volatile Duration grace = DEFAULT_GRACE;
    private volatile boolean debug;
    private volatile ScheduledExecutorService timers;

    public ShellChecker() {
    }

    @Activate
    void activate(BundleContext context) {
        start("true".equalsIgnoreCase(String.valueOf(context.getProperty(DEBUG_PROPERTY)).trim()),
                DEFAULT_GRACE);
    }

    /** Activation without a framework, for tests. */
    void start(boolean debugMode, Duration gracePeriod) {
        this.debug = debugMode;
        this.grace = gracePeriod;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mandos-shell-checker-timer");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService executor = timers;
        timers = null;
        List<ProcessHandle> all = new ArrayList<>();
        for (RunningCheck check : List.copyOf(running)) {
            check.cancel(true);
            all.addAll(check.terminated());
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        // Escalate synchronously: the timer thread is gone.
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : all) {
            long left = deadline - System.nanoTime();
            if (left > 0 && handle.isAlive()) {
                try {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // timed out or interrupted: escalate below
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        all.forEach(ShellChecker::kill);
        running.clear();
    }

    @Override
    public CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attributes) {
        String template = client.checker();
        String command;
        try {
            command = CommandFormat.expand(template, attributes == null ? Map.of() : attributes);
        } catch (CommandFormat.MalformedFormatException e) {
            return CompletableFuture.completedFuture(
                    CheckResult.error("Could not format string \"" + template + "\": " + e.getMessage()));
        }
        if (timers == null) {
            return CompletableFuture.completedFuture(CheckResult.error("shell checker is not active"));
        }
        List<String> argv = new ArrayList<>();
        if (SETSID != null) {
            argv.add(SETSID);
            argv.add("-w");
        }
        argv.addAll(List.of("/bin/sh", "-c", command));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(ROOT)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        if (debug) {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(
                    CheckResult.error("Could not start checker: " + e.getMessage()));
        }
        started.incrementAndGet();
        LOG.debug("Started checker for {} (pid {}): {}", client.name(), process.pid(), command);
        RunningCheck check = new RunningCheck(process);
        running.add(check);
        if (timers == null) {
            // Deactivated while this process was starting: deactivate() may not have seen it.
            check.cancel(true);
            check.terminated().forEach(ShellChecker::kill);
        }
        process.onExit().whenComplete((p, failure) -> {
            running.remove(check);
            stopLeftovers(process.pid());
            if (failure != null) {
                check.complete(CheckResult.error("Could not wait for checker: " + failure));
            } else {
                check.complete(resultOf(process.exitValue()));
            }
        });
        return check;
    }

    /** Maps a Java exit value to a result; see the class comment for the signal rule. */
    static CheckResult resultOf(int exitValue) {
        if (exitValue == 0) {
            return CheckResult.alive();
        }
        if (exitValue > 128 && exitValue <= 128 + 64) {
            return CheckResult.down(-1, "killed by signal " + (exitValue - 128));
        }
        return CheckResult.down(exitValue, "exited with status " + exitValue);
    }

    /** How many processes this instance has started; for tests. */
    long startedCount() {
        return started.get();
    }

    private void scheduleKill(List<ProcessHandle> tree, Process process) {
        Runnable escalate = () -> {
            List<ProcessHandle> all = new ArrayList<>(tree);
            if (process.isAlive()) {
                process.descendants().forEach(all::add);
            }
            all.addAll(sessionMembers(process.pid()));
            all.forEach(ShellChecker::kill);
        };
        ScheduledExecutorService executor = timers;
        try {
            if (executor == null) {
                throw new RejectedExecutionException("deactivated");
            }
            executor.schedule(escalate, grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Deactivating: deactivate() escalates synchronously for everything it cancelled.
            // A cancel racing with deactivation escalates here at once.
            if (executor != null) {
                escalate.run();
            }
        }
    }

    private static String findSetsid() {
        for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        LOG.warn("No setsid program: processes a checker leaves running after it exits are not stopped");
        return null;
    }

    /** Stops what a finished check left running in its session: SIGTERM now, SIGKILL after the grace. */
    private void stopLeftovers(long sessionId) {
        List<ProcessHandle> left = sessionMembers(sessionId);
        if (left.isEmpty()) {
            return;
        }
        LOG.info("Checker pid {} exited leaving {} process(es) running; stopping them", sessionId, left.size());
        left.forEach(ProcessHandle::destroy);
        ScheduledExecutorService executor = timers;
        Runnable escalate = () -> left.forEach(ShellChecker::kill);
        try {
            if (executor == null) {
                throw new RejectedExecutionException("deactivated");
            }
            executor.schedule(escalate, grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            escalate.run();
        }
    }

    /**
     * The live processes of session {@code sid} other than its leader, from {@code /proc} (empty where
     * there is no {@code /proc}). A session id is not reused as a pid while the session has members, and
     * a handle is taken before its process is confirmed as a member, so the handle (which remembers the
     * start time) can only ever signal that member.
     */
    static List<ProcessHandle> sessionMembers(long sid) {
        List<ProcessHandle> members = new ArrayList<>();
        String[] names = SETSID == null ? null : PROC.list();
        if (names == null) {
            return members;
        }
        for (String name : names) {
            if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(name);
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == sid || !inSession(pid, sid)) {
                continue;
            }
            ProcessHandle.of(pid).filter(h -> inSession(pid, sid)).ifPresent(members::add);
        }
        return members;
    }

    /** Whether {@code pid} is a live (not zombie) member of session {@code sid}, per /proc/pid/stat. */
    private static boolean inSession(long pid, long sid) {
        String stat;
        try {
            stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            return false; // gone
        }
        // pid (comm) state ppid pgrp session ...; comm may contain spaces and parentheses.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        String[] fields = stat.substring(close + 2).split(" ", 5);
        if (fields.length < 4 || fields[0].equals("Z") || fields[0].equals("X")) {
            return false;
        }
        try {
            return Long.parseLong(fields[3]) == sid;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void kill(ProcessHandle handle) {
        if (handle.isAlive()) {
            handle.destroyForcibly();
        }
    }

    /** The stage returned by {@link #check}; cancelling it kills the process tree. */
    private final class RunningCheck extends CompletableFuture<CheckResult> {
        private final Process process;
        private volatile List<ProcessHandle> terminated = List.of();

        RunningCheck(Process process) {
            this.process = process;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                running.remove(this);
                terminate();
            }
            return cancelled;
        }

        List<ProcessHandle> terminated() {
            return terminated;
        }

        private void terminate() {
            // Snapshot the tree, SIGTERM it, then snapshot again to catch children forked meanwhile.
            Map<Long, ProcessHandle> tree = new LinkedHashMap<>();
            process.descendants().forEach(h -> tree.put(h.pid(), h));
            tree.put(process.pid(), process.toHandle());
            // Members of its session whose parent already died (double-forked) are no descendants.
            sessionMembers(process.pid()).forEach(h -> tree.putIfAbsent(h.pid(), h));
            tree.values().forEach(ProcessHandle::destroy);
            if (process.isAlive()) {
                process.descendants().forEach(h -> {
                    if (tree.putIfAbsent(h.pid(), h) == null) {
                        h.destroy();
                    }
                });
            }
            List<ProcessHandle> handles = List.copyOf(tree.values());
            terminated = handles;
            LOG.debug("Stopping checker pid {} and {} descendant(s)", process.pid(), handles.size() - 1);
            scheduleKill(handles, process);
        }
    }
}

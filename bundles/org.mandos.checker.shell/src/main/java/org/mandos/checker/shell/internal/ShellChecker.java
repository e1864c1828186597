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
 * stdout/stderr discarded unless the framework property {@code mandos.debug} is {@code true}.
 *
 * <p>Result: exit status 0 is {@link CheckResult#alive()}; any other status n is
 * {@code down(n, "exited with status n")}. <b>Signals:</b> Java reports a process killed by signal s as
 * exit value 128+s and cannot tell that from {@code exit 128+s}; this checker reports every exit value
 * in 129..192 (signals 1..64) as {@code down(-1, "killed by signal s")}. That also covers the common case
 * where {@code sh} itself exits with 128+s because its last foreground command was killed by s. Either
 * way the check is not alive; only the reported code differs from the reference.
 *
 * <p>Cancelling the returned stage ({@code cancel(true)} or {@code cancel(false)}) sends SIGTERM to the
 * whole process tree (the {@code sh} and its descendants, snapshotted before and after signalling), and
 * after a grace period sends SIGKILL to everything of that tree still alive. Deactivation does the same
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
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
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

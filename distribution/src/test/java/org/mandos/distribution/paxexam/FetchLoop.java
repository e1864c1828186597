package org.mandos.distribution.paxexam;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the real mandos-client again and again on a thread of its own, each run expected to print
 * {@code password}, and counts what happens. Every run that does not print it is a failure, kept with
 * the client's exit status and standard error.
 */
final class FetchLoop implements AutoCloseable {

    private final Path keys;
    private final String connect;
    private final String password;
    private final Duration limit;
    private final AtomicInteger successes = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private FetchLoop(Path keys, String connect, String password, Duration limit) {
        this.keys = keys;
        this.connect = connect;
        this.password = password;
        this.limit = limit;
        this.thread = new Thread(this::loop, "mandos-itest-fetch-loop");
        this.thread.setDaemon(true);
    }

    /** Starts fetching; each run may take up to {@code limit}, which is plenty for a served client. */
    static FetchLoop start(Path keys, String connect, String password, Duration limit) {
        FetchLoop loop = new FetchLoop(keys, connect, password, limit);
        loop.thread.start();
        return loop;
    }

    private void loop() {
        while (running) {
            try {
                RealTools.Result r = RealTools.fetch(keys, connect, limit);
                if (r.exitCode() == 0 && r.stdout().equals(password)) {
                    successes.incrementAndGet();
                } else {
                    failures.add("exit status " + r.exitCode() + ", printed " + r.stdout().length()
                            + " characters, stderr:\n" + r.stderr());
                }
            } catch (RuntimeException e) {
                failures.add(e.toString());
            }
        }
    }

    int successes() {
        return successes.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * Waits, for at most {@code wait}, until a fetch that started after the moment the count was
     * {@code before} has succeeded: the runs are sequential, so that is the second success after it
     * (the first may have been under way already). Fails at once when any fetch has failed.
     *
     * @return the count of successes then
     */
    int awaitFetchAfter(int before, Duration wait, String step) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (successes.get() < before + 2) {
            if (!failures.isEmpty()) {
                throw new AssertionError("a fetch of the real client failed " + step + ": " + failures.get(0));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no fetch succeeded within " + wait + " " + step);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return successes.get();
    }

    /** Stops after the run under way, waiting for it to end. */
    void stop() {
        running = false;
        try {
            thread.join(limit.plusSeconds(40).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

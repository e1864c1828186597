package org.mandos.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler whose time moves only when a test says so. */
final class ManualScheduler implements Scheduler {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final List<Task> tasks = new ArrayList<>();

    private record Task(Instant due, Runnable action, boolean[] cancelled) {
    }

    @Override
    public synchronized Clock clock() {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay), task, new boolean[1]);
        tasks.add(t);
        return () -> t.cancelled()[0] = true;
    }

    /** Moves the clock forward, running every task that falls due, in order. */
    void advance(Duration step) {
        Instant target;
        synchronized (this) {
            target = now.plus(step);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due().isAfter(target)).min(Comparator.comparing(Task::due))
                        .orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = next.due();
            }
            if (!next.cancelled()[0]) {
                next.action().run();
            }
        }
    }

    synchronized long pendingTasks() {
        return tasks.stream().filter(t -> !t.cancelled()[0]).count();
    }

    @Override
    public void close() {
    }
}

package org.mandos.core.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * The core's one source of time and deferred work, so that every timing rule can be tested with a
 * manual clock instead of sleeping.
 */
public interface Scheduler extends AutoCloseable {

    /** A scheduled task that can be called off. */
    interface Cancellable {
        void cancel();
    }

    Clock clock();

    /** Runs {@code task} once after {@code delay}, on a scheduler thread. */
    Cancellable schedule(Duration delay, Runnable task);

    @Override
    void close();
}

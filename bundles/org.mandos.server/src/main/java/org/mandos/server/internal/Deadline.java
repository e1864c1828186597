package org.mandos.server.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection when the phase it is in takes too long. Blocking reads and the TLS handshake
 * cannot time out on their own across many small reads (a peer trickling one byte at a time), so each
 * phase gets an absolute deadline that closes the socket.
 */
final class Deadline implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final Closeable target;
    private ScheduledFuture<?> pending;
    private volatile String expired;

    Deadline(ScheduledExecutorService timer, Closeable target) {
        this.timer = timer;
        this.target = target;
    }

    /** Starts a new phase: the connection is closed unless the next {@code arm} or {@code close} comes first. */
    synchronized void arm(Duration limit, String phase) {
        disarm();
        pending = timer.schedule(() -> expire(phase + " took longer than " + limit.toMillis() / 1000.0 + " s"),
                limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void expire(String reason) {
        expired = reason;
        try {
            target.close();
        } catch (IOException ignored) {
            // Closing is all we can do; the connection thread sees the failure and reports the reason.
        }
    }

    /** Why the deadline closed the connection, or null when it did not. */
    String expired() {
        return expired;
    }

    @Override
    public void close() {
        disarm();
    }
}

package org.mandos.client;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * The order in which the servers found with Zeroconf are tried, as the reference client does it:
 * <ul>
 * <li>a newly found server is tried at once, before any retry (several new ones in the order found);</li>
 * <li>after its attempt a server joins the end of a circular list; servers never leave it;</li>
 * <li>the server at the head of the list (the least recently tried) is tried again once {@code retry} has passed
 * since its last attempt <em>ended</em>;</li>
 * <li>a server found again (same address, zone and port) is ignored.</li>
 * </ul>
 * Pure bookkeeping: no clock and no threads. Times are nanoseconds from an arbitrary origin
 * ({@link System#nanoTime()}, or a test clock). Not thread-safe.
 */
final class ServerRotation {

    /** What to do now. */
    sealed interface Step permits Try, Wait, Idle {
    }

    /** Connect to this server now. */
    record Try(ServerAddress server) implements Step {
        Try {
            Objects.requireNonNull(server, "server");
        }
    }

    /** Nothing is due: the next retry is due in {@code nanos} (&gt; 0), unless a new server is found first. */
    record Wait(long nanos) implements Step {
    }

    /** No server is known: wait for one to be found. */
    enum Idle implements Step {
        INSTANCE
    }

    private record Tried(ServerAddress server, long endedAt) {
    }

    private final long retryNanos;
    private final Set<ServerAddress> known = new HashSet<>();
    /** Found, never tried; tried first, in the order found. */
    private final ArrayDeque<ServerAddress> fresh = new ArrayDeque<>();
    /** Tried at least once; head = least recently tried. */
    private final ArrayDeque<Tried> circle = new ArrayDeque<>();

    /**
     * @param retryNanos the least time between the end of one attempt on a server and the start of the next
     *                   attempt on the same server
     */
    ServerRotation(long retryNanos) {
        if (retryNanos < 0) {
            throw new IllegalArgumentException("negative retry interval: " + retryNanos);
        }
        this.retryNanos = retryNanos;
    }

    /**
     * Adds a newly found server.
     *
     * @return false if this server was known already (it is then ignored)
     */
    boolean add(ServerAddress server) {
        Objects.requireNonNull(server, "server");
        if (!known.add(server)) {
            return false;
        }
        fresh.addLast(server);
        return true;
    }

    /** What to do at time {@code now}. Changes nothing; call {@link #tried} after the attempt. */
    Step next(long now) {
        ServerAddress newest = fresh.peekFirst();
        if (newest != null) {
            return new Try(newest);
        }
        Tried head = circle.peekFirst();
        if (head == null) {
            return Idle.INSTANCE;
        }
        long wait = head.endedAt() + retryNanos - now;
        return wait <= 0 ? new Try(head.server()) : new Wait(wait);
    }

    /**
     * Records that an attempt on {@code server} ended at {@code now} (and failed): it goes to the end of the
     * circular list.
     *
     * @throws IllegalArgumentException if the server was never {@linkplain #add added}
     */
    void tried(ServerAddress server, long now) {
        if (!known.contains(server)) {
            throw new IllegalArgumentException("unknown server: " + server);
        }
        if (!fresh.remove(server)) {
            for (Iterator<Tried> it = circle.iterator(); it.hasNext(); ) {
                if (it.next().server().equals(server)) {
                    it.remove();
                    break;
                }
            }
        }
        circle.addLast(new Tried(server, now));
    }

    /** How many different servers were found. */
    int size() {
        return known.size();
    }
}

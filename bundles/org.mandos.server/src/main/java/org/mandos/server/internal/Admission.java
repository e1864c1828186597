package org.mandos.server.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which accepted connections are served: at most {@code max} open at once, and at most {@code perPeer} from
 * one address, so that one host holding connections open (or a flood of half-done ones) cannot take every
 * place. Refusals are reported at most once per {@link #REPORT_EVERY} per reason, with the number left out
 * since, so that a flood of refused connections cannot fill the log either.
 *
 * <p>Thread-safe: the acceptors of several listening sockets and the connection threads share it.
 */
final class Admission {

    /** How often a refusal reason is reported while connections keep being refused for it. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    /** Why a connection is refused; {@link #message} completes "Rejected connection from X: ". */
    enum Refusal {
        FULL, PEER_FULL;
    }

    private final int max;
    private final int perPeer;
    private final LongSupplier nanoTime;
    private final Map<InetAddress, Integer> byPeer = new HashMap<>();
    private int open;
    private final Map<Refusal, Long> lastReport = new HashMap<>();
    private final Map<Refusal, Integer> unreported = new HashMap<>();

    Admission(int max, int perPeer, LongSupplier nanoTime) {
        if (max < 1 || perPeer < 1) {
            throw new IllegalArgumentException("limits must be at least 1: " + max + ", " + perPeer);
        }
        this.max = max;
        this.perPeer = perPeer;
        this.nanoTime = nanoTime;
    }

    /** @return null when the connection may be served (then {@link #release} it when it closes), or why not */
    synchronized Refusal admit(InetAddress peer) {
        if (open >= max) {
            return Refusal.FULL;
        }
        int fromPeer = byPeer.getOrDefault(peer, 0);
        if (fromPeer >= perPeer) {
            return Refusal.PEER_FULL;
        }
        byPeer.put(peer, fromPeer + 1);
        open++;
        return null;
    }

    /** A served connection from {@code peer} closed. */
    synchronized void release(InetAddress peer) {
        Integer fromPeer = byPeer.get(peer);
        if (fromPeer == null) {
            throw new IllegalStateException("released more connections than were admitted");
        }
        if (fromPeer == 1) {
            byPeer.remove(peer);
        } else {
            byPeer.put(peer, fromPeer - 1);
        }
        open--;
    }

    synchronized int open() {
        return open;
    }

    synchronized int peers() {
        return byPeer.size();
    }

    /**
     * A connection was refused for {@code why}.
     *
     * @return the text to log after "Rejected connection from X: ", or null when this one is not reported
     */
    synchronized String report(Refusal why) {
        long now = nanoTime.getAsLong();
        Long last = lastReport.get(why);
        if (last != null && now - last < REPORT_EVERY.toNanos()) {
            unreported.merge(why, 1, Integer::sum);
            return null;
        }
        lastReport.put(why, now);
        Integer left = unreported.remove(why);
        String text = why == Refusal.FULL ? max + " connections already open"
                : perPeer + " connections from that address already open";
        return left == null ? text
                : text + " (and " + left + " more refused for the same reason, not logged, in the last "
                        + Math.max(1, (now - last) / 1_000_000_000L) + " s)";
    }
}

package org.mandos.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The loop of mandos-client without {@code --connect}: servers come from a {@link ServerSource} (Zeroconf) and
 * are tried one at a time in the order of {@link ServerRotation}: a new server at once, a failed one again when
 * {@code retry} has passed since its last attempt, least recently tried first. It ends with the first password,
 * after {@code tries} attempts in all (over all servers), or at the {@code timeout} deadline; without those two
 * it runs until a password arrives, as the reference client does.
 *
 * <p>The clock, the source and the attempts are injected, so the scheduling can be tested without the network
 * and without waiting.
 */
final class ZeroconfFetcher {

    /** One attempt on one server. */
    @FunctionalInterface
    interface Attempter {
        /**
         * @param deadline the overall deadline on the fetcher's clock, or {@code null} for none
         * @return the password, or {@code null} if the attempt failed (already logged)
         */
        byte[] attempt(ServerAddress server, Long deadline);
    }

    /**
     * How {@link #fetch} ended.
     *
     * @param password the password, or {@code null}
     * @param attempts the attempts made, over all servers
     * @param servers  how many different servers were found
     * @param timedOut whether the {@code timeout} deadline ended it
     */
    record Result(byte[] password, int attempts, int servers, boolean timedOut) {
        boolean succeeded() {
            return password != null;
        }
    }

    private final ServerSource source;
    private final Attempter attempter;
    private final LongSupplier clock;
    private final long retryNanos;
    private final int tries;
    private final Duration timeout;
    private final PasswordFetcher.Log log;

    /**
     * @param clock   nanoseconds from an arbitrary origin ({@code System::nanoTime}); the same clock as the
     *                deadline given to the attempter and the timeouts given to the source
     * @param retry   the least time between the end of an attempt on a server and the next attempt on it
     * @param tries   the most attempts in all, or 0 for no limit
     * @param timeout the overall deadline from the start of {@link #fetch}, or {@code null} for none
     */
    ZeroconfFetcher(ServerSource source, Attempter attempter, LongSupplier clock, Duration retry, int tries,
                    Duration timeout, PasswordFetcher.Log log) {
        this.source = Objects.requireNonNull(source, "source");
        this.attempter = Objects.requireNonNull(attempter, "attempter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryNanos = Objects.requireNonNull(retry, "retry").toNanos();
        this.tries = tries;
        this.timeout = timeout;
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Tries servers until one gives the password, the tries are used up or the deadline passes.
     *
     * @throws InterruptedException if interrupted while waiting for a server
     */
    Result fetch() throws InterruptedException {
        long start = clock.getAsLong();
        Long deadline = timeout == null ? null : start + timeout.toNanos();
        ServerRotation rotation = new ServerRotation(retryNanos);
        int attempts = 0;
        boolean saidIdle = false;
        while (true) {
            for (ServerAddress found; (found = source.next(0)) != null; ) {
                add(rotation, found);
            }
            long now = clock.getAsLong();
            if (deadline != null && now - deadline >= 0) {
                return new Result(null, attempts, rotation.size(), true);
            }
            ServerRotation.Step step = rotation.next(now);
            if (step instanceof ServerRotation.Try t) {
                saidIdle = false;
                attempts++;
                byte[] password = attempter.attempt(t.server(), deadline);
                rotation.tried(t.server(), clock.getAsLong());
                if (password != null) {
                    return new Result(password, attempts, rotation.size(), false);
                }
                if (tries > 0 && attempts >= tries) {
                    return new Result(null, attempts, rotation.size(), false);
                }
                continue;
            }
            long wait;
            if (step instanceof ServerRotation.Wait w) {
                wait = w.nanos();
                log.debug("Next attempt in " + seconds(wait) + " seconds, unless a new server is found first");
            } else {
                wait = -1;
                if (!saidIdle) {
                    log.debug("Waiting for a Mandos server to be found with Zeroconf");
                    saidIdle = true;
                }
            }
            if (deadline != null) {
                long left = Math.max(0, deadline - now);
                wait = wait < 0 ? left : Math.min(wait, left);
            }
            ServerAddress found = source.next(wait);
            if (found != null) {
                add(rotation, found);
            }
        }
    }

    private void add(ServerRotation rotation, ServerAddress server) {
        if (rotation.add(server)) {
            log.debug("New server: " + server);
        }
    }

    static String seconds(long nanos) {
        double s = Math.round(nanos / 1e6) / 1e3;
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}

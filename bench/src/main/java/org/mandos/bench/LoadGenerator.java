package org.mandos.bench;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.mandos.tls.TlsPolicy;

/**
 * Many simulated Mandos clients against one server address.
 *
 * <p>{@link #run} is a sustained load: closed loop ({@code concurrency} threads, each fetching again as soon
 * as the last fetch ended, or after {@code retryDelay} when it was refused or failed), or open loop
 * ({@code rate} fetches per second started on schedule by a pool of {@code concurrency} threads; latency
 * counts from the scheduled start, so queueing in the generator shows). Only fetches that end inside the
 * measured window (after the warm-up) are counted.
 *
 * <p>{@link #storm} is a boot storm: each client starts once at its own time, evenly spread, and retries
 * after {@code retryDelay} until it has its secret or the deadline passes.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    /** Settings of a sustained load. {@code rate} 0 means closed loop. */
    public record Options(InetSocketAddress target, int concurrency, double rate, Duration duration, Duration warmup,
            Duration retryDelay, Duration timeout, boolean randomOrder, TlsPolicy policy) {
    }

    /** The outcome of a sustained load. */
    public record Result(int concurrency, double rate, double seconds, long deliveries, Tally refusals, Tally errors,
            LatencyRecorder.Stats latency) {

        public double deliveriesPerSecond() {
            return seconds <= 0 ? 0 : deliveries / seconds;
        }

        public Json.Obj toJson() {
            return Json.obj().put("concurrency", concurrency).put("rate", rate > 0 ? rate : null)
                    .put("seconds", seconds).put("deliveries", deliveries)
                    .put("deliveries_per_second", deliveriesPerSecond()).put("latency", latency.toJson())
                    .put("refusals", refusals.total()).put("refusals_by_kind", refusals.toJson())
                    .put("errors", errors.total()).put("errors_by_kind", errors.toJson());
        }

        public String summary() {
            return String.format(Locale.ROOT,
                    "%s: %d deliveries in %.1f s = %.1f/s; latency ms p50 %.1f p95 %.1f p99 %.1f max %.1f;"
                            + " refusals %d, errors %d",
                    rate > 0 ? "rate " + rate + "/s" : "concurrency " + concurrency, deliveries, seconds,
                    deliveriesPerSecond(), latency.p50Micros() / 1000.0, latency.p95Micros() / 1000.0,
                    latency.p99Micros() / 1000.0, latency.maxMicros() / 1000.0, refusals.total(), errors.total())
                    + (refusals.total() + errors.total() > 0 ? "\n" + refusals.describe("  refused ")
                            + errors.describe("  error ") : "");
        }
    }

    /** Runs a sustained load with these clients (used in turn, or at random with {@code randomOrder}). */
    public static Result run(Options options, List<Fixture.SimClient> clients) throws InterruptedException {
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("no clients");
        }
        long start = System.nanoTime();
        long measureFrom = start + options.warmup().toNanos();
        long end = measureFrom + options.duration().toNanos();
        LatencyRecorder latencies = new LatencyRecorder();
        LongAdder deliveries = new LongAdder();
        Tally refusals = new Tally();
        Tally errors = new Tally();
        AtomicLong next = new AtomicLong();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());

        Recorder recorder = (outcome, endedAt) -> {
            if (endedAt < measureFrom || endedAt > end) {
                return;
            }
            switch (outcome.status()) {
                case DELIVERED -> {
                    deliveries.increment();
                    latencies.record(outcome.micros());
                }
                case REFUSED -> refusals.add(outcome.kind(), outcome.message());
                case ERROR -> errors.add(outcome.kind(), outcome.message());
            }
        };
        java.util.function.Supplier<Fixture.SimClient> pick = () -> options.randomOrder()
                ? clients.get(ThreadLocalRandom.current().nextInt(clients.size()))
                : clients.get((int) Math.floorMod(next.getAndIncrement(), (long) clients.size()));

        if (options.rate() > 0) {
            runOpenLoop(options, pick, recorder, timeoutMs, start, end);
        } else {
            runClosedLoop(options, pick, recorder, timeoutMs, end);
        }
        double seconds = options.duration().toNanos() / 1e9;
        return new Result(options.concurrency(), options.rate(), seconds, deliveries.sum(), refusals, errors,
                latencies.stats());
    }

    @FunctionalInterface
    private interface Recorder {
        void record(Fetch.Outcome outcome, long endedAtNanos);
    }

    private static void runClosedLoop(Options options, java.util.function.Supplier<Fixture.SimClient> pick,
            Recorder recorder, int timeoutMs, long end) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.concurrency(); i++) {
            Thread worker = new Thread(() -> {
                SecureRandom random = Fetch.newRandom();
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    Fetch.Outcome outcome = Fetch.fetch(options.target(), pick.get(), options.policy(), random,
                            timeoutMs);
                    long now = System.nanoTime();
                    recorder.record(outcome, now);
                    if (!outcome.delivered()) {
                        long pause = Math.min(options.retryDelay().toNanos(), end - now);
                        if (pause > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(pause);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }
            }, "bench-client-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        long grace = TimeUnit.MILLISECONDS.toNanos(timeoutMs) + TimeUnit.SECONDS.toNanos(5);
        for (Thread worker : workers) {
            long left = end + grace - System.nanoTime();
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        workers.forEach(Thread::interrupt);
    }

    private static void runOpenLoop(Options options, java.util.function.Supplier<Fixture.SimClient> pick,
            Recorder recorder, int timeoutMs, long start, long end) throws InterruptedException {
        ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(Fetch::newRandom);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(options.concurrency(), options.concurrency(), 1,
                TimeUnit.MINUTES, new LinkedBlockingQueue<>(), daemonThreads("bench-open-"));
        double intervalNanos = 1e9 / options.rate();
        for (long i = 0;; i++) {
            long scheduled = start + (long) (i * intervalNanos);
            if (scheduled >= end) {
                break;
            }
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            pool.execute(() -> {
                if (System.nanoTime() >= end) {
                    return;
                }
                Fetch.Outcome outcome = Fetch.fetch(options.target(), pick.get(), options.policy(), randoms.get(),
                        timeoutMs);
                long now = System.nanoTime();
                // latency from the scheduled start: time spent queued in the generator counts
                recorder.record(new Fetch.Outcome(outcome.status(), outcome.kind(), outcome.message(),
                        (now - scheduled) / 1000), now);
            });
        }
        pool.shutdown();
        pool.awaitTermination(timeoutMs + 5000L, TimeUnit.MILLISECONDS);
        pool.shutdownNow();
    }

    /** Settings of a boot storm. */
    public record StormOptions(InetSocketAddress target, Duration spread, Duration retryDelay, Duration deadline,
            Duration timeout, int maxInFlight, TlsPolicy policy) {
    }

    /** The outcome of a boot storm; times in ms from the storm's start. */
    public record StormResult(int clients, int served, double lastServedMs, long attempts, long retries,
            Tally refusals, Tally errors, LatencyRecorder.Stats fetchLatency, LatencyRecorder.Stats timeToSecret,
            LatencyRecorder.Stats startLag) {

        public Json.Obj toJson() {
            return Json.obj().put("clients", clients).put("served", served).put("unserved", clients - served)
                    .put("time_to_last_secret_s", served == clients ? lastServedMs / 1000.0 : null)
                    .put("last_served_s", lastServedMs / 1000.0).put("attempts", attempts).put("retries", retries)
                    .put("refusals", refusals.total()).put("refusals_by_kind", refusals.toJson())
                    .put("errors", errors.total()).put("errors_by_kind", errors.toJson())
                    .put("fetch_latency", fetchLatency.toJson()).put("time_to_secret", timeToSecret.toJson())
                    .put("generator_start_lag", startLag.toJson());
        }

        public String summary() {
            return String.format(Locale.ROOT,
                    "%d/%d clients served, last one %.2f s after the storm began; %d attempts, %d retries,"
                            + " refusals %d, errors %d; fetch latency ms p50 %.1f p99 %.1f max %.1f;"
                            + " time to secret s p50 %.2f p99 %.2f max %.2f; generator start lag ms p99 %.1f",
                    served, clients, lastServedMs / 1000.0, attempts, retries, refusals.total(), errors.total(),
                    fetchLatency.p50Micros() / 1000.0, fetchLatency.p99Micros() / 1000.0,
                    fetchLatency.maxMicros() / 1000.0, timeToSecret.p50Micros() / 1e6,
                    timeToSecret.p99Micros() / 1e6, timeToSecret.maxMicros() / 1e6, startLag.p99Micros() / 1000.0)
                    + (refusals.total() + errors.total() > 0 ? "\n" + refusals.describe("  refused ")
                            + errors.describe("  error ") : "");
        }
    }

    /** Runs a boot storm: every client once, starting evenly spread over {@code spread}, retrying. */
    public static StormResult storm(StormOptions options, List<Fixture.SimClient> clients)
            throws InterruptedException {
        int n = clients.size();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("bench-timer-"));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(options.maxInFlight(), options.maxInFlight(), 1,
                TimeUnit.MINUTES, new LinkedBlockingQueue<>(), daemonThreads("bench-storm-"));
        pool.prestartAllCoreThreads();
        ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(Fetch::newRandom);
        CountDownLatch finished = new CountDownLatch(n);
        AtomicInteger served = new AtomicInteger();
        AtomicLong lastServed = new AtomicLong();
        LongAdder attempts = new LongAdder();
        LongAdder retries = new LongAdder();
        Tally refusals = new Tally();
        Tally errors = new Tally();
        LatencyRecorder fetchLatency = new LatencyRecorder();
        LatencyRecorder timeToSecret = new LatencyRecorder();
        LatencyRecorder startLag = new LatencyRecorder();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long deadline = start + options.deadline().toNanos();

        for (int i = 0; i < n; i++) {
            Fixture.SimClient client = clients.get(i);
            long clientStart = start + (n <= 1 ? 0 : options.spread().toNanos() * i / n);
            Runnable attempt = new Runnable() {
                private boolean first = true;

                @Override
                public void run() {
                    if (first) {
                        first = false;
                        startLag.record(Math.max(0, System.nanoTime() - clientStart) / 1000);
                    }
                    attempts.increment();
                    Fetch.Outcome outcome = Fetch.fetch(options.target(), client, options.policy(), randoms.get(),
                            timeoutMs);
                    long now = System.nanoTime();
                    fetchLatency.record(outcome.micros());
                    switch (outcome.status()) {
                        case DELIVERED -> {
                            served.incrementAndGet();
                            lastServed.accumulateAndGet(now - start, Math::max);
                            timeToSecret.record((now - clientStart) / 1000);
                            finished.countDown();
                            return;
                        }
                        case REFUSED -> refusals.add(outcome.kind(), outcome.message());
                        case ERROR -> errors.add(outcome.kind(), outcome.message());
                    }
                    long retryAt = now + options.retryDelay().toNanos();
                    if (retryAt >= deadline) {
                        finished.countDown();
                        return;
                    }
                    retries.increment();
                    Runnable self = this;
                    timer.schedule(() -> pool.execute(self), retryAt - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
            };
            timer.schedule(() -> pool.execute(attempt), clientStart - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        finished.await(Math.max(1, deadline - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                TimeUnit.NANOSECONDS);
        timer.shutdownNow();
        pool.shutdownNow();
        return new StormResult(n, served.get(), lastServed.get() / 1e6, attempts.sum(), retries.sum(), refusals,
                errors, fetchLatency.stats(), timeToSecret.stats(), startLag.stats());
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package org.mandos.bench;

import java.util.Arrays;

/**
 * An exact latency recorder: every sample is kept (in microseconds) and sorted once at the end. Fine
 * for a few million samples (8 bytes each). Thread-safe; {@link #record} is a short synchronized append.
 */
public final class LatencyRecorder {

    private long[] samples = new long[1024];
    private int size;

    /** Adds one sample, in microseconds. */
    public synchronized void record(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[size++] = micros;
    }

    /** Adds all samples of another recorder. */
    public synchronized void addAll(LatencyRecorder other) {
        long[] copy = other.snapshot();
        for (long value : copy) {
            record(value);
        }
    }

    public synchronized int count() {
        return size;
    }

    private synchronized long[] snapshot() {
        return Arrays.copyOf(samples, size);
    }

    /** The statistics of the samples recorded so far. */
    public Stats stats() {
        return Stats.of(snapshot());
    }

    /**
     * Count, mean and percentiles (nearest-rank: the smallest sample such that at least p % of the
     * samples are less than or equal to it), in microseconds; all zero when there is no sample.
     */
    public record Stats(int count, double meanMicros, long minMicros, long p50Micros, long p95Micros, long p99Micros,
            long maxMicros) {

        public static Stats of(long[] values) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return new Stats(0, 0, 0, 0, 0, 0, 0);
            }
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Stats(sorted.length, sum / sorted.length, sorted[0], percentile(sorted, 50),
                    percentile(sorted, 95), percentile(sorted, 99), sorted[sorted.length - 1]);
        }

        /** Nearest-rank percentile of sorted values, 0 < p <= 100. */
        public static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
        }

        public Json.Obj toJson() {
            return Json.obj().put("count", count).put("mean_ms", meanMicros / 1000.0).put("min_ms", minMicros / 1000.0)
                    .put("p50_ms", p50Micros / 1000.0).put("p95_ms", p95Micros / 1000.0)
                    .put("p99_ms", p99Micros / 1000.0).put("max_ms", maxMicros / 1000.0);
        }
    }
}

package org.mandos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesOfOneToHundred() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) { // out of order on purpose
            recorder.record(i);
        }
        LatencyRecorder.Stats stats = recorder.stats();
        assertEquals(100, stats.count());
        assertEquals(1, stats.minMicros());
        assertEquals(50, stats.p50Micros());
        assertEquals(95, stats.p95Micros());
        assertEquals(99, stats.p99Micros());
        assertEquals(100, stats.maxMicros());
        assertEquals(50.5, stats.meanMicros(), 1e-9);
    }

    @Test
    void nearestRankOnSmallSamples() {
        long[] sorted = {10, 20, 30, 40};
        assertEquals(20, LatencyRecorder.Stats.percentile(sorted, 50));
        assertEquals(40, LatencyRecorder.Stats.percentile(sorted, 95));
        assertEquals(10, LatencyRecorder.Stats.percentile(sorted, 1));
        assertEquals(40, LatencyRecorder.Stats.percentile(sorted, 100));
        assertEquals(7, LatencyRecorder.Stats.percentile(new long[] {7}, 99));
    }

    @Test
    void oneSlowOutlierShowsOnlyAtTheTop() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 999; i++) {
            recorder.record(1000);
        }
        recorder.record(1_000_000);
        LatencyRecorder.Stats stats = recorder.stats();
        assertEquals(1000, stats.p50Micros());
        assertEquals(1000, stats.p99Micros());
        assertEquals(1_000_000, stats.maxMicros());
    }

    @Test
    void emptyIsAllZero() {
        LatencyRecorder.Stats stats = new LatencyRecorder().stats();
        assertEquals(0, stats.count());
        assertEquals(0, stats.p99Micros());
    }

    @Test
    void growsAndMerges() {
        LatencyRecorder a = new LatencyRecorder();
        LatencyRecorder b = new LatencyRecorder();
        for (int i = 0; i < 5000; i++) {
            a.record(i);
            b.record(i + 5000);
        }
        a.addAll(b);
        LatencyRecorder.Stats stats = a.stats();
        assertEquals(10_000, stats.count());
        assertEquals(4999, stats.p50Micros());
        assertEquals(9999, stats.maxMicros());
    }
}

package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The scheduling of servers found with Zeroconf, with a fake clock, a scripted discovery source and scripted
 * attempts: nothing waits for real.
 */
class ZeroconfFetcherTest {

    static final long S = 1_000_000_000L;
    static final Duration RETRY = Duration.ofSeconds(10);
    static final ServerAddress A = new ServerAddress("fe80::1", "eth0", 10999);
    static final ServerAddress B = new ServerAddress("192.0.2.7", null, 10999);
    static final ServerAddress C = new ServerAddress("192.0.2.8", null, 10999);
    static final byte[] PASSWORD = "secret".getBytes(StandardCharsets.UTF_8);

    /** A clock that moves only when told to. */
    static final class FakeClock implements LongSupplier {
        long now;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    /** Servers "found" at given times; waiting for one moves the clock instead of sleeping. */
    static final class FakeSource implements ServerSource {
        record Event(long at, ServerAddress server) {
        }

        final FakeClock clock;
        final ArrayDeque<Event> events = new ArrayDeque<>();
        final List<Long> waits = new ArrayList<>();
        boolean closed;

        FakeSource(FakeClock clock) {
            this.clock = clock;
        }

        FakeSource at(double seconds, ServerAddress server) {
            long at = (long) (seconds * S);
            if (!events.isEmpty() && events.peekLast().at() > at) {
                throw new IllegalArgumentException("events must be in time order");
            }
            events.add(new Event(at, server));
            return this;
        }

        @Override
        public ServerAddress next(long timeoutNanos) {
            Event e = events.peekFirst();
            if (e != null && e.at() <= clock.now) {
                return events.removeFirst().server();
            }
            if (timeoutNanos == 0) {
                return null;
            }
            waits.add(timeoutNanos);
            if (e != null && (timeoutNanos < 0 || e.at() <= clock.now + timeoutNanos)) {
                clock.now = e.at();
                return events.removeFirst().server();
            }
            if (timeoutNanos < 0) {
                throw new AssertionError("the fetcher would wait forever at " + clock.now);
            }
            clock.now += timeoutNanos;
            return null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Records the attempts; each takes {@code duration} on the fake clock and succeeds when {@code success} says. */
    static final class FakeAttempts implements ZeroconfFetcher.Attempter {
        interface Success {
            boolean test(ServerAddress server, int attemptOnThisServer);
        }

        record Attempt(ServerAddress server, long at, Long deadline) {
        }

        final FakeClock clock;
        final long duration;
        final Success success;
        final List<Attempt> made = new ArrayList<>();

        FakeAttempts(FakeClock clock, long duration, Success success) {
            this.clock = clock;
            this.duration = duration;
            this.success = success;
        }

        @Override
        public byte[] attempt(ServerAddress server, Long deadline) {
            int before = (int) made.stream().filter(a -> a.server().equals(server)).count();
            made.add(new Attempt(server, clock.now, deadline));
            clock.now += duration;
            return success.test(server, before) ? PASSWORD.clone() : null;
        }

        List<String> schedule() {
            return made.stream().map(a -> name(a.server()) + "@" + (a.at() / (double) S)).toList();
        }
    }

    static String name(ServerAddress s) {
        return s.equals(A) ? "A" : s.equals(B) ? "B" : s.equals(C) ? "C" : s.toString();
    }

    final FakeClock clock = new FakeClock();
    final FakeSource source = new FakeSource(clock);
    final List<String> debug = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final PasswordFetcher.Log log = new PasswordFetcher.Log() {
        @Override
        public void debug(String message) {
            debug.add(message);
        }

        @Override
        public void error(String message) {
            errors.add(message);
        }
    };

    ZeroconfFetcher fetcher(FakeAttempts attempts, int tries, Duration timeout) {
        return new ZeroconfFetcher(source, attempts, clock, RETRY, tries, timeout, log);
    }

    static FakeAttempts failing(FakeClock clock) {
        return new FakeAttempts(clock, 0, (s, n) -> false);
    }

    @Test
    void aNewServerIsTriedAtOnce() throws Exception {
        clock.now = 100 * S;
        source.at(105, A);
        FakeAttempts attempts = new FakeAttempts(clock, 0, (s, n) -> true);
        ZeroconfFetcher.Result r = fetcher(attempts, 0, null).fetch();
        assertTrue(r.succeeded());
        assertArrayEquals(PASSWORD, r.password());
        assertEquals(List.of("A@105.0"), attempts.schedule());
        assertEquals(1, r.attempts());
        assertEquals(1, r.servers());
        assertEquals(List.of(-1L), source.waits, "waited for a server with no limit, then not at all");
        assertTrue(debug.contains("Waiting for a Mandos server to be found with Zeroconf"), debug.toString());
    }

    @Test
    void failedServersAreRetriedLeastRecentlyTriedFirstAfterTheRetryInterval() throws Exception {
        source.at(0, A).at(3, B);
        FakeAttempts attempts = failing(clock);
        ZeroconfFetcher.Result r = fetcher(attempts, 6, null).fetch();
        assertFalse(r.succeeded());
        assertFalse(r.timedOut());
        assertEquals(6, r.attempts());
        assertEquals(2, r.servers());
        assertEquals(List.of("A@0.0", "B@3.0", "A@10.0", "B@13.0", "A@20.0", "B@23.0"), attempts.schedule());
    }

    @Test
    void theRetryIntervalCountsFromTheEndOfTheLastAttempt() throws Exception {
        source.at(0, A);
        FakeAttempts attempts = new FakeAttempts(clock, 4 * S, (s, n) -> false);
        fetcher(attempts, 3, null).fetch();
        assertEquals(List.of("A@0.0", "A@14.0", "A@28.0"), attempts.schedule());
    }

    @Test
    void aServerFoundWhileWaitingIsTriedAtOnceAndFoundDuringAnAttemptRightAfterIt() throws Exception {
        source.at(0, A).at(4, B).at(10.5, C);
        FakeAttempts attempts = new FakeAttempts(clock, S, (s, n) -> false);
        fetcher(attempts, 5, null).fetch();
        // A fails at 1; B found at 4 (tried at once), fails at 5; A due at 11, but C was found at 10.5
        assertEquals(List.of("A@0.0", "B@4.0", "C@10.5", "A@11.5", "B@15.0"), attempts.schedule());
    }

    @Test
    void duplicatesAreIgnored() throws Exception {
        source.at(0, A).at(1, A).at(2, new ServerAddress("fe80::1", "eth0", 10999)).at(11, A);
        FakeAttempts attempts = failing(clock);
        ZeroconfFetcher.Result r = fetcher(attempts, 3, null).fetch();
        assertEquals(List.of("A@0.0", "A@10.0", "A@20.0"), attempts.schedule());
        assertEquals(1, r.servers());
    }

    @Test
    void theFirstSuccessStopsEverything() throws Exception {
        source.at(0, A).at(2, B).at(50, C);
        FakeAttempts attempts = new FakeAttempts(clock, 0, (s, n) -> s.equals(B) && n == 1);
        ZeroconfFetcher.Result r = fetcher(attempts, 0, null).fetch();
        assertTrue(r.succeeded());
        assertEquals(List.of("A@0.0", "B@2.0", "A@10.0", "B@12.0"), attempts.schedule());
        assertEquals(4, r.attempts());
        assertEquals(2, r.servers());
        assertEquals(1, source.events.size(), "C was never looked at");
        assertEquals(12 * S, clock.now);
    }

    @Test
    void withoutLimitsItKeepsTrying() throws Exception {
        source.at(0, A);
        FakeAttempts attempts = new FakeAttempts(clock, 0, (s, n) -> n == 999);
        ZeroconfFetcher.Result r = fetcher(attempts, 0, null).fetch();
        assertTrue(r.succeeded());
        assertEquals(1000, r.attempts());
        assertEquals(9990 * S, clock.now);
    }

    @Test
    void timeoutWithoutAnyServer() throws Exception {
        clock.now = 7 * S;
        source.at(40, A);
        FakeAttempts attempts = failing(clock);
        ZeroconfFetcher.Result r = fetcher(attempts, 5, Duration.ofSeconds(30)).fetch();
        assertFalse(r.succeeded());
        assertTrue(r.timedOut());
        assertEquals(0, r.servers());
        assertEquals(0, r.attempts());
        assertEquals(37 * S, clock.now);
        assertEquals(List.of(30 * S), source.waits);
    }

    @Test
    void timeoutEndsTheWaitForTheNextRetryAndIsPassedToTheAttempts() throws Exception {
        source.at(0, A);
        FakeAttempts attempts = failing(clock);
        ZeroconfFetcher.Result r = fetcher(attempts, 0, Duration.ofSeconds(15)).fetch();
        assertTrue(r.timedOut());
        assertEquals(2, r.attempts());
        assertEquals(1, r.servers());
        assertEquals(List.of("A@0.0", "A@10.0"), attempts.schedule());
        assertEquals(15 * S, clock.now);
        assertEquals(15 * S, attempts.made.get(0).deadline());
        assertEquals(List.of(10 * S, 5 * S), source.waits);
    }

    @Test
    void triesCountOverAllServers() throws Exception {
        source.at(0, A).at(0, B).at(0, C);
        FakeAttempts attempts = failing(clock);
        ZeroconfFetcher.Result r = fetcher(attempts, 2, null).fetch();
        assertEquals(List.of("A@0.0", "B@0.0"), attempts.schedule());
        assertEquals(3, r.servers());
        assertNull(r.password());
    }

    @Test
    void anUnusableKeyIsFatal() {
        source.at(0, A);
        ZeroconfFetcher.Attempter fatal = (s, d) -> {
            throw new IllegalArgumentException("unsupported key");
        };
        ZeroconfFetcher f = new ZeroconfFetcher(source, fatal, clock, RETRY, 0, null, log);
        assertThrows(IllegalArgumentException.class, f::fetch);
    }
}

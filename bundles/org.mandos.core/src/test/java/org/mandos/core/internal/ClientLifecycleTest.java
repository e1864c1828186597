package org.mandos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientStatus;
import org.mandos.api.Decision.Refusal;

/**
 * Behaviour §3.2 and §3.5, row by row, with a manual clock: timeouts, intervals, checker runs and
 * what bumps the expiry. Rows marked ⚠ in the reference are tested with this server's fixed behaviour.
 */
class ClientLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration INTERVAL = Duration.ofMinutes(2);
    private static final Duration EXTENDED = Duration.ofMinutes(15);
    private static final String KEY = "A".repeat(64);
    private static final InetSocketAddress PEER = new InetSocketAddress("::1", 4711);

    private final ManualScheduler scheduler = new ManualScheduler();
    /** Every first check comes a quarter of an interval after start-up. */
    private final ClientRegistryImpl registry = new ClientRegistryImpl(scheduler, () -> 0.25);
    private final FakeChecker checker = new FakeChecker();
    private final List<ClientEvent> events = new ArrayList<>();
    private final Instant start = scheduler.clock().instant();

    ClientLifecycleTest() {
        registry.addChecker(checker, Map.of(Checker.TYPE, "shell"));
        registry.addListener(events::add);
    }

    private void client(boolean enabled, Map<String, String> options) {
        ClientDefinition d = new ClientDefinition("c", KEY, "", "s".getBytes(StandardCharsets.UTF_8), "host",
                TIMEOUT, EXTENDED, INTERVAL, "true", Duration.ZERO, Duration.ofSeconds(1), true, enabled, options);
        registry.addStore(() -> List.of(d), Map.of());
    }

    private void client() {
        client(true, Map.of());
    }

    private ClientStatus status() {
        return registry.client("c").orElseThrow();
    }

    private Instant now() {
        return scheduler.clock().instant();
    }

    private void advance(Duration d) {
        scheduler.advance(d);
    }

    private List<ClientEvent.Type> eventTypes() {
        return events.stream().map(ClientEvent::type).toList();
    }

    @Test
    void atStartUpTheFirstCheckComesAfterARandomPartOfTheIntervalAndExpiryOneIntervalLater() {
        client();
        assertEquals(Optional.of(start.plus(Duration.ofSeconds(30)).plus(INTERVAL)), status().expires());
        advance(Duration.ofSeconds(29));
        assertEquals(0, checker.started());
        advance(Duration.ofSeconds(1));
        assertEquals(1, checker.started());
    }

    @Test
    void checksRepeatEveryIntervalButNeverOverlap() {
        client();
        advance(Duration.ofSeconds(30));
        assertEquals(1, checker.started());
        registry.checkedOk("c"); // keeps the client enabled while its check hangs
        advance(INTERVAL);
        assertEquals(1, checker.started(), "the first check is still running");
        assertTrue(status().checkerRunning());
        checker.fail(1);
        advance(INTERVAL);
        assertEquals(2, checker.started());
    }

    @Test
    void aSuccessfulCheckRecordsTheTimeAndExtendsTheExpiryToTimeoutFromNow() {
        client();
        advance(Duration.ofSeconds(30));
        advance(Duration.ofSeconds(10));
        checker.succeed();
        assertEquals(Optional.of(now()), status().lastCheckedOk());
        assertEquals(0, status().lastCheckerStatus());
        assertEquals(Optional.of(now().plus(TIMEOUT)), status().expires());
        assertTrue(eventTypes().contains(ClientEvent.Type.CHECKER_COMPLETED));
    }

    @Test
    void aFailedCheckRecordsItsStatusAndLeavesTheExpiryAlone() {
        client();
        Optional<Instant> before = status().expires();
        advance(Duration.ofSeconds(30));
        checker.fail(3);
        assertEquals(3, status().lastCheckerStatus());
        assertEquals(before, status().expires());
        assertEquals(Optional.empty(), status().lastCheckedOk());
    }

    @Test
    void aCheckKilledByASignalIsRecordedAsMinusOne() {
        client();
        advance(Duration.ofSeconds(30));
        checker.last().complete(CheckResult.down(-1, "killed by signal 9"));
        assertEquals(-1, status().lastCheckerStatus());
    }

    @Test
    void aClientWithoutSuccessfulChecksIsDisabledWhenItExpiresAndItsRunningCheckIsKilled() {
        client();
        advance(Duration.ofSeconds(30));
        advance(INTERVAL.minusSeconds(1));
        assertTrue(status().enabled());
        advance(Duration.ofSeconds(1));
        assertFalse(status().enabled());
        assertTrue(checker.last().isCancelled(), "the hanging check was stopped");
        assertEquals(Optional.empty(), status().expires());
        ClientEvent disabled = events.stream().filter(e -> e.type() == ClientEvent.Type.DISABLED).findFirst().orElseThrow();
        assertTrue(disabled.detail().startsWith("timed out"), disabled.detail());
        assertEquals(Refusal.DISABLED, registry.decide(KEY, PEER).toCompletableFuture().join().refusal());
        int checks = checker.started();
        advance(INTERVAL.multipliedBy(5));
        assertEquals(checks, checker.started(), "a disabled client is not checked");
    }

    @Test
    void aCheckThatCannotRunCountsAsFailedAtEveryIntervalUnlikeTheReference() {
        client();
        advance(Duration.ofSeconds(30));
        checker.last().complete(CheckResult.error("Could not format string \"%(x)d\""));
        assertEquals(Client.NO_CHECK, status().lastCheckerStatus());
        registry.checkedOk("c"); // keeps the client enabled to see the next scheduled check
        advance(INTERVAL);
        assertEquals(2, checker.started(), "checking goes on");
    }

    @Test
    void aClientWhoseCheckerIsNotInstalledIsNeverAliveAndExpires() {
        client(true, Map.of(ClientRegistryImpl.CHECKER_TYPE_OPTION, "ssh"));
        advance(Duration.ofSeconds(30).plus(INTERVAL));
        assertFalse(status().enabled());
        assertEquals(0, checker.started());
    }

    @Test
    void aCheckerThatAppearsChecksItsWaitingClientsAtOnce() {
        client(true, Map.of(ClientRegistryImpl.CHECKER_TYPE_OPTION, "tcp"));
        advance(Duration.ofSeconds(30));
        FakeChecker tcp = new FakeChecker();
        registry.addChecker(tcp, Map.of(Checker.TYPE, "tcp"));
        assertEquals(1, tcp.started());
        tcp.succeed();
        assertEquals(Optional.of(now().plus(TIMEOUT)), status().expires());
    }

    @Test
    void aCheckerThatThrowsCountsAsFailed() {
        registry.removeChecker(checker);
        registry.addChecker((c, a) -> {
            throw new IllegalStateException("plugin bug");
        }, Map.of(Checker.TYPE, "shell"));
        client();
        advance(Duration.ofSeconds(30));
        assertFalse(status().checkerRunning());
        assertEquals(Client.NO_CHECK, status().lastCheckerStatus());
        advance(INTERVAL);
        assertFalse(status().enabled());
    }

    @Test
    void aCheckerPluginThatGoesAwayMidCheckCountsAsNotCheckedAndItsCheckIsCancelled() {
        client();
        advance(Duration.ofSeconds(30));
        var running = checker.last();
        assertTrue(status().checkerRunning());
        registry.removeChecker(checker);
        assertTrue(running.isCancelled(), "the departed plugin's check is cancelled");
        assertFalse(status().checkerRunning());
        assertEquals(Client.NO_CHECK, status().lastCheckerStatus());
        assertEquals(Optional.empty(), status().lastCheckedOk());
        running.complete(CheckResult.alive());
        assertEquals(Optional.empty(), status().lastCheckedOk(), "a late answer from the departed plugin is ignored");
        advance(INTERVAL);
        assertFalse(status().enabled(), "with no checker the client times out");
    }

    @Test
    void aCheckThatHangsNeverCountsAsAliveAndIsCancelledWhenTheClientTimesOut() {
        client();
        advance(Duration.ofSeconds(30));
        var hung = checker.last();
        advance(INTERVAL.multipliedBy(2));
        assertEquals(1, checker.started(), "no second check while one runs");
        assertFalse(status().enabled());
        assertTrue(hung.isCancelled(), "disabling the client stops the hung check");
        assertFalse(status().checkerRunning());
    }

    @Test
    void aMissingCheckerIsLoggedOncePerChangeNotAtEveryInterval() {
        java.io.PrintStream err = System.err;
        var captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            client(true, Map.of(ClientRegistryImpl.CHECKER_TYPE_OPTION, "icmp"));
            advance(Duration.ofSeconds(30));
            registry.startChecker("c");
            registry.startChecker("c");
            FakeChecker icmp = new FakeChecker();
            registry.addChecker(icmp, Map.of(Checker.TYPE, "icmp"));
            icmp.succeed();
            registry.removeChecker(icmp);
            registry.startChecker("c");
            registry.startChecker("c");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(2, log.split("no checker of type \"icmp\" is installed", -1).length - 1,
                "once before the plugin came, once after it went: " + log);
    }

    @Test
    void sendingTheSecretSetsTheExpiryToTheExtendedTimeoutAndTheNextCheckShortensIt() {
        client();
        var decision = registry.decide(KEY, PEER).toCompletableFuture().join();
        registry.delivered(decision, PEER);
        assertEquals(Optional.of(now().plus(EXTENDED)), status().expires());
        assertEquals(Optional.empty(), status().lastCheckedOk(), "a secret is not a check");
        advance(Duration.ofSeconds(30));
        checker.succeed();
        assertEquals(Optional.of(now().plus(TIMEOUT)), status().expires());
    }

    @Test
    void checkedOkActsAsASuccessfulCheck() {
        client();
        advance(Duration.ofSeconds(5));
        registry.checkedOk("c");
        assertEquals(Optional.of(now()), status().lastCheckedOk());
        assertEquals(0, status().lastCheckerStatus());
        assertEquals(Optional.of(now().plus(TIMEOUT)), status().expires());
    }

    @Test
    void enablingExpiresAfterTwoIntervalsAndChecksAfterOneFullInterval() {
        client(false, Map.of());
        assertEquals(Optional.empty(), status().expires());
        advance(Duration.ofMinutes(10));
        assertEquals(0, checker.started(), "a disabled client is not checked");
        registry.enable("c");
        assertEquals(Optional.of(now()), status().lastEnabled());
        assertEquals(Optional.of(now().plus(INTERVAL.multipliedBy(2))), status().expires());
        advance(INTERVAL.minusSeconds(1));
        assertEquals(0, checker.started());
        advance(Duration.ofSeconds(1));
        assertEquals(1, checker.started());
    }

    @Test
    void disablingCancelsTheScheduleStopsTheCheckAndIsLoggedWithAReason() {
        client();
        advance(Duration.ofSeconds(30));
        registry.disable("c");
        assertTrue(checker.last().isCancelled());
        assertEquals(Optional.empty(), status().expires());
        ClientEvent disabled = events.stream().filter(e -> e.type() == ClientEvent.Type.DISABLED).findFirst().orElseThrow();
        assertEquals("disabled by an operator", disabled.detail());
        advance(INTERVAL.multipliedBy(3));
        assertEquals(1, checker.started());
    }

    @Test
    void aLongerTimeoutMovesTheExpiryByTheDifference() {
        client();
        Instant before = status().expires().orElseThrow();
        registry.setTimeout("c", TIMEOUT.plusMinutes(3));
        assertEquals(Optional.of(before.plus(Duration.ofMinutes(3))), status().expires());
        assertEquals(TIMEOUT.plusMinutes(3), status().timeout());
        assertTrue(events.stream().anyMatch(e -> e.type() == ClientEvent.Type.PROPERTY_CHANGED
                && e.detail().equals("timeout=PT8M")), events.toString());
    }

    @Test
    void aShorterTimeoutWhoseExpiryHasPassedDisablesAtOnce() {
        client();
        advance(Duration.ofMinutes(2));
        registry.setTimeout("c", Duration.ofMinutes(1));
        assertFalse(status().enabled());
    }

    @Test
    void aTimeoutChangeOnADisabledClientIsOnlyStored() {
        client(false, Map.of());
        registry.setTimeout("c", Duration.ofMinutes(1));
        assertFalse(status().enabled());
        assertEquals(Optional.empty(), status().expires());
        assertEquals(Duration.ofMinutes(1), status().timeout());
    }

    @Test
    void anIntervalChangeRestartsTheScheduleWithACheckNowAndLeavesTheExpiry() {
        client();
        Optional<Instant> expires = status().expires();
        registry.setInterval("c", Duration.ofMinutes(1));
        assertEquals(1, checker.started(), "a check starts at once");
        assertEquals(expires, status().expires());
        checker.fail(1);
        advance(Duration.ofMinutes(1));
        assertEquals(2, checker.started());
    }

    @Test
    void startingACheckerWorksEvenForADisabledClientButBumpsNothing() {
        client(false, Map.of());
        registry.startChecker("c");
        assertEquals(1, checker.started());
        checker.succeed();
        assertEquals(Optional.of(now()), status().lastCheckedOk());
        assertEquals(Optional.empty(), status().expires());
        assertFalse(status().enabled());
    }

    @Test
    void stoppingACheckerKillsItAndReportsNoResult() {
        client();
        advance(Duration.ofSeconds(30));
        registry.stopChecker("c");
        assertTrue(checker.last().isCancelled());
        assertFalse(status().checkerRunning());
        assertFalse(eventTypes().contains(ClientEvent.Type.CHECKER_COMPLETED));
    }

    @Test
    void checkersSeeTheReferenceAttributeFormats() {
        client();
        advance(Duration.ofSeconds(30));
        Map<String, String> a = checker.attributes.get(0);
        assertEquals("host", a.get("host"));
        assertEquals("0:05:00", a.get("timeout"));
        assertEquals("0:02:00", a.get("interval"));
        assertEquals("True", a.get("enabled"));
        assertEquals("None", a.get("last_checked_ok"));
        assertEquals("2026-01-01 00:00:00", a.get("created"));
        assertEquals("2026-01-01 00:02:30", a.get("expires"));
        assertEquals("c", a.get("name"));
        assertEquals(KEY, a.get("key_id"));
    }

    @Test
    void removingAClientStopsItsCheckAndSchedule() {
        var store = (org.mandos.api.ClientStore) () -> List.of(new ClientDefinition("c", KEY, "", new byte[1], "",
                TIMEOUT, EXTENDED, INTERVAL, "true", Duration.ZERO, Duration.ofSeconds(1), true, true, Map.of()));
        registry.addStore(store, Map.of());
        advance(Duration.ofSeconds(30));
        registry.removeStore(store);
        assertTrue(checker.last().isCancelled());
        advance(INTERVAL.multipliedBy(3));
        assertEquals(1, checker.started());
    }
}

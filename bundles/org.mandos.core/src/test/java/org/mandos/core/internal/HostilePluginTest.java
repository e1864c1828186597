package org.mandos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientListener;
import org.mandos.api.ClientStatus;
import org.mandos.api.ClientStore;
import org.mandos.api.Decision;
import org.mandos.api.Decision.Refusal;
import org.mandos.api.ReloadOutcome;
import org.mandos.api.ReloadableClientStore;

/**
 * Issue 9 item 8 (and the core half of item 7): plugins that throw, block forever, never answer or go
 * away mid-call. In every case only that plugin's clients are affected, other clients keep being
 * served, the affected ones move towards no secret (never an accidental "alive"), and no secret
 * reaches a log line, an event or an exception message. Time is a {@link ManualScheduler}; a thread
 * of its own is given only to the plugin under test, so a blocked call shows as a stalled test
 * (bounded by {@code assertTimeoutPreemptively}) rather than a timing guess.
 */
class HostilePluginTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration INTERVAL = Duration.ofMinutes(2);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String GOOD_KEY = "A".repeat(64);
    private static final String BAD_KEY = "B".repeat(64);
    private static final String GOOD_SECRET = "good-secret-7f3a9c";
    private static final String BAD_SECRET = "hostile-secret-51d2e8";
    private static final InetSocketAddress PEER = new InetSocketAddress("::1", 4711);
    private static final String HOSTILE = "hostile";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeChecker goodChecker = new FakeChecker();
    private final List<ClientEvent> events = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<Thread> blocked = new CopyOnWriteArrayList<>();
    private PrintStream err;
    private ClientRegistryImpl registry;

    @BeforeEach
    void captureLog() {
        err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void noSecretAnywhere() throws InterruptedException {
        System.setErr(err);
        if (registry != null) {
            registry.deactivate();
        }
        for (Thread t : blocked) {
            t.interrupt();
            t.join(BOUND.toMillis());
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains(GOOD_SECRET) || text.contains(BAD_SECRET), "a secret was logged:\n" + text);
        for (ClientEvent e : events) {
            assertFalse(String.valueOf(e).contains(BAD_SECRET) || e.detail().contains(BAD_SECRET), e.toString());
        }
    }

    /** A registry whose plugins named in {@code ownThread} ("checker-hostile", "listener-X") get a thread. */
    private ClientRegistryImpl registry(int listenerQueue, String... ownThread) {
        PluginThreads dedicated = PluginThreads.dedicated();
        List<String> names = List.of(ownThread);
        PluginThreads threads = new PluginThreads() {
            @Override
            public Executor open(String name) {
                return names.contains(name) ? dedicated.open(name) : PluginThreads.DIRECT.open(name);
            }
        };
        registry = new ClientRegistryImpl(scheduler, () -> 0.25, null, false, threads, listenerQueue);
        registry.addChecker(goodChecker, Map.of(Checker.TYPE, "shell"));
        return registry;
    }

    private ClientRegistryImpl registry() {
        return registry(ListenerDispatcher.DEFAULT_CAPACITY);
    }

    private static ClientDefinition definition(String name, String key, String secret, String checkerType) {
        return new ClientDefinition(name, key, "", secret.getBytes(StandardCharsets.UTF_8), "host", TIMEOUT,
                Duration.ofMinutes(15), INTERVAL, "true", Duration.ZERO, Duration.ofSeconds(1), true, true,
                Map.of(ClientRegistryImpl.CHECKER_TYPE_OPTION, checkerType));
    }

    private static ClientDefinition good() {
        return definition("good", GOOD_KEY, GOOD_SECRET, "shell");
    }

    private static ClientDefinition bad() {
        return definition("bad", BAD_KEY, BAD_SECRET, HOSTILE);
    }

    /** Both clients in one store, with {@link #events} listening. */
    private void bothClients() {
        registry.addListener(events::add);
        registry.addStore(() -> List.of(good(), bad()), Map.of(ClientStore.NAME, "conf"));
    }

    /** The decision a connection gets right now (none of these clients needs an approval). */
    private Decision decide(String key) {
        Decision d = registry.decide(key, PEER).toCompletableFuture().getNow(null);
        assertNotNull(d, "a decision without an approval delay is immediate");
        return d;
    }

    private ClientStatus status(String name) {
        return registry.client(name).orElseThrow();
    }

    /** The good client's check succeeds whenever it runs; it must stay served throughout. */
    private void advanceKeepingGoodAlive(Duration total) {
        Duration step = Duration.ofSeconds(15);
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
            scheduler.advance(step);
            if (goodChecker.started() > 0 && !goodChecker.last().isDone()) {
                goodChecker.succeed();
            }
        }
    }

    private void assertGoodServed() {
        Decision d = decide(GOOD_KEY);
        assertTrue(d.granted(), "the good client is still served");
        assertEquals(GOOD_SECRET, new String(d.secret(), StandardCharsets.UTF_8));
    }

    private void assertBadNeverAliveAndRefused() {
        ClientStatus s = status("bad");
        assertEquals(Optional.empty(), s.lastCheckedOk(), "the hostile checker's client was never checked OK");
        assertFalse(s.enabled(), "the hostile checker's client expired");
        Decision d = decide(BAD_KEY);
        assertFalse(d.granted());
        assertEquals(Refusal.DISABLED, d.refusal());
        for (ClientEvent e : events) {
            if (e.clientName().equals("bad") && e.type() == ClientEvent.Type.CHECKER_COMPLETED) {
                assertFalse(e.detail().startsWith("ALIVE"), e.detail());
            }
        }
    }

    // ---- checkers -----------------------------------------------------------------------------

    @Test
    void aCheckerThatThrowsAffectsOnlyItsClientsAndNeverSeesTheSecret() {
        registry();
        List<ClientDefinition> seen = new CopyOnWriteArrayList<>();
        registry.addChecker((client, attributes) -> {
            seen.add(client);
            // A plugin bug that would put whatever it was given into its message.
            throw new IllegalStateException("checker bug, secret=[" + new String(client.secret(),
                    StandardCharsets.UTF_8) + "] " + client);
        }, Map.of(Checker.TYPE, HOSTILE));
        bothClients();
        advanceKeepingGoodAlive(Duration.ofMinutes(2).plusSeconds(30));
        assertFalse(seen.isEmpty(), "the hostile checker was called");
        for (ClientDefinition d : seen) {
            assertEquals(0, d.secret().length, "a checker never gets the secret");
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("checker bug, secret=[]"));
        assertBadNeverAliveAndRefused();
        assertGoodServed();
    }

    @Test
    void aCheckThatNeverCompletesIsCancelledExactlyWhenItsClientExpiresAndNeverCountsAsAlive() {
        registry();
        List<CompletableFuture<CheckResult>> hung = new CopyOnWriteArrayList<>();
        registry.addChecker((client, attributes) -> {
            CompletableFuture<CheckResult> never = new CompletableFuture<>();
            hung.add(never);
            return never;
        }, Map.of(Checker.TYPE, HOSTILE));
        bothClients();
        // First check at 0:30, expiry one interval later, at 2:30.
        advanceKeepingGoodAlive(Duration.ofMinutes(2).plusSeconds(15));
        scheduler.advance(Duration.ofSeconds(14).plusMillis(999));
        assertEquals(1, hung.size(), "never two checks at once");
        assertFalse(hung.get(0).isDone(), "still running one millisecond before the expiry");
        assertTrue(status("bad").enabled());
        assertTrue(status("bad").checkerRunning());
        scheduler.advance(Duration.ofMillis(1));
        assertTrue(hung.get(0).isCancelled(), "the hung check is cancelled (its process killed) at the expiry");
        assertFalse(status("bad").checkerRunning());
        assertBadNeverAliveAndRefused();
        // A late answer from the cancelled check changes nothing.
        hung.get(0).complete(CheckResult.alive());
        assertBadNeverAliveAndRefused();
        goodChecker.succeed();
        assertGoodServed();
    }

    @Test
    void aCheckerWhoseCheckCallBlocksForeverStallsNeitherTheSchedulerNorOtherClients() throws Exception {
        registry(ListenerDispatcher.DEFAULT_CAPACITY, "checker-" + HOSTILE);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Checker hostile = (client, attributes) -> {
            blocked.add(Thread.currentThread());
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return CompletableFuture.completedFuture(CheckResult.alive());
        };
        registry.addChecker(hostile, Map.of(Checker.TYPE, HOSTILE));
        bothClients();
        assertTimeoutPreemptively(BOUND, () -> {
            scheduler.advance(Duration.ofSeconds(30));
            assertTrue(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the hostile check() was called");
            goodChecker.succeed();
            // With check() on the scheduler thread, this would never return, and no client would expire.
            advanceKeepingGoodAlive(Duration.ofMinutes(2));
        });
        assertBadNeverAliveAndRefused();
        assertGoodServed();
        // Uninstalling the plugin interrupts the call that still blocks; its late "alive" is ignored.
        registry.removeChecker(hostile);
        assertTrue(interrupted.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertBadNeverAliveAndRefused();
        assertGoodServed();
    }

    @Test
    void aCheckerUninstalledMidCheckAffectsOnlyItsClients() {
        registry();
        FakeChecker hostile = new FakeChecker();
        registry.addChecker(hostile, Map.of(Checker.TYPE, HOSTILE));
        bothClients();
        advanceKeepingGoodAlive(Duration.ofSeconds(30));
        CompletableFuture<CheckResult> running = hostile.last();
        registry.removeChecker(hostile);
        assertTrue(running.isCancelled(), "the departed plugin is told to stop its check");
        assertFalse(status("bad").checkerRunning());
        running.complete(CheckResult.alive());
        advanceKeepingGoodAlive(Duration.ofMinutes(2));
        assertEquals(1, hostile.started(), "an uninstalled checker is never called again");
        assertBadNeverAliveAndRefused();
        assertGoodServed();
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("its checker plugin went away during the check"));
    }

    // ---- stores -------------------------------------------------------------------------------

    /** A store that answers as {@link #behaviour} says, and says how often it was asked. */
    private static final class HostileStore implements ReloadableClientStore {
        volatile String behaviour = "ok";
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public List<ClientDefinition> clients() {
            calls.incrementAndGet();
            return switch (behaviour) {
                case "ok" -> List.of(bad());
                case "null" -> null;
                case "null-element" -> java.util.Arrays.asList(bad(), null);
                case "error" -> throw new LinkageError("store bundle is broken");
                default -> throw new IllegalStateException("store cannot read its source");
            };
        }

        @Override
        public boolean reload() {
            if (!behaviour.equals("ok")) {
                throw new IllegalStateException("store cannot reload its source");
            }
            return false;
        }
    }

    @Test
    void aStoreThatThrowsOrReturnsNothingKeepsItsPreviousClientsUnderTheSameRulesAndOthersAreServed() {
        registry();
        registry.addChecker(new FakeChecker(), Map.of(Checker.TYPE, HOSTILE));
        registry.addListener(events::add);
        registry.addStore(() -> List.of(good()), Map.of(ClientStore.NAME, "conf"));
        HostileStore store = new HostileStore();
        registry.addStore(store, Map.of(ClientStore.NAME, HOSTILE));
        assertTrue(registry.client("bad").isPresent());
        for (String behaviour : List.of("throw", "null", "null-element", "error")) {
            store.behaviour = behaviour;
            int before = store.calls.get();
            registry.updatedStore(store, Map.of(ClientStore.NAME, HOSTILE, ClientStore.GENERATION, before));
            assertEquals(before + 1, store.calls.get());
            assertTrue(registry.client("bad").isPresent(), behaviour + ": the previous definitions stay in force");
            assertGoodServed();
        }
        List<ReloadOutcome> outcomes = registry.reload();
        assertEquals(1, outcomes.size());
        assertFalse(outcomes.get(0).ok());
        assertEquals("store cannot reload its source", outcomes.get(0).error());
        // The kept client is under the same rules: with no successful check it expires, and is refused.
        advanceKeepingGoodAlive(Duration.ofMinutes(2).plusSeconds(30));
        assertBadNeverAliveAndRefused();
        assertGoodServed();
    }

    @Test
    void aStoreThatFailsItsFirstLoadDefinesNobodyAndOthersAreServed() {
        registry();
        registry.addStore(() -> List.of(good()), Map.of(ClientStore.NAME, "conf"));
        HostileStore store = new HostileStore();
        store.behaviour = "throw";
        registry.addStore(store, Map.of(ClientStore.NAME, HOSTILE));
        store.behaviour = "null";
        registry.updatedStore(store, Map.of(ClientStore.NAME, HOSTILE, ClientStore.GENERATION, 2));
        assertEquals(Optional.empty(), registry.client("bad"));
        Decision d = decide(BAD_KEY);
        assertFalse(d.granted());
        assertEquals(Refusal.NOT_FOUND, d.refusal());
        assertGoodServed();
    }

    @Test
    void aStoreUninstalledTakesItsClientsAndTheirRunningChecksWithItAndOthersAreServed() {
        registry();
        FakeChecker hostile = new FakeChecker();
        registry.addChecker(hostile, Map.of(Checker.TYPE, HOSTILE));
        registry.addListener(events::add);
        registry.addStore(() -> List.of(good()), Map.of(ClientStore.NAME, "conf"));
        HostileStore store = new HostileStore();
        registry.addStore(store, Map.of(ClientStore.NAME, HOSTILE));
        advanceKeepingGoodAlive(Duration.ofSeconds(30));
        assertTrue(decide(BAD_KEY).granted(), "served while its store is there");
        CompletableFuture<CheckResult> running = hostile.last();
        registry.removeStore(store);
        assertTrue(running.isCancelled(), "the removed client's check is stopped");
        Decision d = decide(BAD_KEY);
        assertFalse(d.granted());
        assertEquals(Refusal.NOT_FOUND, d.refusal());
        assertGoodServed();
        advanceKeepingGoodAlive(Duration.ofMinutes(10));
        assertEquals(1, hostile.started(), "no check for a client that is gone");
        assertGoodServed();
    }

    @Test
    void aStoreThatBlocksForeverDoesNotStopDecisionsForOtherClients() throws Exception {
        registry();
        registry.addStore(() -> List.of(good()), Map.of(ClientStore.NAME, "conf"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ClientStore blocking = () -> {
            entered.countDown();
            release.await();
            return List.of(bad());
        };
        Thread scr = new Thread(() -> registry.addStore(blocking, Map.of(ClientStore.NAME, HOSTILE)), "scr");
        scr.start();
        try {
            assertTrue(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertTimeoutPreemptively(BOUND, () -> {
                assertGoodServed();
                assertFalse(decide(BAD_KEY).granted());
                advanceKeepingGoodAlive(Duration.ofMinutes(10));
                assertGoodServed();
                assertEquals(1, registry.clients().size());
            });
        } finally {
            release.countDown();
            scr.join(BOUND.toMillis());
        }
        assertTrue(registry.client("bad").isPresent(), "its clients arrive when the store answers");
    }

    // ---- listeners ----------------------------------------------------------------------------

    @Test
    void aListenerThatThrowsAffectsNoOneElse() {
        registry();
        ClientListener throwing = e -> {
            throw new IllegalStateException("listener bug on " + e.type());
        };
        registry.addListener(throwing);
        bothClients();
        advanceKeepingGoodAlive(Duration.ofSeconds(30));
        assertGoodServed();
        registry.delivered(decide(GOOD_KEY), PEER);
        assertTrue(events.stream().anyMatch(e -> e.type() == ClientEvent.Type.SECRET_SENT),
                "the other listener still gets every event");
        assertTrue(registry.dispatcher(throwing).orElseThrow().failed() >= 3);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("listener bug on SECRET_SENT"));
    }

    @Test
    void aListenerThatBlocksForeverDelaysNeitherDecisionsNorSecretDeliveryNorOtherListeners() throws Exception {
        int capacity = 8;
        registry(capacity, "listener-Blocking");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger blockingCalls = new AtomicInteger();
        final class Blocking implements ClientListener {
            @Override
            public void clientEvent(ClientEvent event) {
                blockingCalls.incrementAndGet();
                blocked.add(Thread.currentThread());
                entered.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        }
        LinkedBlockingQueue<ClientEvent> received = new LinkedBlockingQueue<>();
        final class Collecting implements ClientListener {
            @Override
            public void clientEvent(ClientEvent event) {
                received.add(event);
            }
        }
        Blocking blocking = new Blocking();
        registry.addListener(blocking);
        registry.addListener(new Collecting());
        int rounds = 50;
        // Were listeners called on the publishing thread, addStore() (its ADDED event) would never return.
        assertTimeoutPreemptively(BOUND, () -> {
            registry.addStore(() -> List.of(good()), Map.of(ClientStore.NAME, "conf"));
            assertTrue(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the listener blocks in its first event");
            for (int i = 0; i < rounds; i++) {
                Decision d = decide(GOOD_KEY);
                assertTrue(d.granted());
                registry.delivered(d, PEER);
            }
        });
        assertEquals(1, count(log.toString(StandardCharsets.UTF_8), "is not keeping up"),
                "drops within one period are logged once");
        assertTimeoutPreemptively(BOUND, () -> {
            advanceKeepingGoodAlive(Duration.ofMinutes(10));
            assertGoodServed();
        });
        // The other listener got every secret-sent event, in order with the rest.
        List<ClientEvent> got = new ArrayList<>();
        while (got.stream().filter(e -> e.type() == ClientEvent.Type.SECRET_SENT).count() < rounds) {
            ClientEvent e = received.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(e, "the other listener stalled after " + got.size() + " events");
            got.add(e);
        }
        assertEquals(ClientEvent.Type.ADDED, got.get(0).type());
        ListenerDispatcher stuck = registry.dispatcher(blocking).orElseThrow();
        assertEquals(capacity, stuck.pending(), "the blocked listener's queue is bounded");
        assertTrue(stuck.dropped() >= rounds, "events beyond the bound are dropped, not buffered");
        assertEquals(1, blockingCalls.get());
        // Uninstalling it interrupts its thread and discards its queue.
        registry.removeListener(blocking);
        assertTrue(interrupted.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, stuck.pending());
        assertEquals(Optional.empty(), registry.dispatcher(blocking));
        assertGoodServed();
    }

    @Test
    void stoppingTheServerLetsListenersTakeTheEventsAlreadyQueued() throws Exception {
        registry(ListenerDispatcher.DEFAULT_CAPACITY, "listener-Slow");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<ClientEvent.Type> got = new CopyOnWriteArrayList<>();
        final class Slow implements ClientListener {
            @Override
            public void clientEvent(ClientEvent event) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(event.type());
            }
        }
        registry.addListener(new Slow());
        registry.addStore(() -> List.of(good()), Map.of(ClientStore.NAME, "conf"));
        assertTrue(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            registry.delivered(decide(GOOD_KEY), PEER);
        }
        release.countDown();
        registry.deactivate();
        registry = null;
        assertEquals(List.of(ClientEvent.Type.ADDED, ClientEvent.Type.SECRET_SENT, ClientEvent.Type.SECRET_SENT,
                ClientEvent.Type.SECRET_SENT), got, "queued events (audit lines) are not lost at a clean stop");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theFirstLoadOfALargeStoreFitsInEveryListenersQueue() {
        // One ADDED event per client arrives in a burst before a listener thread has run at all: the queue
        // follows the number of clients (four events each), so a site with 10,000 clients loses none.
        ManualExecutor executor = new ManualExecutor();
        PluginThreads threads = name -> name.startsWith("listener-") ? executor : PluginThreads.DIRECT.open(name);
        registry = new ClientRegistryImpl(scheduler, () -> 0.25, null, false, threads, 16);
        List<ClientEvent> seen = new ArrayList<>();
        registry.addListener(seen::add);
        List<ClientDefinition> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(definition(String.format("c%05d", i), String.format("%064X", i), "s" + i, "shell"));
        }
        registry.addChecker(goodChecker, Map.of(Checker.TYPE, "shell"));
        registry.addStore(() -> many, Map.of(ClientStore.NAME, "large"));
        executor.runAll();
        assertEquals(10_000, seen.stream().filter(e -> e.type() == ClientEvent.Type.ADDED).count());
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("is not keeping up"));
        for (int i = 0; i < 100; i++) {
            registry.disable(String.format("c%05d", i));
        }
        executor.runAll();
        assertEquals(100, seen.stream().filter(e -> e.type() == ClientEvent.Type.DISABLED).count());
    }

    /** An executor that runs nothing until the test says so. */
    private static final class ManualExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    if (tasks.isEmpty()) {
                        return;
                    }
                    next = tasks.remove(0);
                }
                next.run();
            }
        }
    }

    private ClientEvent event(int i) {
        return new ClientEvent(ClientEvent.Type.CHECKER_STARTED, scheduler.clock().instant(), "c" + i, GOOD_KEY, "",
                "");
    }

    @Test
    void aListenerGetsOnlyTheTypesItAsksForAndItsThreadNeverWakesForTheOthers() {
        ManualExecutor executor = new ManualExecutor();
        List<ClientEvent.Type> delivered = new ArrayList<>();
        ListenerDispatcher d = new ListenerDispatcher(new ClientListener() {
            @Override
            public void clientEvent(ClientEvent e) {
                delivered.add(e.type());
            }

            @Override
            public java.util.Set<ClientEvent.Type> eventTypes() {
                return java.util.EnumSet.of(ClientEvent.Type.SECRET_SENT);
            }
        }, 100, executor, () -> scheduler.clock().instant());
        for (int i = 0; i < 50; i++) {
            d.offer(event(i)); // CHECKER_STARTED: not wanted
        }
        assertEquals(0, executor.tasks.size(), "no drain task for unwanted events");
        assertEquals(0, d.pending());
        d.offer(new ClientEvent(ClientEvent.Type.SECRET_SENT, scheduler.clock().instant(), "c", GOOD_KEY, "", ""));
        executor.runAll();
        assertEquals(List.of(ClientEvent.Type.SECRET_SENT), delivered);
    }

    @Test
    void aListenerThatCannotNameItsTypesGetsEveryEvent() {
        ManualExecutor executor = new ManualExecutor();
        List<ClientEvent.Type> delivered = new ArrayList<>();
        ClientListener broken = new ClientListener() {
            @Override
            public void clientEvent(ClientEvent e) {
                delivered.add(e.type());
            }

            @Override
            public java.util.Set<ClientEvent.Type> eventTypes() {
                throw new IllegalStateException("plugin bug");
            }
        };
        ListenerDispatcher d = new ListenerDispatcher(broken, 100, executor, () -> scheduler.clock().instant());
        d.offer(event(1));
        executor.runAll();
        assertEquals(List.of(ClientEvent.Type.CHECKER_STARTED), delivered);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("could not name its event types"));
    }

    @Test
    void aListenerQueueKeepsOrderSurvivesFailuresDropsWhenFullAndRateLimitsTheDropLog() {
        ManualExecutor executor = new ManualExecutor();
        List<String> delivered = new ArrayList<>();
        AtomicReference<String> failOn = new AtomicReference<>("c2");
        ListenerDispatcher d = new ListenerDispatcher(e -> {
            delivered.add(e.clientName());
            if (e.clientName().equals(failOn.get())) {
                throw new IllegalStateException("listener bug");
            }
        }, 3, executor, () -> scheduler.clock().instant());
        for (int i = 1; i <= 5; i++) {
            d.offer(event(i));
        }
        assertEquals(1, executor.tasks.size(), "one drain task at a time");
        assertEquals(3, d.pending());
        assertEquals(2, d.dropped());
        scheduler.advance(Duration.ofSeconds(30));
        d.offer(event(6));
        scheduler.advance(ListenerDispatcher.DROP_LOG_PERIOD);
        d.offer(event(7));
        assertEquals(4, d.dropped());
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(2, count(text, "is not keeping up"), text);
        assertTrue(text.contains("dropped 1 event(s) (this one CHECKER_STARTED), 1 in all"), text);
        assertTrue(text.contains("dropped 3 event(s) (this one CHECKER_STARTED), 4 in all"), text);
        executor.runAll();
        assertEquals(List.of("c1", "c2", "c3"), delivered, "in order, past a failing delivery");
        assertEquals(1, d.failed());
        for (int i = 8; i <= 10; i++) {
            d.offer(event(i));
        }
        executor.runAll();
        assertEquals(List.of("c1", "c2", "c3", "c8", "c9", "c10"), delivered);
        d.close();
        d.offer(event(11));
        executor.runAll();
        assertEquals(6, delivered.size(), "nothing is delivered after close");
    }
}

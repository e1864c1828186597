package org.mandos.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientStore;
import org.mandos.api.Decision;
import org.mandos.api.Decision.Refusal;
import org.junit.jupiter.api.Test;

class ClientRegistryImplTest {

    private static final String KEY_A = "A".repeat(64);
    private static final String KEY_B = "B".repeat(64);
    private static final InetSocketAddress PEER = new InetSocketAddress("::1", 4711);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ClientRegistryImpl registry = new ClientRegistryImpl(scheduler, () -> 0.5);
    private final List<ClientEvent> events = new ArrayList<>();

    ClientRegistryImplTest() {
        registry.addListener(events::add);
    }

    private static ClientDefinition client(String name, String keyId, boolean enabled, Duration delay,
            boolean approvedByDefault) {
        return new ClientDefinition(name, keyId, "", ("secret of " + name).getBytes(StandardCharsets.UTF_8), "",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), "true", delay,
                Duration.ofSeconds(1), approvedByDefault, enabled, Map.of());
    }

    private static ClientDefinition client(String name, String keyId) {
        return client(name, keyId, true, Duration.ZERO, true);
    }

    private void store(ClientDefinition... clients) {
        registry.addStore(() -> List.of(clients), Map.of(ClientStore.NAME, "test"));
    }

    private Decision decide(String keyId) {
        return registry.decide(keyId, PEER).toCompletableFuture().getNow(null);
    }

    @Test
    void anEnabledClientWithoutApprovalDelayGetsItsSecret() {
        store(client("a", KEY_A));
        Decision d = decide(KEY_A);
        assertTrue(d.granted());
        assertArrayEquals("secret of a".getBytes(StandardCharsets.UTF_8), d.secret());
    }

    @Test
    void anUnknownKeyIsNotFoundAndReportedWithThePresentedKey() {
        store(client("a", KEY_A));
        Decision d = decide(KEY_B);
        assertEquals(Refusal.NOT_FOUND, d.refusal());
        ClientEvent e = events.get(events.size() - 1);
        assertEquals(ClientEvent.Type.CLIENT_NOT_FOUND, e.type());
        assertEquals(KEY_B, e.keyId());
        assertEquals("('::1', 4711)", e.peer());
    }

    @Test
    void aKeyIdDifferingOnlyInCaseOrSpacingIsAnotherKey() {
        // clients.conf normalises what is written (upper case, spaces removed); the registry then matches the
        // presented key_id exactly, so nothing a peer presents can be "close enough".
        String configured = "0123456789ABCDEF".repeat(4);
        store(client("a", configured));
        assertTrue(decide(configured).granted());
        for (String near : List.of(configured.toLowerCase(java.util.Locale.ROOT),
                "0123456789abcdef" + configured.substring(16), " " + configured, configured + " ",
                configured.substring(0, 32) + " " + configured.substring(32), configured.substring(1),
                configured + "0", configured.replace('A', '\u0410') /* Cyrillic A */, "", "*")) {
            Decision d = decide(near);
            assertEquals(Refusal.NOT_FOUND, d.refusal(), () -> "matched: '" + near + "'");
            assertFalse(d.granted(), "no secret for a near miss");
        }
        assertEquals(List.of(), events.stream().filter(e -> e.type() == ClientEvent.Type.CLIENT_NOT_FOUND)
                .map(ClientEvent::keyId).filter(k -> k.equals(configured)).toList(),
                "every refusal names the key presented, never the configured one it resembles");
    }

    @Test
    void theBlacklistedKeyIdNeverMatchesEvenWhenConfigured() {
        store(client("a", ClientRegistryImpl.BLACKLISTED_KEY_ID));
        assertEquals(Refusal.NOT_FOUND, decide(ClientRegistryImpl.BLACKLISTED_KEY_ID).refusal());
    }

    @Test
    void aDisabledClientIsRefused() {
        store(client("a", KEY_A, false, Duration.ZERO, true));
        assertEquals(Refusal.DISABLED, decide(KEY_A).refusal());
    }

    @Test
    void denyByDefaultWithZeroApprovalDelayDeniesUnlikeTheReference() {
        store(client("a", KEY_A, true, Duration.ZERO, false));
        assertEquals(Refusal.DENIED, decide(KEY_A).refusal());
    }

    @Test
    void theFirstOfTwoClientsWithTheSameKeyIdWins() {
        store(client("first", KEY_A), client("second", KEY_A));
        assertEquals("first", decide(KEY_A).clientName());
    }

    @Test
    void aWaitingConnectionGetsTheDefaultWhenTheApprovalDelayPasses() {
        store(client("yes", KEY_A, true, Duration.ofSeconds(10), true),
                client("no", KEY_B, true, Duration.ofSeconds(10), false));
        CompletableFuture<Decision> yes = registry.decide(KEY_A, PEER).toCompletableFuture();
        CompletableFuture<Decision> no = registry.decide(KEY_B, PEER).toCompletableFuture();
        assertTrue(registry.client("yes").orElseThrow().approvalPending());
        scheduler.advance(Duration.ofSeconds(9));
        assertFalse(yes.isDone());
        assertFalse(no.isDone());
        scheduler.advance(Duration.ofSeconds(1));
        assertTrue(yes.join().granted());
        assertEquals(Refusal.APPROVAL_TIMED_OUT, no.join().refusal());
        assertFalse(registry.client("yes").orElseThrow().approvalPending());
    }

    @Test
    void oneApprovalReleasesEveryWaitingConnection() {
        store(client("a", KEY_A, true, Duration.ofMinutes(1), false));
        var first = registry.decide(KEY_A, PEER).toCompletableFuture();
        var second = registry.decide(KEY_A, PEER).toCompletableFuture();
        registry.approve("a", true);
        assertTrue(first.join().granted());
        assertTrue(second.join().granted());
        assertFalse(registry.client("a").orElseThrow().approvalPending());
    }

    @Test
    void aDenialRefusesEveryWaitingConnection() {
        store(client("a", KEY_A, true, Duration.ofMinutes(1), true));
        var waiting = registry.decide(KEY_A, PEER).toCompletableFuture();
        registry.approve("a", false);
        assertEquals(Refusal.DENIED, waiting.join().refusal());
    }

    @Test
    void anApprovalGivenWhileNobodyWaitsDoesNotPreApproveALaterConnection() {
        store(client("a", KEY_A, true, Duration.ofMinutes(1), false));
        registry.approve("a", true);
        var later = registry.decide(KEY_A, PEER).toCompletableFuture();
        assertFalse(later.isDone());
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(Refusal.APPROVAL_TIMED_OUT, later.join().refusal());
    }

    @Test
    void anApprovalGivenAsTheTimeoutIsReportedFindsNoWaitingConnection() {
        // The REJECTED "Approval timed out" event is the moment an operator (or mandos-monitor) sees the wait
        // end: from then on the refused wait must not be pending, and an approval must not complete it.
        store(client("a", KEY_A, true, Duration.ofSeconds(10), false));
        var waiting = registry.decide(KEY_A, PEER).toCompletableFuture();
        List<Boolean> pendingAtEvent = new ArrayList<>();
        registry.addListener(e -> {
            if (e.type() == ClientEvent.Type.REJECTED && e.detail().equals("Approval timed out")) {
                pendingAtEvent.add(registry.client("a").orElseThrow().approvalPending());
                registry.approve("a", true);
            }
        });
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(List.of(false), pendingAtEvent);
        assertEquals(Refusal.APPROVAL_TIMED_OUT, waiting.join().refusal());
        var next = registry.decide(KEY_A, PEER).toCompletableFuture();
        assertFalse(next.isDone(), "the late approval was not kept for the next connection");
        registry.approve("a", true);
        assertTrue(next.join().granted());
    }

    @Test
    void disablingAClientRejectsItsWaitingConnectionsAtOnce() {
        store(client("a", KEY_A, true, Duration.ofMinutes(1), true));
        var waiting = registry.decide(KEY_A, PEER).toCompletableFuture();
        registry.disable("a");
        assertEquals(Refusal.DISABLED, waiting.join().refusal());
        scheduler.advance(Duration.ofMinutes(2));
        assertEquals(Refusal.DISABLED, waiting.join().refusal());
    }

    @Test
    void aConnectionThatGoesAwayStopsWaiting() {
        store(client("a", KEY_A, true, Duration.ofMinutes(1), true));
        var waiting = registry.decide(KEY_A, PEER).toCompletableFuture();
        waiting.cancel(true);
        assertFalse(registry.client("a").orElseThrow().approvalPending());
    }

    @Test
    void enableAndDisableAreReportedToListeners() {
        store(client("a", KEY_A));
        registry.disable("a");
        registry.enable("a");
        assertEquals(List.of(ClientEvent.Type.ADDED, ClientEvent.Type.DISABLED, ClientEvent.Type.ENABLED),
                events.stream().map(ClientEvent::type).toList());
        assertTrue(decide(KEY_A).granted());
    }

    @Test
    void unknownClientNamesAreReportedAsSuch() {
        store(client("a", KEY_A));
        assertFalse(registry.enable("nosuch"));
        assertFalse(registry.disable("nosuch"));
        assertFalse(registry.approve("nosuch", true));
    }

    @Test
    void aStoreThatFailsKeepsItsPreviousClients() {
        boolean[] fail = {false};
        ClientStore store = () -> {
            if (fail[0]) {
                throw new IllegalStateException("broken");
            }
            return List.of(client("a", KEY_A));
        };
        registry.addStore(store, Map.of());
        fail[0] = true;
        registry.updatedStore(store, Map.of());
        assertTrue(decide(KEY_A).granted());
    }

    @Test
    void aStoreThatGoesAwayTakesItsClientsAndTheirWaitersWithIt() {
        ClientStore store = () -> List.of(client("a", KEY_A, true, Duration.ofMinutes(1), true));
        registry.addStore(store, Map.of());
        var waiting = registry.decide(KEY_A, PEER).toCompletableFuture();
        registry.removeStore(store);
        assertEquals(Refusal.CANCELLED, waiting.join().refusal());
        assertEquals(Refusal.NOT_FOUND, decide(KEY_A).refusal());
    }

    @Test
    void theStoreUnboundWhileTheRegistryStopsIsNoRemovalOfItsClients() {
        ClientStore store = () -> List.of(client("a", KEY_A));
        registry.addStore(store, Map.of());
        registry.deactivate();
        long pending = scheduler.pendingTasks();
        // The component runtime unbinds the store after deactivate(), when the real scheduler is shut down
        // (it would refuse a state save) and nobody listens: nothing is removed, published or scheduled.
        registry.removeStore(store);
        assertEquals(pending, scheduler.pendingTasks());
        assertTrue(registry.client("a").isPresent());
    }

    @Test
    void anExplicitReloadAsksEveryReloadableStoreAndReportsEach() {
        List<ClientDefinition> defined = new java.util.ArrayList<>(List.of(client("a", KEY_A)));
        boolean[] broken = {false};
        org.mandos.api.ReloadableClientStore reloadable = new org.mandos.api.ReloadableClientStore() {
            @Override
            public List<ClientDefinition> clients() {
                return List.copyOf(defined);
            }

            @Override
            public boolean reload() throws Exception {
                if (broken[0]) {
                    throw new IllegalStateException("clients.conf line 3: no section header");
                }
                defined.add(client("b", KEY_B));
                registry.updatedStore(this, Map.of(ClientStore.NAME, "conf"));
                return true;
            }
        };
        registry.addStore(reloadable, Map.of(ClientStore.NAME, "conf"));
        registry.addStore(() -> List.of(), Map.of(ClientStore.NAME, "plain"));
        registry.disable("a");
        var outcomes = registry.reload();
        assertEquals(List.of(new org.mandos.api.ReloadOutcome("conf", true, "")), outcomes, "only reloadable stores");
        assertTrue(decide(KEY_B).granted(), "the reloaded client is served");
        assertEquals(Refusal.DISABLED, decide(KEY_A).refusal(), "an unchanged client keeps its state");
        broken[0] = true;
        var failed = registry.reload().get(0);
        assertFalse(failed.ok());
        assertEquals("clients.conf line 3: no section header", failed.error());
        assertTrue(decide(KEY_B).granted(), "a failed reload keeps the previous clients");
    }

    @Test
    void anUnchangedClientKeepsItsRuntimeStateWhenTheStoreReloads() {
        ClientStore store = () -> List.of(client("a", KEY_A));
        registry.addStore(store, Map.of());
        registry.disable("a");
        registry.updatedStore(store, Map.of());
        assertEquals(Refusal.DISABLED, decide(KEY_A).refusal());
    }

    @Test
    void aClientNameDefinedByTwoStoresBelongsToTheFirst() {
        registry.addStore(() -> List.of(client("a", KEY_A)), Map.of(ClientStore.NAME, "one"));
        registry.addStore(() -> List.of(client("a", KEY_B)), Map.of(ClientStore.NAME, "two"));
        assertEquals("one", registry.client("a").orElseThrow().store());
        assertEquals(Refusal.NOT_FOUND, decide(KEY_B).refusal());
    }

    @Test
    void aFailingListenerDoesNotStopOthersOrTheDecision() {
        registry.addListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        List<ClientEvent> later = new ArrayList<>();
        registry.addListener(later::add);
        store(client("a", KEY_A));
        assertTrue(decide(KEY_A).granted());
        assertEquals(1, later.size());
    }

    @Test
    void statusSnapshotsNeverContainTheSecret() {
        store(client("a", KEY_A));
        String text = registry.clients().toString() + client("a", KEY_A);
        assertFalse(text.contains("secret of a"), text);
    }

    @Test
    void runtimeSettingsChangeTheDetailsAndTheDecisionAndAreAnnouncedOnce() {
        store(client("a", KEY_A, true, Duration.ZERO, true));
        assertTrue(registry.setHost("a", "a.example"));
        assertTrue(registry.setChecker("a", "fping -q -- %%(host)s"));
        assertTrue(registry.setExtendedTimeout("a", Duration.ofMinutes(30)));
        assertTrue(registry.setApprovalDuration("a", Duration.ofSeconds(3)));
        assertTrue(registry.setApprovalDelay("a", Duration.ofSeconds(10)));
        int before = events.size();
        assertTrue(registry.setApprovedByDefault("a", false));
        assertTrue(registry.setApprovedByDefault("a", false));
        assertEquals(before + 1, events.size());
        ClientEvent e = events.get(events.size() - 1);
        assertEquals(ClientEvent.Type.PROPERTY_CHANGED, e.type());
        assertEquals("approved_by_default=false", e.detail());
        assertEquals("a.example", registry.client("a").orElseThrow().host());
        var details = registry.details("a").orElseThrow();
        assertEquals("fping -q -- %%(host)s", details.checker());
        assertEquals(Duration.ofMinutes(30), details.extendedTimeout());
        assertEquals(Duration.ofSeconds(10), details.approvalDelay());
        assertEquals(Duration.ofSeconds(3), details.approvalDuration());
        assertFalse(details.approvedByDefault());
        assertTrue(details.lastApprovalRequest().isEmpty());
        CompletableFuture<Decision> waiting = registry.decide(KEY_A, PEER).toCompletableFuture();
        assertTrue(registry.details("a").orElseThrow().lastApprovalRequest().isPresent());
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(Refusal.APPROVAL_TIMED_OUT, waiting.join().refusal());
        assertTrue(registry.setSecret("a", "new secret".getBytes(StandardCharsets.UTF_8)));
        assertEquals("secret=(not shown)", events.get(events.size() - 1).detail());
        registry.setApprovalDelay("a", Duration.ZERO);
        registry.setApprovedByDefault("a", true);
        registry.enable("a");
        assertArrayEquals("new secret".getBytes(StandardCharsets.UTF_8), decide(KEY_A).secret());
        assertFalse(registry.setHost("nobody", "x"));
        assertTrue(registry.details("nobody").isEmpty());
    }
}

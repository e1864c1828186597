package org.mandos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.Checker;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientStore;
import org.mandos.api.Decision;
import org.mandos.api.Decision.Refusal;

/** An operator's removal: immediate, fail closed for waiting connections, and kept until the definition changes. */
class RemoveClientTest {

    private static final String KEY = "D".repeat(64);
    private static final String OTHER_KEY = "E".repeat(64);
    private static final InetSocketAddress PEER = new InetSocketAddress("::1", 1);

    @TempDir
    Path statedir;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<ClientDefinition> defined = new ArrayList<>();
    private final ClientStore store = () -> List.copyOf(defined);

    private static ClientDefinition client(String name, String key, String secret, Duration approvalDelay,
            boolean approvedByDefault) {
        return new ClientDefinition(name, key, "", secret.getBytes(StandardCharsets.UTF_8), "h", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), "true", approvalDelay, Duration.ofSeconds(1),
                approvedByDefault, true, Map.of());
    }

    private ClientRegistryImpl start(List<ClientEvent> events) {
        ClientRegistryImpl r = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), true);
        r.addChecker(new FakeChecker(), Map.of(Checker.TYPE, "shell"));
        r.addListener(events::add);
        r.addStore(store, Map.of(ClientStore.NAME, "clients.conf"));
        return r;
    }

    @Test
    void aRemovedClientIsGoneAndItsWaitingConnectionsAreRefused() {
        defined.add(client("gated", KEY, "s1", Duration.ofSeconds(30), true));
        defined.add(client("other", OTHER_KEY, "s2", Duration.ZERO, true));
        List<ClientEvent> events = new ArrayList<>();
        ClientRegistryImpl r = start(events);
        CompletableFuture<Decision> waiting = r.decide(KEY, PEER).toCompletableFuture();
        assertFalse(waiting.isDone());

        assertTrue(r.remove("gated"));
        assertTrue(waiting.isDone());
        assertFalse(waiting.join().granted());
        assertTrue(r.client("gated").isEmpty());
        assertEquals(List.of("other"), r.clients().stream().map(c -> c.name()).toList());
        assertEquals(Refusal.NOT_FOUND, r.decide(KEY, PEER).toCompletableFuture().join().refusal());
        assertTrue(events.stream().anyMatch(e -> e.type() == ClientEvent.Type.REMOVED && e.clientName().equals("gated")
                && e.detail().equals("removed by an operator")));
        assertFalse(r.remove("gated"), "already removed");
        assertFalse(r.remove("nosuch"));
        assertTrue(r.decide(OTHER_KEY, PEER).toCompletableFuture().join().granted());
    }

    @Test
    void theRemovalOutlivesReloadsAndRestartsUntilTheDefinitionChanges() throws Exception {
        defined.add(client("c", KEY, "s1", Duration.ZERO, true));
        ClientRegistryImpl first = start(new ArrayList<>());
        assertTrue(first.remove("c"));
        first.updatedStore(store, Map.of()); // a reload with the same definition
        assertTrue(first.client("c").isEmpty());
        scheduler.advance(StateStore.DEBOUNCE);
        String saved = Files.readString(statedir.resolve("clients.json"));
        assertTrue(saved.contains("\"removed\""), saved);
        assertFalse(saved.contains("s1"), "no secret in the state file");
        first.deactivate();

        ClientRegistryImpl second = start(new ArrayList<>());
        assertTrue(second.client("c").isEmpty(), "still removed after a restart");
        assertEquals(Refusal.NOT_FOUND, second.decide(KEY, PEER).toCompletableFuture().join().refusal());

        // Another setting edited: still removed.
        defined.set(0, client("c", KEY, "s1", Duration.ofSeconds(5), true));
        second.updatedStore(store, Map.of());
        assertTrue(second.client("c").isEmpty(), "an edited approval delay does not bring it back");
        // A new secret in clients.conf (the machine was enrolled again): the client is back.
        defined.set(0, client("c", KEY, "s2", Duration.ZERO, true));
        second.updatedStore(store, Map.of());
        assertTrue(second.client("c").isPresent());
        second.deactivate();
        assertFalse(Files.readString(statedir.resolve("clients.json")).contains("\"removed\""));
        assertTrue(start(new ArrayList<>()).client("c").isPresent());
    }

    @Test
    void aRemovalEndsWhenTheStoreNoLongerDefinesTheClient() throws Exception {
        defined.add(client("c", KEY, "s1", Duration.ZERO, true));
        ClientRegistryImpl r = start(new ArrayList<>());
        r.remove("c");
        defined.clear();
        r.updatedStore(store, Map.of());
        defined.add(client("c", KEY, "s1", Duration.ZERO, true)); // the same section added back later
        r.updatedStore(store, Map.of());
        assertTrue(r.client("c").isPresent());
    }

    @Test
    void aRemovalIsKeptWhileItsStoreIsAway() {
        defined.add(client("c", KEY, "s1", Duration.ZERO, true));
        ClientRegistryImpl r = start(new ArrayList<>());
        r.remove("c");
        r.removeStore(store);
        r.addStore(store, Map.of(ClientStore.NAME, "clients.conf"));
        assertTrue(r.client("c").isEmpty());
    }
}

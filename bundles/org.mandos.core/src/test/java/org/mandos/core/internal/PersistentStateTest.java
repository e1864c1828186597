package org.mandos.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.Checker;
import org.mandos.api.ClientDefinition;
import org.mandos.api.Decision.Refusal;

/** The registry keeps its state in the state directory and restores it, failing closed on a bad file. */
class PersistentStateTest {

    private static final String KEY = "C".repeat(64);
    private static final InetSocketAddress PEER = new InetSocketAddress("::1", 1);

    @TempDir
    Path statedir;

    private final ManualScheduler scheduler = new ManualScheduler();

    private ClientRegistryImpl registry(boolean restore, FakeChecker checker) {
        ClientRegistryImpl r = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), restore);
        r.addChecker(checker, Map.of(Checker.TYPE, "shell"));
        ClientDefinition d = new ClientDefinition("c", KEY, "", "secret".getBytes(StandardCharsets.UTF_8), "h",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), "true", Duration.ZERO,
                Duration.ofSeconds(1), true, true, Map.of());
        r.addStore(() -> List.of(d), Map.of());
        return r;
    }

    private Refusal decide(ClientRegistryImpl r) {
        return r.decide(KEY, PEER).toCompletableFuture().join().refusal();
    }

    @Test
    void aClientDisabledBeforeARestartIsStillDisabledAfterIt() throws Exception {
        ClientRegistryImpl first = registry(true, new FakeChecker());
        first.disable("c");
        scheduler.advance(StateStore.DEBOUNCE);
        assertTrue(Files.exists(statedir.resolve("clients.json")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(statedir.resolve("clients.json"))));
        String text = Files.readString(statedir.resolve("clients.json"));
        assertFalse(text.contains("secret"), "no secret in the state file");

        ClientRegistryImpl second = registry(true, new FakeChecker());
        assertFalse(second.client("c").orElseThrow().enabled());
        assertEquals(Refusal.DISABLED, decide(second));
        assertTrue(Files.exists(statedir.resolve("clients.json")), "the state file is not deleted on load");
    }

    @Test
    void aStoreGoingAwayBeforeTheRegistryStopsDoesNotEraseTheSavedState() {
        ClientRegistryImpl first = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), true);
        ClientDefinition d = new ClientDefinition("c", KEY, "", "secret".getBytes(StandardCharsets.UTF_8), "h",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), "true", Duration.ZERO,
                Duration.ofSeconds(1), true, true, Map.of());
        org.mandos.api.ClientStore store = () -> List.of(d);
        first.addStore(store, Map.of());
        first.disable("c");
        first.removeStore(store); // what a clean shutdown does before the registry stops
        scheduler.advance(StateStore.DEBOUNCE);
        first.deactivate();
        assertFalse(registry(true, new FakeChecker()).client("c").orElseThrow().enabled());
    }

    @Test
    void aClientRemovedFromItsStoresConfigurationIsDroppedFromTheState() throws Exception {
        ClientRegistryImpl r = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), true);
        ClientDefinition d = new ClientDefinition("gone", KEY, "", "secret".getBytes(StandardCharsets.UTF_8), "h",
                Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), "true", Duration.ZERO,
                Duration.ofSeconds(1), true, true, Map.of());
        List<ClientDefinition> defined = new java.util.ArrayList<>(List.of(d));
        org.mandos.api.ClientStore store = () -> List.copyOf(defined);
        r.addStore(store, Map.of());
        scheduler.advance(StateStore.DEBOUNCE);
        assertTrue(Files.readString(statedir.resolve("clients.json")).contains("\"gone\""));
        defined.clear();
        r.updatedStore(store, Map.of());
        r.disable("nobody"); // no such client: nothing changes
        r.deactivate();
        assertFalse(Files.readString(statedir.resolve("clients.json")).contains("\"gone\""));
    }

    @Test
    void theStateIsAlsoWrittenWhenTheRegistryStops() {
        ClientRegistryImpl first = registry(true, new FakeChecker());
        first.disable("c");
        first.deactivate();
        assertFalse(registry(true, new FakeChecker()).client("c").orElseThrow().enabled());
    }

    @Test
    void withoutRestoreTheConfigurationAloneCountsAndTheFileStays() throws Exception {
        ClientRegistryImpl first = registry(true, new FakeChecker());
        first.disable("c");
        scheduler.advance(StateStore.DEBOUNCE);
        ClientRegistryImpl second = registry(false, new FakeChecker());
        assertTrue(second.client("c").orElseThrow().enabled());
        assertTrue(Files.exists(statedir.resolve("clients.json")));
    }

    @Test
    void anUnreadableStateFileIsMovedAsideAndNoSecretGoesOutUntilACheckSucceeds() throws Exception {
        Files.writeString(statedir.resolve("clients.json"), "{\"format\": \"mandos-java-st");
        Files.setPosixFilePermissions(statedir.resolve("clients.json"), PosixFilePermissions.fromString("rw-------"));
        FakeChecker checker = new FakeChecker();
        ClientRegistryImpl r = registry(true, checker);
        try (var files = Files.list(statedir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("clients.json.corrupt-")));
        }
        assertTrue(r.client("c").orElseThrow().enabled());
        assertEquals(Refusal.UNVERIFIED, decide(r));
        scheduler.advance(Duration.ofMinutes(1));
        checker.succeed();
        assertTrue(r.decide(KEY, PEER).toCompletableFuture().join().granted());
    }

    private static ClientDefinition definition(String host, Duration timeout) {
        return new ClientDefinition("c", KEY, "", "secret".getBytes(StandardCharsets.UTF_8), host, timeout,
                Duration.ofMinutes(15), Duration.ofMinutes(2), "true", Duration.ZERO, Duration.ofSeconds(1), true, true,
                Map.of());
    }

    @Test
    void settingsChangedAtRunTimeOutliveReloadsAndRestartsUntilTheStoreEditsThem() {
        List<ClientDefinition> defined = new java.util.ArrayList<>(List.of(definition("h", Duration.ofMinutes(5))));
        org.mandos.api.ClientStore store = () -> List.copyOf(defined);
        ClientRegistryImpl first = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), true);
        first.addStore(store, Map.of());
        assertTrue(first.setHost("c", "runtime.example"));
        assertTrue(first.setChecker("c", "/bin/false"));
        first.updatedStore(store, Map.of()); // a reload that changes nothing
        assertEquals("runtime.example", first.client("c").orElseThrow().host());
        defined.set(0, definition("h", Duration.ofMinutes(7))); // another setting edited in the store
        first.updatedStore(store, Map.of());
        assertEquals("runtime.example", first.client("c").orElseThrow().host());
        assertEquals(Duration.ofMinutes(7), first.client("c").orElseThrow().timeout());
        first.deactivate();

        ClientRegistryImpl second = new ClientRegistryImpl(scheduler, () -> 0.5, statedir.toString(), true);
        second.addStore(store, Map.of());
        assertEquals("runtime.example", second.client("c").orElseThrow().host(), "restored after a restart");
        assertEquals("/bin/false", second.details("c").orElseThrow().checker());
        defined.set(0, definition("edited.example", Duration.ofMinutes(7))); // the host edited in the store
        second.updatedStore(store, Map.of());
        assertEquals("edited.example", second.client("c").orElseThrow().host(), "a store edit wins");
        assertEquals("/bin/false", second.details("c").orElseThrow().checker());
    }

    @Test
    void aSuccessfulCheckIsWrittenWithinTheRoutineDelayAndADisableWithinHalfASecond() throws Exception {
        ClientRegistryImpl r = registry(true, new FakeChecker());
        scheduler.advance(StateStore.DEBOUNCE); // the client added
        Path file = statedir.resolve("clients.json");
        String before = Files.readString(file);
        r.checkedOk("c"); // what a successful checker does
        scheduler.advance(StateStore.DEBOUNCE);
        assertEquals(before, Files.readString(file), "a routine change waits");
        scheduler.advance(StateStore.ROUTINE_DEBOUNCE);
        assertFalse(Files.readString(file).contains("\"last_checked_ok\":null"), Files.readString(file));
        r.checkedOk("c");
        r.disable("c"); // an important change does not wait for the routine one
        scheduler.advance(StateStore.DEBOUNCE);
        assertTrue(Files.readString(file).contains("\"enabled\":false"), Files.readString(file));
    }
}

package org.mandos.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.mandos.api.ClientDefinition;
import org.mandos.state.ClientState;
import org.mandos.state.ConfiguredClient;
import org.mandos.state.RemovedClient;
import org.mandos.state.StateFile;
import org.mandos.state.StateMerge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's persistent state: read once at start-up (never deleted), merged into each client the
 * first time it is created, and written atomically a short while after every change (debounced), and
 * once more when the registry stops. See docs/state-file.md.
 */
final class StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    /** Changes within this long of each other go into one write. */
    static final Duration DEBOUNCE = Duration.ofMillis(500);
    /** Routine changes (a check, a delivery) within this long of each other go into one write. */
    static final Duration ROUTINE_DEBOUNCE = Duration.ofSeconds(30);

    private final Path statedir;
    private final boolean restore;
    private final Scheduler scheduler;
    private final StateFile.Loaded loaded;
    private final Set<String> merged = new HashSet<>();
    /** Clients whose store went away (a plugin stopped, or the server is stopping): kept, not dropped. */
    private final Map<String, Retained> retained = new LinkedHashMap<>();
    /** Clients an operator removed, by name: kept out while their store gives the same definition. */
    private final Map<String, RemovedClient> removed = new LinkedHashMap<>();
    private Supplier<List<Client>> clients = List::of;
    private final AtomicBoolean savePending = new AtomicBoolean();
    private final AtomicBoolean routinePending = new AtomicBoolean();
    /** Why the last save failed (one line), or null when it succeeded: failures are logged once per reason. */
    private String saveProblem;

    private StateStore(Path statedir, boolean restore, Scheduler scheduler, StateFile.Loaded loaded) {
        this.statedir = statedir;
        this.restore = restore;
        this.scheduler = scheduler;
        this.loaded = loaded;
        if (loaded instanceof StateFile.Valid valid) {
            valid.removed().forEach(r -> removed.put(r.name(), r));
        }
    }

    /** No persistence at all (tests, or no state directory configured). */
    static StateStore none(Scheduler scheduler) {
        return new StateStore(null, false, scheduler, new StateFile.Missing(Path.of("/nonexistent")));
    }

    static StateStore open(Path statedir, boolean restore, Scheduler scheduler) {
        StateFile.Loaded loaded;
        if (!restore) {
            LOG.info("Not restoring the saved state (--no-restore); starting from the configuration");
            loaded = new StateFile.Missing(statedir.resolve(StateFile.FILE_NAME));
        } else {
            try {
                loaded = StateFile.load(statedir, scheduler.clock());
            } catch (IOException e) {
                loaded = new StateFile.Corrupt(statedir.resolve(StateFile.FILE_NAME),
                        "cannot read it or move it aside: " + StateFile.describe(e));
            }
            if (loaded instanceof StateFile.Corrupt corrupt) {
                LOG.error("The saved state in {} cannot be used ({}); it was moved to {}. Until a check succeeds"
                        + " for them, the clients get no secret", statedir, corrupt.reason(), corrupt.movedTo());
            } else if (loaded instanceof StateFile.Missing) {
                LOG.warn("No saved state in {}; starting from the configuration", statedir);
            } else if (loaded instanceof StateFile.Valid valid) {
                LOG.info("Restoring the state of {} client(s) saved at {}", valid.clients().size(), valid.saved());
            }
        }
        StateStore store = new StateStore(statedir, restore, scheduler, loaded);
        store.prepare();
        return store;
    }

    /**
     * Once at start-up: removes what a killed save left behind and checks that the directory can be
     * written. A directory that cannot be written is reported once, as an error naming it; the server runs
     * on (its clients' state in memory is right), and the failure is not repeated for every save.
     */
    private void prepare() {
        try {
            int leftovers = StateFile.prepare(statedir);
            if (leftovers > 0) {
                LOG.info("Removed {} temporary file(s) of an interrupted save from {}", leftovers, statedir);
            }
        } catch (IOException | RuntimeException e) {
            String reason = StateFile.describe(e);
            saveProblem = reason;
            LOG.error("The state directory {} cannot be written ({}): the server runs, but until it can be written no"
                    + " change of the clients' state is saved, and a restart goes back to the last saved state",
                    statedir, reason);
        }
    }

    private record Retained(ClientState state, ConfiguredClient configured) {
    }

    /** Keeps the state of a client whose store went away, so it is saved and restored if it returns. */
    synchronized void retain(Client client) {
        retained.put(client.name(), new Retained(client.state(), configured(client.configured())));
    }

    /** Drops what is kept of a client that its store no longer defines. */
    synchronized void forget(String name) {
        retained.remove(name);
    }

    /** Records that an operator removed a client with this definition from this store, and saves it. */
    void remove(String name, String store, String definitionDigest) {
        synchronized (this) {
            removed.put(name, new RemovedClient(name, store, definitionDigest, scheduler.clock().instant()));
            retained.remove(name);
        }
        changed();
    }

    /**
     * Whether a client was removed by an operator and should stay out: true when the removal names this
     * store and this definition. A removal of another definition (edited since) from this store is
     * ended, with a log line, and false is returned.
     */
    boolean keptOut(ClientDefinition definition, String store) {
        String name = definition.name();
        synchronized (this) {
            RemovedClient r = removed.get(name);
            if (r == null || !r.store().equals(store)) {
                return false; // the common case: no digest computed
            }
            if (r.definition().equals(DefinitionDigest.of(definition))) {
                return true;
            }
            removed.remove(name);
        }
        LOG.warn("Client {} was removed by an operator, but store {} now gives it a new key or secret; it is back",
                name, store);
        changed();
        return false;
    }

    /** Ends the removals of clients that these live stores no longer define (by store, the names defined). */
    void forgetRemovedUndefined(Map<String, Set<String>> definedByStore) {
        List<String> ended = new java.util.ArrayList<>();
        synchronized (this) {
            removed.values().removeIf(r -> {
                Set<String> defined = definedByStore.get(r.store());
                boolean gone = defined != null && !defined.contains(r.name());
                if (gone) {
                    ended.add(r.name());
                }
                return gone;
            });
        }
        if (!ended.isEmpty()) {
            LOG.info("No longer kept out (their store no longer defines them): {}", String.join(", ", ended));
            changed();
        }
    }

    /** Where the registry's current clients come from, for saving. */
    void source(Supplier<List<Client>> current) {
        this.clients = current;
    }

    /**
     * The initial state of clients created now. A client is merged with the saved state only the first
     * time it appears; later it starts from its definition (it was removed and added again).
     */
    synchronized Map<String, StateMerge.InitialClient> initial(List<ClientDefinition> created, Instant now) {
        Map<String, StateMerge.InitialClient> back = new LinkedHashMap<>();
        for (ClientDefinition d : created) {
            Retained kept = retained.remove(d.name());
            if (kept != null) {
                back.put(d.name(), new StateMerge.InitialClient(kept.state(), false, StateMerge.Origin.RESTORED));
            }
        }
        List<ConfiguredClient> first = created.stream().filter(d -> !merged.contains(d.name()) && !back.containsKey(d.name()))
                .map(StateStore::configured).toList();
        Map<String, StateMerge.InitialClient> result = back;
        if (first.isEmpty()) {
            return result;
        }
        StateMerge.Result merge = StateMerge.merge(first, loaded, now, restore);
        if (!(loaded instanceof StateFile.Corrupt)) {
            merge.warnings().forEach(LOG::warn); // an unusable file was already reported, as an error
        }
        for (StateMerge.InitialClient c : merge.clients()) {
            merged.add(c.state().name());
            result.put(c.state().name(), c);
        }
        return result;
    }

    /** Schedules a write of the current state if {@code event} changed what is saved. */
    void changed(org.mandos.api.ClientEvent event) {
        switch (event.type()) {
            case CLIENT_NOT_FOUND, REJECTED, CHECKER_STARTED -> {
                // Nothing saved changes: these happen on every refused connection and every check.
            }
            case CHECKER_COMPLETED, SECRET_SENT, NEED_APPROVAL -> routineChange();
            default -> changed();
        }
    }

    /**
     * Schedules a write within {@link #ROUTINE_DEBOUNCE} for the changes that come with every check,
     * delivery or approval request (last_checked_ok, expires, last_approval_request): with thousands of
     * clients, writing the whole file half a second after each of them kept a core busy. Losing such a
     * change in a crash only makes the restored state older, which errs on the side of no secret (§4:
     * an expired client whose checks are not recorded is disabled).
     */
    void routineChange() {
        scheduleSave(routinePending, ROUTINE_DEBOUNCE);
    }

    /** Schedules a write of the current state (called on connection threads: no lock). */
    void changed() {
        scheduleSave(savePending, DEBOUNCE);
    }

    /** Schedules a write after {@code delay} unless one is already pending on {@code pending}. */
    private void scheduleSave(AtomicBoolean pending, Duration delay) {
        if (statedir != null && pending.compareAndSet(false, true)) {
            scheduler.schedule(delay, this::saveNow);
        }
    }

    /** Writes the current state now. */
    void saveNow() {
        savePending.set(false);
        routinePending.set(false);
        if (statedir == null) {
            return;
        }
        List<Client> current = clients.get();
        List<ClientState> states = new java.util.ArrayList<>(current.stream().map(Client::state).toList());
        List<ConfiguredClient> config = new java.util.ArrayList<>(current.stream().map(c -> configured(c.configured())).toList());
        List<RemovedClient> gone;
        synchronized (this) {
            gone = List.copyOf(removed.values());
            Set<String> present = new HashSet<>();
            current.forEach(c -> present.add(c.name()));
            retained.forEach((name, kept) -> {
                if (!present.contains(name)) {
                    states.add(kept.state());
                    config.add(kept.configured());
                }
            });
        }
        try {
            StateFile.save(statedir, states, config, gone, scheduler.clock());
            LOG.debug("Saved the state of {} client(s) in {}", states.size(), statedir);
            saved(null);
        } catch (IOException | RuntimeException e) {
            saved(StateFile.describe(e));
        }
    }

    /**
     * Logs a change of the saving condition: the first failure for a reason as an error (the same failure
     * again only at debug level, so that a full disk does not flood the log every few seconds), and the
     * first success after a failure.
     */
    private void saved(String problem) {
        String before;
        synchronized (this) {
            before = saveProblem;
            saveProblem = problem;
        }
        if (problem == null) {
            if (before != null) {
                LOG.info("Saved the client state in {} again", statedir);
            }
        } else if (problem.equals(before)) {
            LOG.debug("Could not save the client state in {} ({}), still", statedir, problem);
        } else {
            LOG.error("Could not save the client state in {} ({}); the previous saved state is kept, and this is"
                    + " logged again only when the reason changes", statedir, problem);
        }
    }

    static ConfiguredClient configured(ClientDefinition d) {
        return new ConfiguredClient(d.name(), d.keyId(), d.fingerprint(), d.host(), d.enabled(), d.timeout(),
                d.extendedTimeout(), d.interval(), d.approvalDelay(), d.approvalDuration(), d.approvedByDefault(),
                d.checker());
    }

    /** The state a client would start from without any saved state. */
    static ClientState fresh(ClientDefinition d, Instant now) {
        return StateMerge.fresh(configured(d), now);
    }
}

package org.mandos.core.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientListener;
import org.mandos.api.ClientRegistry;
import org.mandos.api.ClientStatus;
import org.mandos.api.ClientStore;
import org.mandos.api.Decision;
import org.mandos.api.ReloadOutcome;
import org.mandos.api.ReloadableClientStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client registry: merges the clients of every {@link ClientStore}, indexes them by key_id, decides
 * what each connection gets, and tells {@link ClientListener}s what happened.
 */
@Component(service = ClientRegistry.class, immediate = true)
public final class ClientRegistryImpl implements ClientRegistry, EventSink, Checks {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistryImpl.class);

    /** SHA-256 of empty input: every 1.8.0 client sent it, so it must never identify anyone. */
    static final String BLACKLISTED_KEY_ID = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    /** The client option that selects a checker plugin; without it the shell checker runs. */
    static final String CHECKER_TYPE_OPTION = "checker_type";
    static final String DEFAULT_CHECKER_TYPE = "shell";

    private final Scheduler scheduler;
    private final DoubleSupplier random;
    private final StateStore state;
    private final Map<String, List<Checker>> checkers = new HashMap<>();
    /** The checks each checker service is running, guarded by {@link #checkers}. */
    private final Map<Checker, Set<CompletableFuture<CheckResult>>> inFlight = new java.util.IdentityHashMap<>();
    /** Each checker service's own executor, where its {@code check} is called; guarded by {@link #checkers}. */
    private final Map<Checker, java.util.concurrent.Executor> checkerThreads = new java.util.IdentityHashMap<>();
    private final List<ListenerDispatcher> listeners = new CopyOnWriteArrayList<>();
    /** Where calls into checkers and listeners run: a thread of their own each, in production. */
    private final PluginThreads threads;
    private final int listenerQueue;
    private final Map<ClientStore, StoreEntry> stores = new LinkedHashMap<>();
    private volatile Directory directory = Directory.EMPTY;

    /** A registered store and the last definitions it gave. */
    private static final class StoreEntry {
        final String name;
        List<ClientDefinition> definitions = List.of();

        StoreEntry(String name) {
            this.name = name;
        }
    }

    /** Set when the registry stops: unbinding what it used is then no change to its clients. */
    private volatile boolean deactivated;

    /** How long stopping waits for listeners to take the events already queued for them. */
    static final Duration LISTENER_DRAIN = Duration.ofSeconds(1);

    /** Framework properties set by the launcher. */
    static final String STATEDIR_PROPERTY = "mandos.statedir";
    static final String RESTORE_PROPERTY = "mandos.restore";

    @Activate
    public ClientRegistryImpl(BundleContext context) {
        this(new ExecutorScheduler(Clock.systemUTC(), "mandos-registry"), () -> ThreadLocalRandom.current().nextDouble(),
                context.getProperty(STATEDIR_PROPERTY), !"false".equals(context.getProperty(RESTORE_PROPERTY)),
                PluginThreads.dedicated(), ListenerDispatcher.DEFAULT_CAPACITY);
    }

    /** For tests of the rules: checkers and listeners are called on the thread that starts or publishes. */
    ClientRegistryImpl(Scheduler scheduler, DoubleSupplier random) {
        this(scheduler, random, null, false);
    }

    /** As {@link #ClientRegistryImpl(Scheduler, DoubleSupplier)}, with a state directory. */
    ClientRegistryImpl(Scheduler scheduler, DoubleSupplier random, String statedir, boolean restore) {
        this(scheduler, random, statedir, restore, PluginThreads.DIRECT, ListenerDispatcher.DEFAULT_CAPACITY);
    }

    /**
     * @param random        where the random first-check delay comes from: a value in [0, 1)
     * @param statedir      where the state is kept, or null for none
     * @param restore       whether to restore the saved state
     * @param threads       where checkers' {@code check} and listeners' {@code clientEvent} are called
     * @param listenerQueue how many events may wait for one listener before new ones are dropped
     */
    ClientRegistryImpl(Scheduler scheduler, DoubleSupplier random, String statedir, boolean restore,
            PluginThreads threads, int listenerQueue) {
        this.scheduler = scheduler;
        this.random = random;
        this.threads = threads;
        this.listenerQueue = listenerQueue;
        this.state = statedir == null || statedir.isEmpty() ? StateStore.none(scheduler)
                : StateStore.open(java.nio.file.Path.of(statedir), restore, scheduler);
        this.state.source(() -> List.copyOf(directory.clients()));
    }

    @Deactivate
    void deactivate() {
        // From here on the component runtime unbinds the stores, checkers and listeners: that is the
        // registry stopping, not a store going away (no removals, no state saves on a closed scheduler).
        deactivated = true;
        state.saveNow();
        directory.clients().forEach(Client::close);
        scheduler.close();
        List<ListenerDispatcher> gone = List.copyOf(listeners);
        listeners.clear();
        // Let listeners (the audit log) have the events already queued, for a bounded time.
        long deadline = System.nanoTime() + LISTENER_DRAIN.toNanos();
        for (ListenerDispatcher d : gone) {
            if (d.executor() instanceof java.util.concurrent.ExecutorService service) {
                service.shutdown();
            }
        }
        for (ListenerDispatcher d : gone) {
            if (d.executor() instanceof java.util.concurrent.ExecutorService service) {
                try {
                    service.awaitTermination(Math.max(0, deadline - System.nanoTime()),
                            java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        gone.forEach(this::close);
        List<java.util.concurrent.Executor> checkerExecutors;
        synchronized (checkers) {
            checkerExecutors = List.copyOf(checkerThreads.values());
            checkerThreads.clear();
        }
        checkerExecutors.forEach(threads::close);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChecker(Checker checker, Map<String, Object> properties) {
        String type = String.valueOf(properties.getOrDefault(Checker.TYPE, DEFAULT_CHECKER_TYPE));
        synchronized (checkers) {
            checkers.computeIfAbsent(type, t -> new ArrayList<>()).add(checker);
            checkerThreads.computeIfAbsent(checker, c -> threads.open("checker-" + type));
        }
        LOG.info("Checker type {} is available", type);
        // Clients waiting for this checker need not wait for their next interval.
        for (Client client : directory.clients()) {
            if (type.equals(client.definition().options().getOrDefault(CHECKER_TYPE_OPTION, DEFAULT_CHECKER_TYPE))
                    && client.status().enabled()) {
                client.startCheck();
            }
        }
    }

    void removeChecker(Checker checker) {
        List<CompletableFuture<CheckResult>> orphaned;
        java.util.concurrent.Executor executor;
        synchronized (checkers) {
            executor = checkerThreads.remove(checker);
            checkers.forEach((type, list) -> {
                if (list.remove(checker) && list.isEmpty()) {
                    LOG.info("Checker type {} went away", type);
                }
            });
            checkers.values().removeIf(List::isEmpty);
            Set<CompletableFuture<CheckResult>> running = inFlight.remove(checker);
            orphaned = running == null ? List.of() : List.copyOf(running);
        }
        // A check the departed plugin was running can never report: it counts as not checked.
        orphaned.forEach(check -> check.complete(CheckResult.error("its checker plugin went away during the check")));
        if (executor != null) {
            // Interrupts a check() call that still blocks; its client's check was settled above.
            threads.close(executor);
        }
    }

    /**
     * Starts a check on the checker's own thread, so that a {@code check} call that blocks stalls only the
     * clients of that checker, never the scheduler (whose expiries must run on time). The checker gets the
     * definition without its secret: no checker needs it, so none can leak it.
     */
    @Override
    public CompletableFuture<CheckResult> start(ClientDefinition client, Map<String, String> attributes) {
        String type = client.options().getOrDefault(CHECKER_TYPE_OPTION, DEFAULT_CHECKER_TYPE);
        Checker checker;
        java.util.concurrent.Executor executor;
        // Tracked so that it can be settled (as not checked) if its plugin goes away mid-check.
        CompletableFuture<CheckResult> tracked = new CompletableFuture<>();
        synchronized (checkers) {
            List<Checker> candidates = checkers.get(type);
            checker = candidates == null || candidates.isEmpty() ? null : candidates.get(0);
            executor = checker == null ? null : checkerThreads.get(checker);
            if (checker != null) {
                inFlight.computeIfAbsent(checker, c -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(tracked);
            }
        }
        if (checker == null || executor == null) {
            return CompletableFuture.completedFuture(CheckResult.error("no checker of type \"" + type + "\" is installed"));
        }
        tracked.whenComplete((result, failure) -> {
            synchronized (checkers) {
                Set<CompletableFuture<CheckResult>> set = inFlight.get(checker);
                if (set != null) {
                    set.remove(tracked);
                }
            }
        });
        ClientDefinition withoutSecret = withoutSecret(client);
        try {
            executor.execute(() -> call(checker, type, withoutSecret, attributes, tracked));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            tracked.complete(CheckResult.error("its checker plugin went away during the check"));
        }
        return tracked;
    }

    /** Calls the checker (on its own thread) and ties its stage to {@code tracked}, both ways. */
    private static void call(Checker checker, String type, ClientDefinition client, Map<String, String> attributes,
            CompletableFuture<CheckResult> tracked) {
        if (tracked.isDone()) {
            return; // stopped, timed out or its plugin went away before the call
        }
        CompletionStage<CheckResult> stage;
        try {
            stage = checker.check(client, attributes);
        } catch (RuntimeException | LinkageError e) {
            tracked.complete(CheckResult.error("checker " + type + " failed: " + e));
            return;
        }
        if (stage == null) {
            tracked.complete(CheckResult.error("checker " + type + " returned no result"));
            return;
        }
        try {
            stage.whenComplete((result, failure) -> {
                if (result != null) {
                    tracked.complete(result);
                } else {
                    tracked.complete(CheckResult.error("checker " + type + " failed: "
                            + (failure == null ? "no result" : failure)));
                }
            });
        } catch (RuntimeException | LinkageError e) {
            tracked.complete(CheckResult.error("checker " + type + " failed: " + e));
            return;
        }
        tracked.whenComplete((result, failure) -> {
            // Stopped, timed out or settled: the checker must stop its work.
            CompletableFuture<CheckResult> running;
            try {
                running = stage.toCompletableFuture();
            } catch (RuntimeException | LinkageError e) {
                return; // a stage that cannot be cancelled; its late result is ignored
            }
            if (!running.isDone()) {
                try {
                    running.cancel(true);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Checker {} failed to cancel a check: {}", type, e.toString());
                }
            }
        });
    }

    /** {@code d} with an empty secret: what checkers see. */
    static ClientDefinition withoutSecret(ClientDefinition d) {
        return new ClientDefinition(d.name(), d.keyId(), d.fingerprint(), new byte[0], d.host(), d.timeout(),
                d.extendedTimeout(), d.interval(), d.checker(), d.approvalDelay(), d.approvalDuration(),
                d.approvedByDefault(), d.enabled(), d.options());
    }

    @Override
    public List<ReloadOutcome> reload() {
        List<Map.Entry<ClientStore, String>> reloadable = new ArrayList<>();
        synchronized (stores) {
            stores.forEach((store, entry) -> {
                if (store instanceof ReloadableClientStore) {
                    reloadable.add(Map.entry(store, entry.name));
                }
            });
        }
        List<ReloadOutcome> outcomes = new ArrayList<>();
        for (Map.Entry<ClientStore, String> e : reloadable) {
            // Not under the stores lock: a store announces its change through its service properties,
            // which calls back into updatedStore.
            try {
                boolean changed = ((ReloadableClientStore) e.getKey()).reload();
                LOG.info("Client store {} reloaded: {}", e.getValue(), changed ? "changed" : "unchanged");
                outcomes.add(new ReloadOutcome(e.getValue(), changed, ""));
            } catch (Exception | LinkageError failure) {
                String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
                LOG.error("Client store {} could not reload; its previous clients stay in force: {}", e.getValue(), why);
                outcomes.add(new ReloadOutcome(e.getValue(), false, why));
            }
        }
        return outcomes;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStore(ClientStore store, Map<String, Object> properties) {
        synchronized (stores) {
            stores.put(store, new StoreEntry(storeName(store, properties)));
            reload(store);
        }
    }

    void updatedStore(ClientStore store, Map<String, Object> properties) {
        synchronized (stores) {
            reload(store);
        }
    }

    void removeStore(ClientStore store) {
        synchronized (stores) {
            StoreEntry gone = stores.remove(store);
            if (gone != null && !deactivated) {
                LOG.info("Client store {} went away; its clients are removed (their saved state is kept)", gone.name);
                rebuild();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ClientListener listener) {
        listeners.add(new ListenerDispatcher(listener, () -> Math.max(listenerQueue, 4 * directory.byName().size()),
                threads.open("listener-" + listener.getClass().getSimpleName()), () -> scheduler.clock().instant()));
    }

    void removeListener(ClientListener listener) {
        for (ListenerDispatcher d : listeners) {
            if (d.listener() == listener && listeners.remove(d)) {
                close(d);
            }
        }
    }

    private void close(ListenerDispatcher dispatcher) {
        dispatcher.close();
        threads.close(dispatcher.executor());
    }

    /** The dispatcher of {@code listener}, for tests. */
    Optional<ListenerDispatcher> dispatcher(ClientListener listener) {
        return listeners.stream().filter(d -> d.listener() == listener).findFirst();
    }

    private static String storeName(ClientStore store, Map<String, Object> properties) {
        Object name = properties.get(ClientStore.NAME);
        return name != null ? name.toString() : store.getClass().getName();
    }

    /** Asks one store for its definitions again; on failure its previous definitions stay in force. */
    private void reload(ClientStore store) {
        StoreEntry entry = stores.get(store);
        if (entry == null) {
            return;
        }
        try {
            entry.definitions = List.copyOf(store.clients());
        } catch (Exception | LinkageError e) {
            LOG.error("Client store {} failed to supply clients; keeping its previous {} client(s): {}",
                    entry.name, entry.definitions.size(), e.toString());
            return;
        }
        rebuild();
        if (directory.byName().isEmpty()) {
            LOG.warn("No clients defined");
        }
    }

    /** Recomputes the directory from every store's definitions, keeping the state of unchanged clients. */
    private void rebuild() {
        rebuild("");
    }

    /** @param removedByOperator the client an operator just removed, or "" */
    private void rebuild(String removedByOperator) {
        Directory old = directory;
        LinkedHashMap<String, Client> byName = new LinkedHashMap<>();
        List<ClientEvent> events = new ArrayList<>();
        // Clients an operator removed stay out while their store gives the same definition.
        Map<StoreEntry, List<ClientDefinition>> visible = new LinkedHashMap<>();
        Map<String, Set<String>> definedByStore = new HashMap<>();
        for (StoreEntry entry : stores.values()) {
            Set<String> defined = definedByStore.computeIfAbsent(entry.name, n -> new HashSet<>());
            List<ClientDefinition> shown = new ArrayList<>();
            for (ClientDefinition d : entry.definitions) {
                defined.add(d.name());
                if (!state.keptOut(d, entry.name)) {
                    shown.add(d);
                }
            }
            visible.put(entry, shown);
        }
        state.forgetRemovedUndefined(definedByStore);
        Map<String, org.mandos.state.StateMerge.InitialClient> initial = state.initial(visible.entrySet().stream()
                .flatMap(e -> e.getValue().stream().filter(d -> {
                    Client existing = old.byName().get(d.name());
                    return existing == null || !existing.store().equals(e.getKey().name);
                })).toList(), scheduler.clock().instant());
        for (StoreEntry entry : stores.values()) {
            for (ClientDefinition definition : visible.get(entry)) {
                String name = definition.name();
                if (byName.containsKey(name)) {
                    LOG.warn("Client {} from store {} ignored: store {} already defines it", name, entry.name,
                            byName.get(name).store());
                    continue;
                }
                Client existing = old.byName().get(name);
                Client client;
                if (existing != null && existing.store().equals(entry.name)) {
                    if (!existing.configured().equals(definition)) {
                        existing.redefine(definition);
                    }
                    client = existing;
                } else {
                    Duration firstCheck = Duration.ofNanos((long) (definition.interval().toNanos() * random.getAsDouble()));
                    var start = initial.get(name);
                    client = new Client(definition,
                            start != null ? start.state() : StateStore.fresh(definition, scheduler.clock().instant()),
                            start != null && start.needsCheck(), entry.name, scheduler, this, this, firstCheck);
                    events.add(client.event(ClientEvent.Type.ADDED, "", entry.name));
                }
                byName.put(name, client);
            }
        }
        Directory next = Directory.of(byName, LOG);
        directory = next;
        Set<String> liveStores = new HashSet<>();
        stores.values().forEach(e -> liveStores.add(e.name));
        for (Client gone : old.clients()) {
            if (next.byName().get(gone.name()) != gone) {
                if (liveStores.contains(gone.store())) {
                    state.forget(gone.name());
                } else {
                    state.retain(gone);
                }
                gone.close();
                events.add(gone.event(ClientEvent.Type.REMOVED, "", gone.name().equals(removedByOperator)
                        ? "removed by an operator" : "no longer in client store " + gone.store()));
            }
        }
        events.forEach(this::publish);
    }

    @Override
    public List<ClientStatus> clients() {
        return directory.clients().stream().map(Client::status).toList();
    }

    @Override
    public Optional<ClientStatus> client(String name) {
        return Optional.ofNullable(directory.byName().get(name)).map(Client::status);
    }

    @Override
    public CompletionStage<Decision> decide(String keyId, InetSocketAddress peer) {
        Client client = BLACKLISTED_KEY_ID.equals(keyId) ? null : directory.byKeyId().get(keyId);
        if (client == null) {
            String address = Peers.describe(peer);
            LOG.info("Client not found for key ID: {}, address: {}", keyId, address);
            publish(new ClientEvent(ClientEvent.Type.CLIENT_NOT_FOUND, scheduler.clock().instant(), "", keyId,
                    address, ""));
            return CompletableFuture.completedFuture(Decision.refuse("", Decision.Refusal.NOT_FOUND));
        }
        return client.request(peer);
    }

    @Override
    public void delivered(Decision decision, InetSocketAddress peer) {
        Client client = directory.byName().get(decision.clientName());
        if (client != null && decision.granted()) {
            client.secretSent();
            publish(client.event(ClientEvent.Type.SECRET_SENT, Peers.describe(peer), ""));
        }
    }

    @Override
    public boolean enable(String name) {
        return withClient(name, c -> c.enable("enabled by an operator"));
    }

    @Override
    public boolean disable(String name) {
        return withClient(name, c -> c.disable("disabled by an operator"));
    }

    @Override
    public boolean checkedOk(String name) {
        return withClient(name, Client::checkedOk);
    }

    @Override
    public boolean setTimeout(String name, Duration timeout) {
        return withClient(name, c -> c.setTimeout(timeout));
    }

    @Override
    public boolean setInterval(String name, Duration interval) {
        return withClient(name, c -> c.setInterval(interval));
    }

    @Override
    public boolean startChecker(String name) {
        return withClient(name, Client::startCheck);
    }

    @Override
    public boolean stopChecker(String name) {
        return withClient(name, Client::stopCheck);
    }

    @Override
    public boolean approve(String name, boolean approve) {
        return withClient(name, c -> c.approve(approve));
    }

    @Override
    public boolean remove(String name) {
        synchronized (stores) {
            Client client = directory.byName().get(name);
            if (client == null) {
                return false;
            }
            // The reference disables the client quietly first; here the disable is logged and its waiting
            // connections are refused.
            client.disable("removed by an operator");
            state.remove(name, client.store(), DefinitionDigest.of(client.configured()));
            LOG.info("Client {} removed by an operator; it stays removed until store {} gives it a new key or"
                    + " secret, or no longer defines it", name, client.store());
            rebuild(name);
            return true;
        }
    }

    @Override
    public Optional<org.mandos.api.ClientDetails> details(String name) {
        return Optional.ofNullable(directory.byName().get(name)).map(Client::details);
    }

    @Override
    public boolean setHost(String name, String host) {
        java.util.Objects.requireNonNull(host, "host");
        return withClient(name, c -> c.changeSetting("host", host, d -> Client.copy(d, host, d.checker(),
                d.extendedTimeout(), d.approvalDelay(), d.approvalDuration(), d.approvedByDefault())));
    }

    @Override
    public boolean setChecker(String name, String checker) {
        java.util.Objects.requireNonNull(checker, "checker");
        return withClient(name, c -> c.changeSetting("checker", checker, d -> Client.copy(d, d.host(), checker,
                d.extendedTimeout(), d.approvalDelay(), d.approvalDuration(), d.approvedByDefault())));
    }

    @Override
    public boolean setExtendedTimeout(String name, Duration extendedTimeout) {
        java.util.Objects.requireNonNull(extendedTimeout, "extendedTimeout");
        return withClient(name, c -> c.changeSetting("extended_timeout", extendedTimeout, d -> Client.copy(d,
                d.host(), d.checker(), extendedTimeout, d.approvalDelay(), d.approvalDuration(),
                d.approvedByDefault())));
    }

    @Override
    public boolean setApprovalDelay(String name, Duration approvalDelay) {
        java.util.Objects.requireNonNull(approvalDelay, "approvalDelay");
        return withClient(name, c -> c.changeSetting("approval_delay", approvalDelay, d -> Client.copy(d, d.host(),
                d.checker(), d.extendedTimeout(), approvalDelay, d.approvalDuration(), d.approvedByDefault())));
    }

    @Override
    public boolean setApprovalDuration(String name, Duration approvalDuration) {
        java.util.Objects.requireNonNull(approvalDuration, "approvalDuration");
        return withClient(name, c -> c.changeSetting("approval_duration", approvalDuration, d -> Client.copy(d,
                d.host(), d.checker(), d.extendedTimeout(), d.approvalDelay(), approvalDuration,
                d.approvedByDefault())));
    }

    @Override
    public boolean setApprovedByDefault(String name, boolean approvedByDefault) {
        return withClient(name, c -> c.changeSetting("approved_by_default", approvedByDefault, d -> Client.copy(d,
                d.host(), d.checker(), d.extendedTimeout(), d.approvalDelay(), d.approvalDuration(),
                approvedByDefault)));
    }

    @Override
    public boolean setSecret(String name, byte[] secret) {
        byte[] copy = secret.clone();
        return withClient(name, c -> c.changeSetting("secret", "(not shown)", d -> new ClientDefinition(d.name(),
                d.keyId(), d.fingerprint(), copy, d.host(), d.timeout(), d.extendedTimeout(), d.interval(),
                d.checker(), d.approvalDelay(), d.approvalDuration(), d.approvedByDefault(), d.enabled(),
                d.options())));
    }

    private boolean withClient(String name, java.util.function.Consumer<Client> action) {
        Client client = directory.byName().get(name);
        if (client == null) {
            return false;
        }
        action.accept(client);
        return true;
    }

    @Override
    public void publish(ClientEvent event) {
        state.changed(event);
        // Never blocks: each listener has its own queue and thread.
        for (ListenerDispatcher listener : listeners) {
            listener.offer(event);
        }
    }
}

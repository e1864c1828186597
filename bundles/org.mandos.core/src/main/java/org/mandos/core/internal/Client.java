package org.mandos.core.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mandos.api.CheckResult;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientStatus;
import org.mandos.api.Decision;
import org.mandos.api.Decision.Refusal;
import org.mandos.state.ClientState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's runtime state: enabled or not, when it expires, its checker schedule, and its approval
 * gate. Every state change happens under this object's lock; events are published after the lock is
 * released. All timing goes through the registry's one {@link Scheduler}, so no thread is per client.
 *
 * <p>The rules are those of the reference server (behaviour §3.2 and §3.5), with its fail-open paths
 * closed: a disable is logged and rejects waiting connections, a stopped or timed-out check is killed,
 * and a check that cannot run counts as failed at every interval.
 */
final class Client {

    private static final Logger LOG = LoggerFactory.getLogger(Client.class);

    /** {@link ClientStatus#lastCheckerStatus()} before any check has completed. */
    static final int NO_CHECK = ClientState.STATUS_NONE;

    private final String store;
    private final Scheduler scheduler;
    private final EventSink events;
    private final Checks checks;
    private final Instant created;
    private final List<Waiter> waiters = new ArrayList<>();

    /** The definition in force: the store's, with the settings changed at run time (or restored). */
    private ClientDefinition definition;
    /** The definition as its store last gave it. */
    private ClientDefinition configured;
    private boolean enabled;
    private Instant lastEnabled;
    private Instant lastCheckedOk;
    private int lastCheckerStatus = NO_CHECK;
    private Instant lastApprovalRequest;
    private Duration timeout;
    private Duration interval;
    private Instant expires;
    private Scheduler.Cancellable expiryTimer;
    private Scheduler.Cancellable checkerTimer;
    private CompletableFuture<CheckResult> runningCheck;
    private Instant runningCheckStarted;
    /** Whether the running check was reported as still running at a tick. */
    private boolean overdueReported;
    /** The reason of the last check that could not run, or null: repeats are logged at DEBUG only. */
    private String lastProblem;
    /** Set when the saved state was unreadable: no secret until a check succeeds. */
    private boolean unverified;

    /** A connection waiting for an approval, and the timer that ends its wait. */
    private static final class Waiter {
        final CompletableFuture<Decision> future = new CompletableFuture<>();
        Scheduler.Cancellable timer;
    }

    /**
     * A client starting from {@code initial} (its saved state merged with its definition, or a fresh
     * state). An enabled one gets its first check after {@code firstCheckDelay} (random within one
     * interval, so that a restart does not start every checker at once) and expires one interval after
     * that unless a check succeeds; a restored expiry is replaced, as in the reference.
     */
    Client(ClientDefinition definition, ClientState initial, boolean unverified, String store, Scheduler scheduler,
            EventSink events, Checks checks, Duration firstCheckDelay) {
        this.configured = definition;
        // The settings that can change at run time come from the initial state (saved, or the definition).
        this.definition = copy(definition, initial.host(), initial.checker(), initial.extendedTimeout(),
                initial.approvalDelay(), initial.approvalDuration(), initial.approvedByDefault());
        this.store = store;
        this.scheduler = scheduler;
        this.events = events;
        this.checks = checks;
        this.unverified = unverified;
        this.created = initial.created();
        this.timeout = initial.timeout();
        this.interval = initial.interval();
        this.enabled = initial.enabled();
        this.lastEnabled = initial.lastEnabled();
        this.lastCheckedOk = initial.lastCheckedOk();
        this.lastCheckerStatus = initial.lastCheckerStatus();
        this.lastApprovalRequest = initial.lastApprovalRequest();
        if (enabled) {
            Instant now = now();
            if (lastEnabled == null) {
                lastEnabled = now;
            }
            expireAt(now.plus(firstCheckDelay).plus(interval));
            checkerTimer = scheduler.schedule(firstCheckDelay, this::checkerTick);
        }
    }

    /** What is saved of this client: never the secret. */
    synchronized ClientState state() {
        return new ClientState(definition.name(), definition.keyId(), definition.fingerprint(), definition.host(),
                enabled, created, lastEnabled, lastCheckedOk, lastCheckerStatus, expires, lastApprovalRequest,
                timeout, definition.extendedTimeout(), interval, definition.approvalDelay(),
                definition.approvalDuration(), definition.approvedByDefault(), definition.checker());
    }

    private Instant now() {
        return scheduler.clock().instant();
    }

    String name() {
        return definition.name();
    }

    String store() {
        return store;
    }

    synchronized ClientDefinition definition() {
        return definition;
    }

    /** The definition as its store last gave it (without run-time changes). */
    synchronized ClientDefinition configured() {
        return configured;
    }

    /**
     * Applies a changed definition from the store while keeping runtime state. Only what the store
     * changed is applied: a setting changed at run time (host, checker, approval settings, secret) and
     * not edited in the store keeps its run-time value. A changed {@code enabled}, timeout or interval
     * applies as the corresponding runtime change would.
     */
    void redefine(ClientDefinition changed) {
        ClientDefinition old;
        synchronized (this) {
            old = configured;
            ClientDefinition now = definition;
            configured = changed;
            definition = new ClientDefinition(changed.name(), changed.keyId(), changed.fingerprint(),
                    java.util.Arrays.equals(changed.secret(), old.secret()) ? now.secret() : changed.secret(),
                    pick(changed.host(), old.host(), now.host()), changed.timeout(),
                    pick(changed.extendedTimeout(), old.extendedTimeout(), now.extendedTimeout()), changed.interval(),
                    pick(changed.checker(), old.checker(), now.checker()),
                    pick(changed.approvalDelay(), old.approvalDelay(), now.approvalDelay()),
                    pick(changed.approvalDuration(), old.approvalDuration(), now.approvalDuration()),
                    pick(changed.approvedByDefault(), old.approvedByDefault(), now.approvedByDefault()),
                    changed.enabled(), changed.options());
        }
        if (!changed.timeout().equals(old.timeout())) {
            setTimeout(changed.timeout());
        }
        if (!changed.interval().equals(old.interval())) {
            setInterval(changed.interval());
        }
        if (changed.enabled() != old.enabled()) {
            if (changed.enabled()) {
                enable("enabled in the configuration");
            } else {
                disable("disabled in the configuration");
            }
        }
    }

    /** The store's new value if the store changed it, else the value in force. */
    private static <T> T pick(T stored, T storedBefore, T inForce) {
        return stored.equals(storedBefore) ? inForce : stored;
    }

    // ---- expiry -------------------------------------------------------------------------------

    /** Moves the expiry (and its timer) to {@code when}. Caller holds the lock. */
    private void expireAt(Instant when) {
        if (expiryTimer != null) {
            expiryTimer.cancel();
        }
        expires = when;
        Duration wait = Duration.between(now(), when);
        expiryTimer = scheduler.schedule(wait.isNegative() ? Duration.ZERO : wait, this::expiryPassed);
    }

    private void expiryPassed() {
        Instant deadline;
        synchronized (this) {
            if (!enabled || expires == null || expires.isAfter(now())) {
                return;
            }
            deadline = expires;
        }
        disable("timed out: no successful check since "
                + (lastCheckedOk == null ? "start-up" : lastCheckedOk.toString()) + " (expired " + deadline + ")");
    }

    // ---- checks -------------------------------------------------------------------------------

    private void checkerTick() {
        Instant since;
        synchronized (this) {
            checkerTimer = scheduler.schedule(interval, this::checkerTick);
            since = runningCheck != null && !overdueReported ? runningCheckStarted : null;
            overdueReported |= since != null;
        }
        if (since != null) {
            // Never two checks at once, as the reference; a check that hangs only ends when the client
            // is disabled (it then counts as not checked), so say so once.
            LOG.warn("Checker for {} has been running since {}; not starting another", name(), since);
        }
        startCheck();
    }

    /** Starts a check unless one runs; returns whether one was started. */
    boolean startCheck() {
        CompletableFuture<CheckResult> check;
        ClientDefinition subject;
        synchronized (this) {
            if (runningCheck != null) {
                return false;
            }
            subject = definition;
            check = new CompletableFuture<>();
            runningCheck = check;
            runningCheckStarted = now();
            overdueReported = false;
        }
        LOG.info("Starting checker for {}", subject.name());
        events.publish(event(ClientEvent.Type.CHECKER_STARTED, "", ""));
        CompletableFuture<CheckResult> started = checks.start(subject, ClientAttributes.of(this));
        started.whenComplete((result, failure) -> {
            CheckResult outcome = result != null ? result
                    : CheckResult.error(failure == null ? "no result" : String.valueOf(failure.getMessage()));
            check.complete(outcome);
        });
        check.whenComplete((result, failure) -> {
            if (check.isCancelled()) {
                started.cancel(true);
            } else {
                checkCompleted(check, result);
            }
        });
        return true;
    }

    private void checkCompleted(CompletableFuture<CheckResult> check, CheckResult result) {
        boolean repeated;
        synchronized (this) {
            if (runningCheck != check) {
                return;
            }
            runningCheck = null;
            String problem = result.outcome() == CheckResult.Outcome.ERROR ? result.reason() : null;
            repeated = problem != null && problem.equals(lastProblem);
            lastProblem = problem;
            switch (result.outcome()) {
                case ALIVE -> {
                    lastCheckerStatus = 0;
                    lastCheckedOk = now();
                    unverified = false;
                    if (enabled) {
                        expireAt(lastCheckedOk.plus(timeout));
                    }
                }
                case DOWN -> lastCheckerStatus = result.exitCode();
                case ERROR -> lastCheckerStatus = NO_CHECK;
            }
        }
        switch (result.outcome()) {
            case ALIVE -> LOG.info("Checker for {} succeeded", name());
            case DOWN -> {
                if (result.exitCode() == -1) {
                    LOG.warn("Checker for {} crashed? {}", name(), result.reason());
                } else {
                    LOG.info("Checker for {} failed: {}", name(), result.reason());
                }
            }
            case ERROR -> {
                // A missing, failing or departed checker plugin is reported once per change, not every interval.
                if (repeated) {
                    LOG.debug("Checker for {} still could not run: {}", name(), result.reason());
                } else {
                    LOG.error("Checker for {} could not run: {}", name(), result.reason());
                }
            }
        }
        events.publish(event(ClientEvent.Type.CHECKER_COMPLETED, "", result.outcome() + " " + result.exitCode()
                + (result.reason().isEmpty() ? "" : ": " + result.reason())));
    }

    /** Stops a running check, killing it; it reports nothing. */
    void stopCheck() {
        CompletableFuture<CheckResult> check;
        synchronized (this) {
            check = runningCheck;
            runningCheck = null;
        }
        if (check != null) {
            LOG.info("Stopping checker for {}", name());
            check.cancel(true);
        }
    }

    /** As a successful check: {@code CheckedOK} / {@code mandos-ctl --bump-timeout}. */
    void checkedOk() {
        synchronized (this) {
            lastCheckerStatus = 0;
            lastCheckedOk = now();
            unverified = false;
            if (enabled) {
                expireAt(lastCheckedOk.plus(timeout));
            }
        }
        LOG.info("Client {} checked OK", name());
        events.publish(event(ClientEvent.Type.CHECKER_COMPLETED, "", "ALIVE 0: checked OK"));
    }

    void setTimeout(Duration changed) {
        boolean disableNow = false;
        synchronized (this) {
            Duration old = timeout;
            timeout = changed;
            if (enabled && expires != null) {
                Instant moved = expires.plus(changed.minus(old));
                if (moved.isAfter(now())) {
                    expireAt(moved);
                } else {
                    disableNow = true;
                }
            }
        }
        LOG.info("Client {} timeout set to {}", name(), changed);
        events.publish(event(ClientEvent.Type.PROPERTY_CHANGED, "", "timeout=" + changed));
        if (disableNow) {
            disable("timed out after its timeout was shortened to " + changed);
        }
    }

    void setInterval(Duration changed) {
        boolean restart;
        synchronized (this) {
            interval = changed;
            restart = enabled && checkerTimer != null;
            if (restart) {
                checkerTimer.cancel();
                checkerTimer = scheduler.schedule(changed, this::checkerTick);
            }
        }
        LOG.info("Client {} checker interval set to {}", name(), changed);
        events.publish(event(ClientEvent.Type.PROPERTY_CHANGED, "", "interval=" + changed));
        if (restart) {
            startCheck();
        }
    }

    /** The settings front ends show besides the status. */
    synchronized org.mandos.api.ClientDetails details() {
        return new org.mandos.api.ClientDetails(definition.name(), definition.checker(), definition.extendedTimeout(),
                definition.approvalDelay(), definition.approvalDuration(), definition.approvedByDefault(),
                Optional.ofNullable(lastApprovalRequest));
    }

    /**
     * Changes a setting that lives in the definition at runtime (host, checker, extended timeout,
     * approval settings): the definition is replaced by a changed copy, so the change is saved with the
     * state, and a {@code PROPERTY_CHANGED} event says {@code property=value}. Nothing happens when the
     * value is the same.
     */
    void changeSetting(String property, Object value, java.util.function.UnaryOperator<ClientDefinition> change) {
        synchronized (this) {
            ClientDefinition changed = change.apply(definition);
            if (changed.equals(definition)) {
                return;
            }
            definition = changed;
        }
        LOG.info("Client {} {} set to {}", name(), property, value);
        events.publish(event(ClientEvent.Type.PROPERTY_CHANGED, "", property + "=" + value));
    }

    /** A copy of {@code d} with the given settings. */
    static ClientDefinition copy(ClientDefinition d, String host, String checker, Duration extendedTimeout,
            Duration approvalDelay, Duration approvalDuration, boolean approvedByDefault) {
        return new ClientDefinition(d.name(), d.keyId(), d.fingerprint(), d.secret(), host, d.timeout(),
                extendedTimeout, d.interval(), checker, approvalDelay, approvalDuration, approvedByDefault,
                d.enabled(), d.options());
    }

    // ---- enable and disable ------------------------------------------------------------------

    void enable(String why) {
        synchronized (this) {
            if (enabled) {
                return;
            }
            enabled = true;
            lastEnabled = now();
            // As the reference: the first check after one full interval, expiry after two.
            expireAt(lastEnabled.plus(interval.multipliedBy(2)));
            checkerTimer = scheduler.schedule(interval, this::checkerTick);
        }
        LOG.info("Client {} enabled", name());
        events.publish(event(ClientEvent.Type.ENABLED, "", why));
    }

    void disable(String why) {
        synchronized (this) {
            if (!enabled) {
                return;
            }
            enabled = false;
            expires = null;
            if (expiryTimer != null) {
                expiryTimer.cancel();
                expiryTimer = null;
            }
            if (checkerTimer != null) {
                checkerTimer.cancel();
                checkerTimer = null;
            }
        }
        stopCheck();
        // The reference disables silently and lets waiting connections run on; both are fixed here.
        LOG.info("Client {} disabled: {}", name(), why);
        releaseWaiters(Decision.refuse(name(), Refusal.DISABLED));
        events.publish(event(ClientEvent.Type.DISABLED, "", why));
    }

    /** Stops everything: the client is removed or the server stops. */
    void close() {
        synchronized (this) {
            for (Scheduler.Cancellable timer : new Scheduler.Cancellable[] {expiryTimer, checkerTimer}) {
                if (timer != null) {
                    timer.cancel();
                }
            }
            expiryTimer = null;
            checkerTimer = null;
        }
        stopCheck();
        releaseWaiters(Decision.refuse(name(), Refusal.CANCELLED));
    }

    // ---- secrets and approval -----------------------------------------------------------------

    CompletableFuture<Decision> request(InetSocketAddress peer) {
        String address = Peers.describe(peer);
        CompletableFuture<Decision> result;
        ClientEvent event = null;
        synchronized (this) {
            String name = name();
            if (!enabled) {
                LOG.info("Client {} is disabled", name);
                result = CompletableFuture.completedFuture(Decision.refuse(name, Refusal.DISABLED));
                event = event(ClientEvent.Type.REJECTED, address, "Disabled");
            } else if (unverified) {
                LOG.info("Client {} gets no secret until a check succeeds (its saved state was unreadable)", name);
                result = CompletableFuture.completedFuture(Decision.refuse(name, Refusal.UNVERIFIED));
                event = event(ClientEvent.Type.REJECTED, address, "Unverified");
            } else if (definition.approvalDelay().isZero() || definition.approvalDelay().isNegative()) {
                if (definition.approvedByDefault()) {
                    result = CompletableFuture.completedFuture(Decision.send(name, definition.secret()));
                } else {
                    // The reference sends the secret here: approval_delay = 0 ignores approved_by_default.
                    LOG.warn("Client {} was not approved (denied by default, no approval delay)", name);
                    result = CompletableFuture.completedFuture(Decision.refuse(name, Refusal.DENIED));
                    event = event(ClientEvent.Type.REJECTED, address, "Denied");
                }
            } else {
                LOG.info("Client {} needs approval", name);
                lastApprovalRequest = now();
                Waiter waiter = new Waiter();
                waiters.add(waiter);
                waiter.timer = scheduler.schedule(definition.approvalDelay(), () -> approvalDelayPassed(waiter));
                waiter.future.whenComplete((d, e) -> forget(waiter));
                result = waiter.future;
                event = event(ClientEvent.Type.NEED_APPROVAL, address,
                        "delay=" + definition.approvalDelay() + " default=" + definition.approvedByDefault());
            }
        }
        if (event != null) {
            events.publish(event);
        }
        return result;
    }

    /** The secret went out: an enabled client's expiry becomes {@code extended_timeout} from now. */
    void secretSent() {
        synchronized (this) {
            if (enabled) {
                expireAt(now().plus(definition.extendedTimeout()));
            }
        }
    }

    private void approvalDelayPassed(Waiter waiter) {
        Decision decision;
        synchronized (this) {
            if (waiter.future.isDone()) {
                return;
            }
            // No longer waiting from this moment: an approve() that comes after the REJECTED event must not
            // find this waiter (its future is about to be completed) and be lost on it.
            waiters.remove(waiter);
            if (definition.approvedByDefault() && enabled) {
                decision = Decision.send(name(), definition.secret());
            } else {
                LOG.warn("Client {} timed out while waiting for approval", name());
                decision = Decision.refuse(name(), Refusal.APPROVAL_TIMED_OUT);
            }
        }
        if (!decision.granted()) {
            events.publish(event(ClientEvent.Type.REJECTED, "", "Approval timed out"));
        }
        waiter.future.complete(decision);
    }

    private synchronized void forget(Waiter waiter) {
        waiters.remove(waiter);
        if (waiter.timer != null) {
            waiter.timer.cancel();
        }
    }

    private void releaseWaiters(Decision outcome) {
        List<Waiter> released;
        synchronized (this) {
            released = List.copyOf(waiters);
        }
        released.forEach(w -> w.future.complete(outcome));
    }

    void approve(boolean approve) {
        Decision outcome;
        synchronized (this) {
            if (waiters.isEmpty()) {
                LOG.info("Client {}: {} with no connection waiting has no effect", name(),
                        approve ? "approval" : "denial");
                return;
            }
            if (approve && enabled) {
                outcome = Decision.send(name(), definition.secret());
            } else {
                LOG.warn("Client {} was not approved", name());
                outcome = Decision.refuse(name(), enabled ? Refusal.DENIED : Refusal.DISABLED);
            }
        }
        if (!outcome.granted()) {
            events.publish(event(ClientEvent.Type.REJECTED, "", "Denied"));
        }
        releaseWaiters(outcome);
    }

    // ---- views --------------------------------------------------------------------------------

    synchronized ClientStatus status() {
        return new ClientStatus(definition.name(), definition.keyId(), definition.fingerprint(), definition.host(),
                store, enabled, !waiters.isEmpty(), created, Optional.ofNullable(lastEnabled),
                Optional.ofNullable(lastCheckedOk), Optional.ofNullable(expires), timeout, interval,
                runningCheck != null, lastCheckerStatus);
    }

    /** The values runtime checker expansion sees. */
    synchronized Snapshot snapshot() {
        return new Snapshot(definition, enabled, created, lastEnabled, lastCheckedOk, expires, lastApprovalRequest,
                timeout, interval);
    }

    record Snapshot(ClientDefinition definition, boolean enabled, Instant created, Instant lastEnabled,
            Instant lastCheckedOk, Instant expires, Instant lastApprovalRequest, Duration timeout, Duration interval) {
    }

    ClientEvent event(ClientEvent.Type type, String peer, String detail) {
        return new ClientEvent(type, now(), name(), definition().keyId(), peer, detail);
    }
}

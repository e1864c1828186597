package org.mandos.core.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientStatus;
import org.mandos.api.Decision;
import org.mandos.api.Decision.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's runtime state and its approval gate. Every state change happens under this object's
 * lock; events are published after the lock is released.
 */
final class Client {

    private static final Logger LOG = LoggerFactory.getLogger(Client.class);

    private final String store;
    private final Scheduler scheduler;
    private final EventSink events;
    private final Instant created;
    private final List<Waiter> waiters = new ArrayList<>();

    private ClientDefinition definition;
    private boolean enabled;
    private Instant lastEnabled;

    /** A connection waiting for an approval, and the timer that ends its wait. */
    private static final class Waiter {
        final CompletableFuture<Decision> future = new CompletableFuture<>();
        Scheduler.Cancellable timer;
    }

    Client(ClientDefinition definition, String store, Scheduler scheduler, EventSink events) {
        this.definition = definition;
        this.store = store;
        this.scheduler = scheduler;
        this.events = events;
        this.created = scheduler.clock().instant();
        this.enabled = definition.enabled();
        this.lastEnabled = enabled ? created : null;
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

    /** Applies a changed definition while keeping runtime state; a changed {@code enabled} applies too. */
    void redefine(ClientDefinition changed) {
        boolean flip;
        synchronized (this) {
            flip = changed.enabled() != definition.enabled() && changed.enabled() != enabled;
            definition = changed;
        }
        if (flip) {
            if (changed.enabled()) {
                enable();
            } else {
                disable();
            }
        }
    }

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

    private void approvalDelayPassed(Waiter waiter) {
        Decision decision;
        synchronized (this) {
            if (waiter.future.isDone()) {
                return;
            }
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

    /** Completes every waiting connection with {@code outcome}. */
    private void releaseWaiters(Decision outcome) {
        List<Waiter> released;
        synchronized (this) {
            released = List.copyOf(waiters);
        }
        released.forEach(w -> w.future.complete(outcome));
    }

    boolean approve(boolean approve) {
        Decision outcome;
        synchronized (this) {
            if (waiters.isEmpty()) {
                LOG.info("Client {}: {} with no connection waiting has no effect", name(), approve ? "approval" : "denial");
                return true;
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
        return true;
    }

    void enable() {
        synchronized (this) {
            if (enabled) {
                return;
            }
            enabled = true;
            lastEnabled = scheduler.clock().instant();
        }
        LOG.info("Client {} enabled", name());
        events.publish(event(ClientEvent.Type.ENABLED, "", ""));
    }

    void disable() {
        synchronized (this) {
            if (!enabled) {
                return;
            }
            enabled = false;
        }
        // The reference disables silently and lets waiting connections run on; both are fixed here.
        LOG.info("Client {} disabled", name());
        releaseWaiters(Decision.refuse(name(), Refusal.DISABLED));
        events.publish(event(ClientEvent.Type.DISABLED, "", ""));
    }

    /** Refuses every waiting connection; used when the client is removed or the server stops. */
    void cancelWaiters() {
        releaseWaiters(Decision.refuse(name(), Refusal.CANCELLED));
    }

    synchronized ClientStatus status() {
        return new ClientStatus(definition.name(), definition.keyId(), definition.fingerprint(), definition.host(),
                store, enabled, !waiters.isEmpty(), created, Optional.ofNullable(lastEnabled), Optional.empty(),
                Optional.empty(), definition.timeout(), definition.interval());
    }

    ClientEvent event(ClientEvent.Type type, String peer, String detail) {
        return new ClientEvent(type, scheduler.clock().instant(), name(), definition().keyId(), peer, detail);
    }
}

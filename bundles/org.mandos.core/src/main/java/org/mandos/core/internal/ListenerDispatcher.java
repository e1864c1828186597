package org.mandos.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to one {@link ClientListener} through a bounded queue drained on that listener's own
 * executor, in publication order. {@link #offer} never blocks and never calls the listener on the
 * publishing thread (unless the executor is {@link PluginThreads#DIRECT}): a listener that is slow or
 * blocks forever delays only its own events. When its queue is full the event is dropped and counted;
 * drops are logged at most once per {@link #DROP_LOG_PERIOD}.
 */
final class ListenerDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);

    /**
     * Events waiting for one listener before new ones are dropped, at least; the registry raises it to four
     * events per client, so that the burst of a store's first load (one ADDED per client) always fits.
     */
    static final int DEFAULT_CAPACITY = 4096;
    static final Duration DROP_LOG_PERIOD = Duration.ofMinutes(1);

    private final ClientListener listener;
    private final String name;
    private final ConcurrentLinkedQueue<ClientEvent> queue = new ConcurrentLinkedQueue<>();
    /** The bound of {@link #queue}, asked at each offer (it follows the number of clients). */
    private final IntSupplier capacity;
    /** How many events {@link #queue} holds (its own size() is not constant-time). */
    private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
    private final Executor executor;
    /** The registry's time, for the drop-log period. */
    private final Supplier<Instant> clock;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The types the listener asked for ({@link ClientListener#eventTypes}); the others are not queued. */
    private final Set<ClientEvent.Type> wanted;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;
    /** When drops were last logged, and how many had been counted then; guarded by this. */
    private Instant dropLogged;
    private long droppedAtLog;

    ListenerDispatcher(ClientListener listener, int capacity, Executor executor, Supplier<Instant> clock) {
        this(listener, () -> capacity, executor, clock);
    }

    ListenerDispatcher(ClientListener listener, IntSupplier capacity, Executor executor, Supplier<Instant> clock) {
        this.listener = listener;
        this.name = listener.getClass().getName();
        this.capacity = capacity;
        this.executor = executor;
        this.clock = clock;
        this.wanted = wantedTypes(listener, name);
    }

    /** What {@link ClientListener#eventTypes} says, once; every type if it fails. */
    private static Set<ClientEvent.Type> wantedTypes(ClientListener listener, String name) {
        try {
            Set<ClientEvent.Type> types = listener.eventTypes();
            if (types != null) {
                Set<ClientEvent.Type> copy = EnumSet.noneOf(ClientEvent.Type.class);
                copy.addAll(types);
                return copy;
            }
            LOG.warn("Client listener {} named no event types (null): it gets every event", name);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Client listener {} could not name its event types ({}): it gets every event", name,
                    e.toString());
        }
        return EnumSet.allOf(ClientEvent.Type.class);
    }

    ClientListener listener() {
        return listener;
    }

    Executor executor() {
        return executor;
    }

    /** Queues {@code event} for the listener, if it wants that type; never blocks. */
    void offer(ClientEvent event) {
        if (closed || !wanted.contains(event.type())) {
            return;
        }
        if (queued.incrementAndGet() > capacity.getAsInt()) {
            queued.decrementAndGet();
            drop(event);
            return;
        }
        queue.add(event);
        schedule();
    }

    /** Events dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Events whose delivery threw. */
    long failed() {
        return failed.get();
    }

    /** Events queued and not yet delivered. */
    int pending() {
        return queued.get();
    }

    /** No more deliveries: queued events are discarded; a delivery in progress finishes on its own. */
    void close() {
        closed = true;
        clear();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // Closing: the executor is gone, and so are the queued events.
                scheduled.set(false);
                clear();
            }
        }
    }

    private void drain() {
        try {
            ClientEvent event;
            while (!closed && (event = queue.poll()) != null) {
                queued.decrementAndGet();
                deliver(event);
            }
        } finally {
            scheduled.set(false);
        }
        // An event offered after the last poll and before the flag was cleared found the flag set.
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    private void clear() {
        while (queue.poll() != null) {
            queued.decrementAndGet();
        }
    }

    private void deliver(ClientEvent event) {
        try {
            listener.clientEvent(event);
        } catch (RuntimeException | LinkageError e) {
            failed.incrementAndGet();
            // The event carries no secret; neither does its type, the only part of it logged here.
            LOG.error("Client listener {} failed on {}", name, event.type(), e);
        }
    }

    private void drop(ClientEvent event) {
        long total = dropped.incrementAndGet();
        Instant now = clock.get();
        long since;
        synchronized (this) {
            if (dropLogged != null && now.isBefore(dropLogged.plus(DROP_LOG_PERIOD))) {
                return;
            }
            since = total - droppedAtLog;
            dropLogged = now;
            droppedAtLog = total;
        }
        LOG.warn("Client listener {} is not keeping up: its queue of {} events is full; dropped {} event(s)"
                + " (this one {}), {} in all", name, capacity.getAsInt(), since,
                event.type(), total);
    }
}

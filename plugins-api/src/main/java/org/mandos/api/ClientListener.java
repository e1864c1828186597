package org.mandos.api;

import java.util.EnumSet;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for {@link ClientEvent}s (register it as a service).
 *
 * <p>Threading: each listener gets its events on a thread of its own, one at a time and in the order
 * they happened, through a bounded queue; the thread where an event happens only queues it, so a slow
 * or blocked listener delays only its own events. When its queue is full, further events for it are
 * dropped, counted and logged. An exception thrown by a listener is logged and the next event is
 * delivered. See the plugin guide.
 */
@ConsumerType
public interface ClientListener {

    void clientEvent(ClientEvent event);

    /**
     * The types of event this listener wants. Asked once, when the listener is registered; events of other
     * types are not queued for it, and its thread does not wake for them (a check of every client every two
     * minutes is two events each). Default: every type.
     *
     * @return the wanted types; an exception or {@code null} counts as every type
     * @since 1.4
     */
    default Set<ClientEvent.Type> eventTypes() {
        return EnumSet.allOf(ClientEvent.Type.class);
    }
}

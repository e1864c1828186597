package org.mandos.api;

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
}

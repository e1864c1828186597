package org.mandos.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for {@link ClientEvent}s (register it as a service).
 *
 * <p>Threading: called synchronously from the thread where the event happened, possibly a connection
 * thread; must return quickly and must not call back into the registry in a way that blocks. An
 * exception thrown by a listener is logged and otherwise ignored.
 */
@ConsumerType
public interface ClientListener {

    void clientEvent(ClientEvent event);
}

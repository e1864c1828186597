package org.mandos.core.internal;

import org.mandos.api.ClientEvent;

/** Where clients publish their events: the registry's listener whiteboard. */
interface EventSink {
    void publish(ClientEvent event);
}

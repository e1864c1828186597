package org.mandos.zeroconf.internal;

import java.io.IOException;

/**
 * A multicast DNS responder on one address that publishes (at most) one {@code _mandos._tcp} service.
 * Not thread-safe: used from the announcer's thread, except {@link #close()}, which may take seconds
 * and is run on a thread of its own.
 */
interface Responder {

    /** Opens responders. */
    @FunctionalInterface
    interface Factory {

        /**
         * Starts a responder on {@code address} for the host {@code hostName}.
         *
         * @throws IOException when the address cannot be used (it went away, the socket cannot be bound)
         */
        Responder open(LocalAddress address, String hostName) throws IOException;
    }

    /**
     * Publishes the service as {@code name} on {@code port}, replacing the service published before
     * (whose withdrawal may finish in the background).
     */
    void register(String name, int port) throws IOException;

    /**
     * The name the service has now: the one last registered, unless the responder renamed it because
     * someone else on the network uses that name; {@code null} when nothing is registered.
     */
    String registeredName();

    /**
     * Called on every network scan: a chance to repair socket settings.
     *
     * @param loopback whether this host may hear the responder's packets: true when it is the only
     *     responder of its address family in this process, so that another server on this host sees
     *     the name it uses (and the names collide as they should); false when several responders of
     *     one family would take each other's address records for a conflicting host
     */
    default void maintain(boolean loopback) {
    }

    /** Withdraws the service (goodbye packets) and releases the socket. */
    void close();
}

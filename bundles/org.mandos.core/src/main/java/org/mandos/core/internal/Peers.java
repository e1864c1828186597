package org.mandos.core.internal;

import java.net.InetSocketAddress;

/** How a peer address appears in log lines and events. */
final class Peers {

    private Peers() {
    }

    static String describe(InetSocketAddress peer) {
        if (peer == null) {
            return "";
        }
        String host = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        return "('" + host + "', " + peer.getPort() + ")";
    }
}

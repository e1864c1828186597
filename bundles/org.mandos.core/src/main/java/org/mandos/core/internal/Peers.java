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
        // Java writes IPv6 in full (0:0:0:0:0:0:0:1); shorten the first run of zero groups as people write it.
        if (host.indexOf(':') >= 0) {
            host = host.replaceFirst("(^|:)0(:0)+(:|$)", "::");
        }
        return "('" + host + "', " + peer.getPort() + ")";
    }
}

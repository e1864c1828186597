package org.mandos.server.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses as the reference writes them in log lines: RFC 5952 IPv6 text, e.g. {@code ('::1', 4711)}. */
final class AddressText {

    private AddressText() {
    }

    static String peer(InetSocketAddress peer) {
        if (peer == null || peer.getAddress() == null) {
            return "(unknown)";
        }
        return "('" + of(peer.getAddress()) + "', " + peer.getPort() + ")";
    }

    static String of(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero groups (the first, on a tie) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        if (v6.getScopedInterface() != null) {
            text.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            text.append('%').append(v6.getScopeId());
        }
        return text.toString();
    }
}

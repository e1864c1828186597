package org.mandos.zeroconf.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One address of one network interface, on which the service is announced (one multicast DNS
 * responder each).
 *
 * @param interfaceName the interface, e.g. {@code eth0}
 * @param address       the address; an IPv6 link-local address carries its scope
 */
record LocalAddress(String interfaceName, InetAddress address) {

    LocalAddress {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
    }

    /** A network interface as the scan saw it. */
    record Interface(String name, boolean up, boolean loopback, boolean multicast, List<InetAddress> addresses) {

        Interface {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * The addresses to announce on: those of every interface that is up, multicast-capable and not a
     * loopback interface (only the one named {@code interfaceName}, unless that is empty); IPv4
     * addresses always, IPv6 addresses (link-local and others) only when {@code ipv6}. Per interface,
     * IPv6 link-local addresses come first, then other IPv6 addresses, then IPv4.
     */
    static List<LocalAddress> select(List<Interface> interfaces, String interfaceName, boolean ipv6) {
        List<LocalAddress> selected = new ArrayList<>();
        for (Interface i : interfaces) {
            if (!i.up() || i.loopback() || !i.multicast()) {
                continue;
            }
            if (!interfaceName.isEmpty() && !interfaceName.equals(i.name())) {
                continue;
            }
            i.addresses().stream()
                    .filter(a -> !a.isLoopbackAddress() && !a.isAnyLocalAddress() && !a.isMulticastAddress())
                    .filter(a -> a instanceof Inet4Address || (ipv6 && a instanceof Inet6Address))
                    .sorted(Comparator.comparingInt(LocalAddress::rank))
                    .forEach(a -> selected.add(new LocalAddress(i.name(), a)));
        }
        return selected;
    }

    private static int rank(InetAddress a) {
        if (a instanceof Inet6Address) {
            return a.isLinkLocalAddress() ? 0 : 1;
        }
        return 2;
    }

    @Override
    public String toString() {
        return interfaceName + " " + text(address);
    }

    /** The address as text, without a host name, with its scope when it has one. */
    static String text(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address v6 && v6.getScopeId() == 0 && v6.getScopedInterface() == null) {
            int percent = text.indexOf('%');
            return percent < 0 ? text : text.substring(0, percent);
        }
        return text;
    }
}

package org.mandos.zeroconf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAddressTest {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An IPv6 link-local address with a numeric scope. */
    static InetAddress linkLocal(String literal, int scope) {
        try {
            return Inet6Address.getByAddress(null, ip(literal).getAddress(), scope);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static final InetAddress V4 = ip("192.0.2.1");
    static final InetAddress LL = linkLocal("fe80::1", 2);
    static final InetAddress GLOBAL = ip("2001:db8::1");

    static LocalAddress.Interface up(String name, InetAddress... addresses) {
        return new LocalAddress.Interface(name, true, false, true, List.of(addresses));
    }

    @Test
    void everyUsableInterfaceWithLinkLocalFirstThenOtherIpv6ThenIpv4() {
        List<LocalAddress> selected = LocalAddress.select(List.of(
                new LocalAddress.Interface("lo", true, true, true, List.of(ip("127.0.0.1"), ip("::1"))),
                up("eth0", V4, GLOBAL, LL),
                up("eth1", ip("198.51.100.7"))), "", true);
        assertEquals(List.of(new LocalAddress("eth0", LL), new LocalAddress("eth0", GLOBAL),
                new LocalAddress("eth0", V4), new LocalAddress("eth1", ip("198.51.100.7"))), selected);
    }

    @Test
    void withoutIpv6OnlyIpv4() {
        assertEquals(List.of(new LocalAddress("eth0", V4)),
                LocalAddress.select(List.of(up("eth0", LL, V4, GLOBAL)), "", false));
    }

    @Test
    void onlyTheNamedInterface() {
        List<LocalAddress.Interface> interfaces = List.of(up("eth0", V4), up("eth1", LL));
        assertEquals(List.of(new LocalAddress("eth1", LL)), LocalAddress.select(interfaces, "eth1", true));
        assertEquals(List.of(), LocalAddress.select(interfaces, "eth2", true));
    }

    @Test
    void interfacesThatAreDownLoopbackOrWithoutMulticastAreSkipped() {
        List<LocalAddress.Interface> interfaces = List.of(
                new LocalAddress.Interface("down0", false, false, true, List.of(V4)),
                new LocalAddress.Interface("lo", true, true, true, List.of(ip("127.0.0.1"))),
                new LocalAddress.Interface("tun0", true, false, false, List.of(ip("10.8.0.1"))));
        assertEquals(List.of(), LocalAddress.select(interfaces, "", true));
        assertEquals(List.of(), LocalAddress.select(interfaces, "down0", true));
    }

    @Test
    void textShowsTheScopeOfALinkLocalAddress() {
        assertEquals("eth0 fe80:0:0:0:0:0:0:1%2", new LocalAddress("eth0", LL).toString());
        assertEquals("eth0 192.0.2.1", new LocalAddress("eth0", V4).toString());
    }
}

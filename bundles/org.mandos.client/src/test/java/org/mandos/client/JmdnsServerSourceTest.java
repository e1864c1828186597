package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of the Zeroconf discovery: which interfaces and addresses are used, which address is tried. */
class JmdnsServerSourceTest {

    static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    static InetAddress scoped(String literal, int scope) throws UnknownHostException {
        return Inet6Address.getByAddress(null, ip(literal).getAddress(), scope);
    }

    @Test
    void prefersTheIpv6LinkLocalAddressWithTheInterfaceAsZone() throws Exception {
        ServerAddress s = JmdnsServerSource.choose("vB",
                List.of(ip("192.0.2.1"), ip("2001:db8::1"), ip("fe80::a8c1:abff:fe12:3456")), 10999);
        assertEquals(new ServerAddress("fe80:0:0:0:a8c1:abff:fe12:3456", "vB", 10999), s);
        assertEquals("fe80:0:0:0:a8c1:abff:fe12:3456%vB:10999", s.toString());
    }

    @Test
    void thenIpv4ThenOtherIpv6() throws Exception {
        assertEquals(new ServerAddress("192.0.2.1", null, 4711),
                JmdnsServerSource.choose("eth0", List.of(ip("2001:db8::1"), ip("192.0.2.1")), 4711));
        assertEquals(new ServerAddress("2001:db8:0:0:0:0:0:1", null, 4711),
                JmdnsServerSource.choose("eth0", List.of(ip("2001:db8::1")), 4711));
    }

    @Test
    void aZoneAlreadyOnTheAddressIsReplacedByTheInterfaceName() throws Exception {
        assertEquals(new ServerAddress("fe80:0:0:0:0:0:0:2", "eth1", 1),
                JmdnsServerSource.choose("eth1", List.of(scoped("fe80::2", 7)), 1));
    }

    @Test
    void nothingUsable() throws Exception {
        assertNull(JmdnsServerSource.choose("eth0", List.of(), 10999));
        assertNull(JmdnsServerSource.choose("eth0", List.of(ip("127.0.0.1"), ip("::1"), ip("0.0.0.0")), 10999));
        assertNull(JmdnsServerSource.choose("eth0", List.of(ip("192.0.2.1")), 0));
        assertNull(JmdnsServerSource.choose("eth0", List.of(ip("192.0.2.1")), 65536));
    }

    static final JmdnsServerSource.Nic LO = nic("lo", true, true, false, true, "127.0.0.1", "::1");
    static final JmdnsServerSource.Nic ETH0 = nic("eth0", true, false, false, true, "2001:db8::5", "fe80::5",
            "fe80::6", "192.0.2.5", "192.0.2.6");
    static final JmdnsServerSource.Nic ETH1_V6 = nic("eth1", true, false, false, true, "fe80::7");
    static final JmdnsServerSource.Nic DOWN = nic("eth2", false, false, false, true, "fe80::8");
    static final JmdnsServerSource.Nic TUN = nic("tun0", true, false, true, true, "10.8.0.1");
    static final JmdnsServerSource.Nic NO_MULTICAST = nic("wg0", true, false, false, false, "10.9.0.1");
    static final List<JmdnsServerSource.Nic> ALL = List.of(LO, ETH0, ETH1_V6, DOWN, TUN, NO_MULTICAST);

    static JmdnsServerSource.Nic nic(String name, boolean up, boolean loopback, boolean p2p, boolean multicast,
                                     String... addresses) {
        try {
            List<InetAddress> list = new java.util.ArrayList<>();
            for (String a : addresses) {
                InetAddress address = ip(a);
                list.add(address instanceof Inet6Address && address.isLinkLocalAddress() ? scoped(a, 3) : address);
            }
            return new JmdnsServerSource.Nic(name, up, loopback, p2p, multicast, list);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> describe(List<JmdnsServerSource.Binding> bindings) {
        return bindings.stream().map(b -> b.key() + " " + b.address().getHostAddress()).toList();
    }

    @Test
    void withoutInterfaceOptionAllUpMulticastNonLoopbackNonPointToPointInterfaces() {
        assertEquals(List.of("eth0 IPv6 fe80:0:0:0:0:0:0:5%3", "eth0 IPv4 192.0.2.5", "eth1 IPv6 fe80:0:0:0:0:0:0:7%3"),
                describe(JmdnsServerSource.bindings(ALL, Set.of())));
    }

    @Test
    void withInterfaceOptionOnlyThoseThatAreUp() {
        assertEquals(List.of("eth1 IPv6 fe80:0:0:0:0:0:0:7%3"),
                describe(JmdnsServerSource.bindings(ALL, Set.of("eth1", "eth2", "missing"))));
        assertEquals(List.of("tun0 IPv4 10.8.0.1"), describe(JmdnsServerSource.bindings(ALL, Set.of("tun0"))),
                "an interface named explicitly may be point-to-point");
    }
}

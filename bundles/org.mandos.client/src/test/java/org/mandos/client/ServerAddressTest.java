package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerAddressTest {

    @Test
    void ipv4() {
        assertEquals(new ServerAddress("127.0.0.1", null, 10999), ServerAddress.parse("127.0.0.1:10999"));
    }

    @Test
    void hostName() {
        assertEquals(new ServerAddress("mandos.example.org", null, 1), ServerAddress.parse("mandos.example.org:1"));
    }

    @Test
    void ipv6WithoutBracketsUsesTheLastColon() {
        assertEquals(new ServerAddress("::1", null, 10999), ServerAddress.parse("::1:10999"));
        assertEquals(new ServerAddress("2001:db8::5", null, 65535), ServerAddress.parse("2001:db8::5:65535"));
    }

    @Test
    void ipv6InBrackets() {
        assertEquals(new ServerAddress("::1", null, 10999), ServerAddress.parse("[::1]:10999"));
        assertEquals(new ServerAddress("127.0.0.1", null, 7), ServerAddress.parse("[127.0.0.1]:7"));
    }

    @Test
    void linkLocalWithZone() {
        ServerAddress a = ServerAddress.parse("fe80::1%eth0:10999");
        assertEquals(new ServerAddress("fe80::1", "eth0", 10999), a);
        assertEquals("fe80::1%eth0:10999", a.toString());
        assertEquals(new ServerAddress("fe80::1", "eth0", 10999), ServerAddress.parse("[fe80::1%eth0]:10999"));
    }

    @Test
    void numericZoneResolves() throws UnknownHostException {
        InetSocketAddress s = ServerAddress.parse("fe80::1%2:10999").resolve();
        Inet6Address a = (Inet6Address) s.getAddress();
        assertEquals(2, a.getScopeId());
        assertEquals(10999, s.getPort());
    }

    @Test
    void loopbackZoneResolvesByInterfaceName() throws UnknownHostException {
        InetSocketAddress s = ServerAddress.parse("fe80::1%lo:1").resolve();
        assertTrue(((Inet6Address) s.getAddress()).getScopeId() > 0);
    }

    @Test
    void unknownInterfaceFailsAtResolveTime() {
        ServerAddress a = ServerAddress.parse("fe80::1%nosuchif0:1");
        assertThrows(UnknownHostException.class, a::resolve);
    }

    @Test
    void literalsResolveWithoutLookup() throws UnknownHostException {
        assertEquals("127.0.0.1", ServerAddress.parse("127.0.0.1:5").resolve().getAddress().getHostAddress());
        assertTrue(ServerAddress.parse("::1:5").resolve().getAddress() instanceof Inet6Address);
        assertNull(ServerAddress.parse("::1:5").scope());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "127.0.0.1", "localhost", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:99999999999", "127.0.0.1:-1", "127.0.0.1:+5", "127.0.0.1:1x", ":10999", "::1", "[::1]10999",
            "[::1", "[::1]", "[::1]:", "fe80::1%:1", "127.0.0.1%eth0:1", "gg::1:1", "1:2:3:4:5:6:7:8:9:1",
            "host name:1", "a/b:1"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(text));
        assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void noColonMessageMatchesTheReference() {
        assertTrue(ServerAddress.parse("127.0.0.1:1") != null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerAddress.parse("192.0.2.1"));
        assertTrue(e.getMessage().startsWith("No colon in address"), e.getMessage());
    }
}

package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mandos.config.ServerSettings;
import picocli.CommandLine;

/** Which addresses the server listens on; it never falls back to listening everywhere. */
class ListenersTest {

    private static Settings settings(String... args) throws StartupError {
        MandosCommand cli = new MandosCommand();
        new CommandLine(cli).parseArgs(args);
        return Settings.merge(cli, ServerSettings.defaults());
    }

    @Test
    void byDefaultItListensOnTheIpv6WildcardWhichAlsoTakesIpv4() throws Exception {
        assertEquals(List.of(InetAddress.getByName("::")), Listeners.addresses(settings()));
    }

    @Test
    void withoutIpv6ItListensOnTheIpv4Wildcard() throws Exception {
        assertEquals(List.of(InetAddress.getByName("0.0.0.0")), Listeners.addresses(settings("--no-ipv6")));
    }

    @Test
    void anInterfaceMeansExactlyItsAddresses() throws Exception {
        List<InetAddress> lo = Listeners.addresses(settings("--interface", "lo"));
        assertTrue(lo.stream().allMatch(InetAddress::isLoopbackAddress), lo.toString());
        assertTrue(Listeners.addresses(settings("--interface", "lo", "--no-ipv6")).stream()
                .allMatch(a -> a instanceof Inet4Address));
    }

    @Test
    void anUnknownInterfaceIsAnErrorNotAFallback() {
        StartupError e = assertThrows(StartupError.class, () -> Listeners.addresses(settings("-i", "nosuch9")));
        assertEquals("--interface nosuch9: no such network interface", e.getMessage());
    }

    @Test
    void anAddressMustBeNumericAndOnTheInterface() {
        assertEquals("--address localhost: not a numeric IP address",
                assertThrows(StartupError.class, () -> Listeners.addresses(settings("-a", "localhost"))).getMessage());
        assertEquals("--address 192.0.2.7 is not an address of interface lo",
                assertThrows(StartupError.class, () -> Listeners.addresses(settings("-i", "lo", "-a", "192.0.2.7")))
                        .getMessage());
    }

    @Test
    void aWildcardAddressWithAnInterfaceIsRefusedBecauseItWouldListenEverywhere() {
        assertEquals("--address :: is not an address of interface lo (a wildcard address would listen on every"
                + " interface)",
                assertThrows(StartupError.class, () -> Listeners.addresses(settings("-i", "lo", "-a", "::"))).getMessage());
    }

    @Test
    void errorsNameMandosConfWhenTheValueCameFromThere() throws Exception {
        MandosCommand cli = new MandosCommand();
        Settings s = Settings.merge(cli, ServerSettings.parse(java.nio.file.Path.of("/etc/mandos/mandos.conf"),
                "[DEFAULT]\ninterface = nosuch9\n"));
        assertEquals("mandos.conf interface nosuch9: no such network interface",
                assertThrows(StartupError.class, () -> Listeners.addresses(s)).getMessage());
    }

    @Test
    void aLinkLocalAddressNeedsAnInterfaceForItsScope() {
        assertEquals("--address fe80::1: a link-local address needs --interface to give its scope",
                assertThrows(StartupError.class, () -> Listeners.addresses(settings("-a", "fe80::1"))).getMessage());
    }

    @Test
    void anIpv6AddressWithNoIpv6IsAnError() {
        assertEquals("--address ::1: an IPv6 address needs IPv6 (drop --no-ipv6)",
                assertThrows(StartupError.class, () -> Listeners.addresses(settings("-a", "::1", "--no-ipv6")))
                        .getMessage());
    }

    @Test
    void anEphemeralPortIsSharedByEveryAddressOfTheInterface() throws Exception {
        List<ServerSocketChannel> channels = Listeners.open(settings("-i", "lo"));
        try {
            long ports = channels.stream().mapToInt(c -> {
                try {
                    return ((InetSocketAddress) c.getLocalAddress()).getPort();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }).distinct().count();
            assertEquals(1, ports);
        } finally {
            for (ServerSocketChannel c : channels) {
                c.close();
            }
        }
    }
}

package org.mandos.zeroconf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mandos.zeroconf.internal.LocalAddressTest.GLOBAL;
import static org.mandos.zeroconf.internal.LocalAddressTest.LL;
import static org.mandos.zeroconf.internal.LocalAddressTest.V4;
import static org.mandos.zeroconf.internal.LocalAddressTest.ip;
import static org.mandos.zeroconf.internal.LocalAddressTest.up;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mandos.api.Announcement;

class AnnouncementKeeperTest {

    final List<LocalAddress.Interface> interfaces = new ArrayList<>();
    final FakeResponders responders = new FakeResponders();
    final AnnouncementKeeper keeper = new AnnouncementKeeper(() -> List.copyOf(interfaces), responders,
            () -> "host", Runnable::run);

    static final Announcement MANDOS = new Announcement("Mandos", 10999, "", true);

    @Test
    void oneResponderPerAddressWithTheNameAndPort() {
        interfaces.add(up("eth0", V4, LL));
        interfaces.add(up("eth1", GLOBAL));
        keeper.announce(MANDOS);
        assertEquals(List.of(new LocalAddress("eth0", LL), new LocalAddress("eth0", V4),
                new LocalAddress("eth1", GLOBAL)), responders.liveAddresses());
        for (FakeResponders.Fake f : responders.live()) {
            assertEquals(List.of("Mandos"), f.registered);
            assertEquals(10999, f.port);
            assertEquals("host", f.hostName);
        }
        assertEquals("Mandos", keeper.name());
    }

    @Test
    void withoutIpv6OnlyIpv4AndOnlyOnTheNamedInterface() {
        interfaces.add(up("eth0", V4, LL));
        interfaces.add(up("eth1", ip("198.51.100.1")));
        keeper.announce(new Announcement("Mandos", 10999, "eth0", false));
        assertEquals(List.of(new LocalAddress("eth0", V4)), responders.liveAddresses());
    }

    @Test
    void noInterfaceIsOneWarningThenTheAnnouncementFollowsWhenOneAppears() {
        interfaces.add(new LocalAddress.Interface("lo", true, true, false, List.of(ip("127.0.0.1"))));
        try (LogCapture log = new LogCapture()) {
            keeper.announce(MANDOS);
            keeper.rescan();
            keeper.rescan();
            keeper.checkNames();
            assertEquals(1, log.count(
                    "WARN org.mandos.zeroconf.internal.AnnouncementKeeper - No network interface to announce the"
                            + " Zeroconf service on; retrying when one appears"));
        }
        assertEquals(List.of(), responders.opened);
        interfaces.add(up("eth0", LL));
        keeper.rescan();
        assertEquals(List.of(new LocalAddress("eth0", LL)), responders.liveAddresses());
        assertEquals(List.of("Mandos"), responders.live().get(0).registered);
    }

    @Test
    void theWarningNamesTheConfiguredInterfaceAndComesAgainAfterALoss() {
        try (LogCapture log = new LogCapture()) {
            keeper.announce(new Announcement("Mandos", 1, "eth9", true));
            interfaces.add(up("eth9", V4));
            keeper.rescan();
            interfaces.clear();
            keeper.rescan();
            keeper.rescan();
            assertEquals(2, log.count("No network interface to announce the Zeroconf service on (interface eth9);"
                    + " retrying when one appears"));
        }
    }

    @Test
    void addressesThatComeAndGoOpenAndCloseTheirResponders() {
        interfaces.add(up("eth0", LL));
        keeper.announce(MANDOS);
        FakeResponders.Fake first = responders.live().get(0);
        interfaces.set(0, up("eth0", LL, V4));
        keeper.rescan();
        assertEquals(List.of(new LocalAddress("eth0", LL), new LocalAddress("eth0", V4)),
                responders.liveAddresses());
        interfaces.set(0, up("eth0", V4));
        keeper.rescan();
        assertTrue(first.closed);
        assertEquals(List.of(new LocalAddress("eth0", V4)), responders.liveAddresses());
        interfaces.set(0, new LocalAddress.Interface("eth0", false, false, true, List.of(V4)));
        keeper.rescan();
        assertEquals(List.of(), responders.live());
    }

    @Test
    void everyScanMaintainsTheResponders() {
        interfaces.add(up("eth0", LL));
        keeper.announce(MANDOS);
        keeper.rescan();
        assertEquals(3, responders.live().get(0).maintained, "when opened, and at each of two scans");
        assertTrue(responders.live().get(0).loopback, "a lone responder lets this host hear it");
    }

    @Test
    void severalRespondersOfOneFamilyDoNotLoopTheirPacketsBack() {
        interfaces.add(up("eth0", LL));
        interfaces.add(up("eth1", GLOBAL));
        keeper.announce(MANDOS);
        assertEquals(2, responders.live().size());
        responders.live().forEach(r -> org.junit.jupiter.api.Assertions.assertFalse(r.loopback));
    }

    @Test
    void aCollisionMovesEveryAddressToTheNextName() {
        interfaces.add(up("eth0", LL, V4));
        interfaces.add(up("eth1", GLOBAL));
        keeper.announce(MANDOS);
        keeper.checkNames();
        assertEquals("Mandos", keeper.name());
        try (LogCapture log = new LogCapture()) {
            responders.live().get(1).collide();
            keeper.checkNames();
            assertEquals(1, log.count("INFO org.mandos.zeroconf.internal.AnnouncementKeeper - Changing Zeroconf"
                    + " service name to 'Mandos #2'"));
        }
        assertEquals("Mandos #2", keeper.name());
        for (FakeResponders.Fake f : responders.live()) {
            assertEquals(List.of("Mandos", "Mandos #2"), f.registered);
            assertEquals("Mandos #2", f.registeredName());
        }
        assertEquals(3, responders.opened.size());
        responders.live().get(0).collide();
        keeper.checkNames();
        assertEquals("Mandos #3", keeper.name());
        // an address that appears later gets the current name
        interfaces.add(up("eth2", ip("203.0.113.5")));
        keeper.rescan();
        assertEquals(List.of("Mandos #3"), responders.live().get(3).registered);
    }

    @Test
    void afterTheLastTryItGivesUpAndStopsTrying() {
        interfaces.add(up("eth0", LL));
        keeper.announce(MANDOS);
        try (LogCapture log = new LogCapture()) {
            for (int n = 2; n <= ServiceNames.MAX_TRIES; n++) {
                responders.live().get(0).collide();
                keeper.checkNames();
                assertEquals("Mandos #" + n, keeper.name());
            }
            assertFalse(keeper.gaveUp());
            responders.live().get(0).collide();
            keeper.checkNames();
            assertEquals(ServiceNames.MAX_TRIES - 1, log.count("Changing Zeroconf service name to"));
            assertEquals(1, log.count("ERROR org.mandos.zeroconf.internal.AnnouncementKeeper - No suitable Zeroconf"
                    + " service name found after 64 tries"));
        }
        assertTrue(keeper.gaveUp());
        assertEquals(List.of(), responders.live());
        keeper.rescan();
        keeper.checkNames();
        assertEquals(1, responders.opened.size());
        // a new announcement starts again from the configured name
        keeper.announce(MANDOS);
        assertFalse(keeper.gaveUp());
        assertEquals(List.of("Mandos"), responders.live().get(0).registered);
    }

    @Test
    void aResponderThatCannotOpenIsReportedOnceAndRetried() {
        LocalAddress eth0 = new LocalAddress("eth0", V4);
        responders.failing.add(eth0);
        interfaces.add(up("eth0", V4));
        try (LogCapture log = new LogCapture()) {
            keeper.announce(MANDOS);
            keeper.rescan();
            assertEquals(1, log.count("Cannot announce the Zeroconf service on eth0 192.0.2.1"));
        }
        assertEquals(List.of(), responders.live());
        responders.failing.clear();
        keeper.rescan();
        assertEquals(List.of(eth0), responders.liveAddresses());
    }

    @Test
    void aFailingNetworkScanIsRetried() {
        boolean[] broken = {true};
        AnnouncementKeeper k = new AnnouncementKeeper(() -> {
            if (broken[0]) {
                throw new IOException("netlink");
            }
            return List.of(up("eth0", V4));
        }, responders, () -> "host", Runnable::run);
        k.announce(MANDOS);
        assertEquals(List.of(), responders.live());
        broken[0] = false;
        k.rescan();
        assertEquals(1, responders.live().size());
    }

    @Test
    void withdrawClosesEverythingAndStopsScanning() {
        interfaces.add(up("eth0", LL, V4));
        keeper.announce(MANDOS);
        CompletableFuture<Void> closed = keeper.withdraw();
        assertTrue(closed.isDone());
        assertEquals(List.of(), responders.live());
        assertNull(keeper.name());
        keeper.rescan();
        keeper.checkNames();
        assertEquals(2, responders.opened.size());
    }

    @Test
    void withdrawWaitsForSlowClosers() {
        List<Runnable> pending = new ArrayList<>();
        AnnouncementKeeper k = new AnnouncementKeeper(() -> List.of(up("eth0", LL, V4)), responders, () -> "host",
                pending::add);
        k.announce(MANDOS);
        CompletableFuture<Void> closed = k.withdraw();
        assertFalse(closed.isDone());
        pending.get(0).run();
        assertFalse(closed.isDone());
        pending.get(1).run();
        assertTrue(closed.isDone());
    }

    @Test
    void theSameAnnouncementAgainChangesNothingButANewOneStartsOver() {
        interfaces.add(up("eth0", V4));
        keeper.announce(MANDOS);
        keeper.announce(new Announcement("Mandos", 10999, "", true));
        assertEquals(1, responders.opened.size());
        keeper.announce(new Announcement("Mandos", 2000, "", true));
        assertEquals(2, responders.opened.size());
        assertTrue(responders.opened.get(0).closed);
        assertEquals(2000, responders.live().get(0).port);
    }

    @Test
    void theHostNameIsAskedAtEachNewAnnouncement() {
        String[] host = {"alpha"};
        AnnouncementKeeper k = new AnnouncementKeeper(() -> List.of(up("eth0", V4)), responders, () -> host[0],
                Runnable::run);
        k.announce(MANDOS);
        host[0] = "beta";
        k.announce(new Announcement("Other", 1, "", true));
        assertEquals(List.of("alpha", "beta"), responders.hostNames);
    }
}

package org.mandos.zeroconf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mandos.zeroconf.internal.LocalAddressTest.LL;
import static org.mandos.zeroconf.internal.LocalAddressTest.V4;
import static org.mandos.zeroconf.internal.LocalAddressTest.up;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.mandos.api.Announcement;
import org.mandos.api.Announcer;

/** The two Declarative Services components around their logic, on real threads. */
class ComponentsTest {

    @Test
    void thePublisherAnnouncesTheListeningPortAndWithdrawsOnDeactivation() throws IOException {
        List<String> calls = new ArrayList<>();
        Announcer announcer = new Announcer() {
            @Override
            public void announce(Announcement a) {
                calls.add(Thread.currentThread().getName() + " announce " + a);
            }

            @Override
            public void withdraw() {
                calls.add(Thread.currentThread().getName() + " withdraw");
            }
        };
        ZeroconfPublisher publisher = new ZeroconfPublisher(new PublisherSettings(true, "Mandos", "", true, "auto"),
                Executors.newSingleThreadExecutor(r -> new Thread(r, "zeroconf-test")));
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ZeroconfPublisher.port(channel);
            publisher.addAnnouncer(announcer, Map.of(Announcer.NAME, "jmdns"));
            publisher.addListenSocket(channel);
            publisher.deactivate(); // runs after the queued bindings and waits for them
            assertEquals(List.of("zeroconf-test announce " + new Announcement("Mandos", port, "", true),
                    "zeroconf-test withdraw"), calls);
        }
    }

    @Test
    void announcerNamesFromServiceProperties() {
        assertEquals("jmdns", ZeroconfPublisher.name("jmdns"));
        assertEquals("avahi", ZeroconfPublisher.name(new String[] {"avahi", "x"}));
        assertNull(ZeroconfPublisher.name(null));
        assertNull(ZeroconfPublisher.name(new String[0]));
    }

    @Test
    void anUnboundChannelHasNoPort() throws IOException {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            assertEquals(0, ZeroconfPublisher.port(channel));
        }
    }

    @Test
    void theJmdnsAnnouncerOpensOnItsThreadAndWithdrawWaitsForTheClose() throws Exception {
        FakeResponders responders = new FakeResponders();
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        JmdnsAnnouncer announcer = new JmdnsAnnouncer(thread, () -> List.of(up("eth0", LL, V4)), responders,
                () -> "host", Runnable::run);
        announcer.announce(new Announcement("Mandos", 10999, "", true));
        announcer.withdraw(); // queued after the announcement
        assertEquals(2, responders.opened.size());
        assertEquals(List.of(), responders.live());
        announcer.deactivate();
        assertTrue(thread.isShutdown());
        announcer.announce(new Announcement("Mandos", 10999, "", true)); // after deactivation: ignored
        announcer.withdraw();
        assertEquals(2, responders.opened.size());
    }
}

package org.mandos.zeroconf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mandos.api.Announcement;
import org.mandos.api.Announcer;

class PublicationTest {

    /** Every call to every fake announcer, in order, as "name announce <announcement>" or "name withdraw". */
    final List<String> calls = new ArrayList<>();

    final class FakeAnnouncer implements Announcer {
        final String name;
        boolean failing;

        FakeAnnouncer(String name) {
            this.name = name;
        }

        @Override
        public void announce(Announcement announcement) throws Exception {
            calls.add(name + " announce " + announcement.serviceName() + ":" + announcement.port() + ":"
                    + announcement.interfaceName() + ":" + announcement.ipv6());
            if (failing) {
                throw new IllegalStateException("daemon gone");
            }
        }

        @Override
        public void withdraw() throws Exception {
            calls.add(name + " withdraw");
            if (failing) {
                throw new IllegalStateException("daemon gone");
            }
        }
    }

    static PublisherSettings settings(String announcer) {
        return new PublisherSettings(true, "Mandos", "", true, announcer);
    }

    final FakeAnnouncer jmdns = new FakeAnnouncer("jmdns");
    final FakeAnnouncer avahi = new FakeAnnouncer("avahi");
    final Object socket = new Object();

    @Test
    void autoUsesJmdnsWhenThereIsNoAvahi() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(jmdns, "jmdns");
        p.listenerAdded(socket, 10999);
        assertEquals(List.of("jmdns announce Mandos:10999::true"), calls);
        assertEquals("jmdns", p.activeAnnouncer());
        assertEquals(new Announcement("Mandos", 10999, "", true), p.announced());
    }

    @Test
    void theAnnouncementCarriesTheSettings() {
        Publication p = new Publication(new PublisherSettings(true, "Vault", "eth1", false, "auto"));
        p.listenerAdded(socket, 4242);
        p.announcerAdded(jmdns, "jmdns");
        assertEquals(List.of("jmdns announce Vault:4242:eth1:false"), calls);
    }

    @Test
    void autoSwitchesToAvahiWhenItAppearsAndBackWhenItGoes() {
        Publication p = new Publication(settings("auto"));
        p.listenerAdded(socket, 10999);
        p.announcerAdded(jmdns, "jmdns");
        p.announcerAdded(avahi, "avahi");
        assertEquals(List.of("jmdns announce Mandos:10999::true", "jmdns withdraw",
                "avahi announce Mandos:10999::true"), calls);
        calls.clear();
        p.announcerRemoved(avahi); // a departed announcer is not called again
        assertEquals(List.of("jmdns announce Mandos:10999::true"), calls);
        assertEquals("jmdns", p.activeAnnouncer());
    }

    @Test
    void autoPrefersAvahiWhicheverComesFirst() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(avahi, "avahi");
        p.announcerAdded(jmdns, "jmdns");
        p.listenerAdded(socket, 10999);
        assertEquals(List.of("avahi announce Mandos:10999::true"), calls);
        calls.clear();
        p.announcerRemoved(jmdns);
        assertEquals(List.of(), calls);
    }

    @Test
    void aForcedAnnouncerIsWaitedForWithOneWarning() {
        Publication p;
        try (LogCapture log = new LogCapture()) {
            p = new Publication(settings("avahi"));
            p.listenerAdded(socket, 10999);
            p.announcerAdded(jmdns, "jmdns");
            p.announcerRemoved(jmdns);
            assertEquals(1, log.count("WARN org.mandos.zeroconf.internal.Publication - Zeroconf announcer 'avahi'"
                    + " (announcer = avahi in mandos.conf) is not available; the server is not announced until it"
                    + " appears"));
        }
        assertEquals(List.of(), calls);
        p.announcerAdded(avahi, "avahi");
        p.announcerAdded(jmdns, "jmdns");
        assertEquals(List.of("avahi announce Mandos:10999::true"), calls);
        calls.clear();
        try (LogCapture log = new LogCapture()) {
            p.announcerRemoved(avahi);
            assertEquals(1, log.count("Zeroconf announcer 'avahi' (announcer = avahi in mandos.conf) is not"
                    + " available"));
        }
        assertEquals(List.of(), calls);
        assertNull(p.activeAnnouncer());
    }

    @Test
    void forcedJmdnsIgnoresAvahi() {
        Publication p = new Publication(settings("jmdns"));
        p.listenerAdded(socket, 10999);
        p.announcerAdded(avahi, "avahi");
        p.announcerAdded(jmdns, "jmdns");
        assertEquals(List.of("jmdns announce Mandos:10999::true"), calls);
    }

    @Test
    void zeroconfOffAnnouncesNothing() {
        Publication p = new Publication(new PublisherSettings(false, "Mandos", "", true, "auto"));
        p.listenerAdded(socket, 10999);
        p.announcerAdded(jmdns, "jmdns");
        p.announcerAdded(avahi, "avahi");
        p.close();
        assertEquals(List.of(), calls);
    }

    @Test
    void nothingIsAnnouncedWithoutAListeningSocket() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(jmdns, "jmdns");
        assertEquals(List.of(), calls);
        p.listenerAdded(socket, 10999);
        p.listenerRemoved(socket);
        assertEquals(List.of("jmdns announce Mandos:10999::true", "jmdns withdraw"), calls);
        assertNull(p.announced());
    }

    @Test
    void socketsShareThePortAndOnlyTheLastOneGoingAwayWithdraws() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(jmdns, "jmdns");
        Object v4 = new Object();
        Object v6 = new Object();
        p.listenerAdded(v4, 10999);
        p.listenerAdded(v6, 10999);
        p.listenerRemoved(v4);
        assertEquals(List.of("jmdns announce Mandos:10999::true"), calls);
        p.listenerRemoved(v6);
        assertEquals(List.of("jmdns announce Mandos:10999::true", "jmdns withdraw"), calls);
    }

    @Test
    void aNewPortIsAnnouncedAgainOnTheSameAnnouncer() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(jmdns, "jmdns");
        Object first = new Object();
        p.listenerAdded(first, 10999);
        p.listenerAdded(socket, 2000);
        p.listenerRemoved(first);
        assertEquals(List.of("jmdns announce Mandos:10999::true", "jmdns announce Mandos:2000::true"), calls);
    }

    @Test
    void aFailingAnnouncerIsLoggedAndStillWithdrawnFromOnSwitch() {
        Publication p = new Publication(settings("auto"));
        jmdns.failing = true;
        try (LogCapture log = new LogCapture()) {
            p.announcerAdded(jmdns, "jmdns");
            p.listenerAdded(socket, 10999);
            assertEquals(1, log.count("Zeroconf announcement through the jmdns announcer failed:"
                    + " java.lang.IllegalStateException: daemon gone; the server keeps serving clients that know its"
                    + " address"));
            p.announcerAdded(avahi, "avahi");
            assertEquals(1, log.count("Withdrawing the Zeroconf announcement through the jmdns announcer failed"));
        }
        assertEquals(List.of("jmdns announce Mandos:10999::true", "jmdns withdraw",
                "avahi announce Mandos:10999::true"), calls);
    }

    @Test
    void closeWithdrawsAndNothingHappensAfterwards() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(jmdns, "jmdns");
        p.listenerAdded(socket, 10999);
        p.close();
        p.announcerAdded(avahi, "avahi");
        assertEquals(List.of("jmdns announce Mandos:10999::true", "jmdns withdraw"), calls);
    }

    @Test
    void anAnnouncerWithoutANameIsNeverChosen() {
        Publication p = new Publication(settings("auto"));
        p.announcerAdded(jmdns, null);
        p.listenerAdded(socket, 10999);
        assertEquals(List.of(), calls);
    }

    @Test
    void settingsFromFrameworkProperties() {
        assertEquals(new PublisherSettings(true, "Mandos", "", true, "auto"), PublisherSettings.from(k -> null));
        Map<String, String> p = Map.of("mandos.zeroconf", "false", "mandos.servicename", " Vault ",
                "mandos.interface", "eth0", "mandos.use_ipv6", "False", "mandos.announcer", "AVAHI");
        assertEquals(new PublisherSettings(false, "Vault", "eth0", false, "avahi"), PublisherSettings.from(p::get));
        Map<String, String> odd = Map.of("mandos.zeroconf", "maybe", "mandos.servicename", "  ",
                "mandos.announcer", "");
        assertEquals(new PublisherSettings(true, "Mandos", "", true, "auto"), PublisherSettings.from(odd::get));
    }
}

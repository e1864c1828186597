package org.mandos.zeroconf.avahi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mandos.api.Announcement;

/**
 * The announcer against a real avahi-daemon on a private D-Bus system bus, in network namespaces (see
 * {@link AvahiSandbox}); what it publishes is checked with avahi-browse.
 */
class AvahiDaemonTest {

    private static AvahiSandbox sandbox;

    @BeforeAll
    static void startAvahi() throws Exception {
        AvahiSandbox.assumeAvailable();
        sandbox = AvahiSandbox.start(null);
        sandbox.startAvahi("a", "mandos-a", true, null);
    }

    @AfterAll
    static void stopAvahi() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A publication and its link to the private bus, recording availability changes. */
    private static final class Announcing implements AvahiLink.Availability, AutoCloseable {

        final AvahiPublication publication = new AvahiPublication(AvahiPublication.DEFAULT_MAX_RENAMES,
                AvahiAnnouncer::interfaceIndex);
        final AvahiLink link = new AvahiLink(List.of(sandbox.socketAddress), Duration.ofMillis(500), publication, this);
        final List<Boolean> changes = new CopyOnWriteArrayList<>();
        volatile boolean available;

        Announcing() {
            link.start();
        }

        Announcing awaitAvailable() {
            AvahiSandbox.await("the Avahi announcer to be available", () -> available);
            return this;
        }

        @Override
        public void available() {
            available = true;
            changes.add(true);
        }

        @Override
        public void unavailable() {
            available = false;
            changes.add(false);
        }

        @Override
        public void close() {
            link.stop();
        }
    }

    private static boolean shows(List<AvahiSandbox.Found> found, String name, int port) {
        return found.stream().anyMatch(f -> f.name().equals(name) && f.port() == port);
    }

    @Test
    void anAnnouncementIsPublishedAndWithdrawn() throws Exception {
        try (Announcing a = new Announcing().awaitAvailable()) {
            a.publication.announce(new Announcement("Mandos Test", 10999, "", false));
            List<AvahiSandbox.Found> found = sandbox.awaitBrowse("'Mandos Test' on port 10999",
                    f -> shows(f, "Mandos Test", 10999));
            List<AvahiSandbox.Found> ours = found.stream().filter(f -> f.name().equals("Mandos Test")).toList();
            assertTrue(ours.stream().allMatch(f -> f.protocol().equals("IPv4")), ours.toString()); // PROTO_INET
            assertTrue(ours.stream().allMatch(f -> f.host().equals("mandos-a.local")), ours.toString());
            a.publication.withdraw();
            sandbox.awaitBrowse("'Mandos Test' withdrawn",
                    f -> f.stream().noneMatch(x -> x.name().equals("Mandos Test")));
        }
    }

    @Test
    void ipv6MeansProtocolInet6AndAnInterfaceNameLimitsItToThatInterface() throws Exception {
        try (Announcing a = new Announcing().awaitAvailable()) {
            // IPv6 multicast does not work on loopback, so this one is seen on the veth link only
            a.publication.announce(new Announcement("Mandos Six", 10998, "", true));
            List<AvahiSandbox.Found> found = sandbox.awaitBrowse("'Mandos Six' on port 10998",
                    f -> shows(f, "Mandos Six", 10998));
            assertTrue(found.stream().filter(f -> f.name().equals("Mandos Six"))
                    .allMatch(f -> f.protocol().equals("IPv6")), found.toString());
            a.publication.withdraw();
            // "lo" has index 1 in every namespace, so its index here is its index in the sandbox
            a.publication.announce(new Announcement("Mandos Lo", 10995, "lo", false));
            found = sandbox.awaitBrowse("'Mandos Lo' on port 10995", f -> shows(f, "Mandos Lo", 10995));
            assertTrue(found.stream().filter(f -> f.name().equals("Mandos Lo"))
                    .allMatch(f -> f.iface().equals("lo") && f.protocol().equals("IPv4")), found.toString());
        }
    }

    @Test
    void twoAnnouncersWithOneNameBecomeMandosAndMandos2() throws Exception {
        try (Announcing first = new Announcing().awaitAvailable();
                Announcing second = new Announcing().awaitAvailable()) {
            first.publication.announce(new Announcement("Mandos", 10001, "", false));
            second.publication.announce(new Announcement("Mandos", 10002, "", false));
            assertEquals("Mandos", first.publication.publishedName());
            assertEquals("Mandos #2", second.publication.publishedName());
            sandbox.awaitBrowse("'Mandos' on 10001 and 'Mandos #2' on 10002",
                    f -> shows(f, "Mandos", 10001) && shows(f, "Mandos #2", 10002));
        }
        sandbox.awaitBrowse("both withdrawn by stop()", f -> f.stream().noneMatch(x -> x.name().startsWith("Mandos")
                && (x.port() == 10001 || x.port() == 10002)));
    }

    @Test
    void aRestartedAvahiGetsTheServiceAgainAndTheAnnouncerFollowsIt() throws Exception {
        try (Announcing a = new Announcing().awaitAvailable()) {
            a.publication.announce(new Announcement("Mandos Restart", 10997, "", false));
            sandbox.awaitBrowse("'Mandos Restart'", f -> shows(f, "Mandos Restart", 10997));
            sandbox.stopAvahi("a");
            AvahiSandbox.await("the Avahi announcer to go away with Avahi", () -> !a.available);
            sandbox.startAvahi("a", "mandos-a", true, null);
            a.awaitAvailable();
            // Nothing is published by itself (the publisher may have moved the announcement to jmdns
            // meanwhile): it announces again through the announcer that came back.
            assertNull(a.publication.publishedName());
            a.publication.announce(new Announcement("Mandos Restart", 10997, "", false));
            sandbox.awaitBrowse("'Mandos Restart' after the restart", f -> shows(f, "Mandos Restart", 10997));
            assertEquals(List.of(true, false, true), a.changes);
        }
    }

    @Test
    void aNameTakenOnTheNetworkIsRenamedAfterTheGroupCollision() throws Exception {
        // Another host (namespace b, its own avahi-daemon without D-Bus) already publishes "Mandos Net".
        sandbox.startAvahi("b", "mandos-b", false, "Mandos Net");
        try (Announcing a = new Announcing().awaitAvailable()) {
            sandbox.awaitBrowse("the other host's 'Mandos Net'", f -> shows(f, "Mandos Net", 1));
            a.publication.announce(new Announcement("Mandos Net", 10996, "", false));
            sandbox.awaitBrowse("'Mandos Net #2' on 10996 besides the other host's 'Mandos Net'",
                    f -> shows(f, "Mandos Net #2", 10996) && shows(f, "Mandos Net", 1));
            assertEquals("Mandos Net #2", a.publication.publishedName());
            assertEquals(1, a.publication.renames());
            assertFalse(a.publication.gaveUp());
        } finally {
            sandbox.stopAvahi("b");
        }
    }

    @Test
    void aRestartedSystemBusIsConnectedAgain() throws Exception {
        try (Announcing a = new Announcing().awaitAvailable()) {
            a.publication.announce(new Announcement("Mandos Bus", 10994, "", false));
            sandbox.awaitBrowse("'Mandos Bus'", f -> shows(f, "Mandos Bus", 10994));
            sandbox.restartBus();
            AvahiSandbox.await("the Avahi announcer to go away with the bus", () -> !a.available);
            // avahi-daemon exits when it loses the bus ("Disconnected from D-Bus, exiting."); systemd
            // would start it again
            sandbox.startAvahi("a", "mandos-a", true, null);
            a.awaitAvailable();
            a.publication.announce(new Announcement("Mandos Bus", 10994, "", false));
            sandbox.awaitBrowse("'Mandos Bus' on the new bus", f -> shows(f, "Mandos Bus", 10994));
            assertEquals(List.of(true, false, true), a.changes);
        }
    }
}

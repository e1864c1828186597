package org.mandos.zeroconf.avahi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mandos.api.Announcement;

/** The announcement's state machine against a fake Avahi: publishing, collisions and renames, server states. */
class AvahiPublicationTest {

    private static final String G1 = "/Client1/EntryGroup1";
    private static final String G2 = "/Client1/EntryGroup2";
    private static final Announcement MANDOS = new Announcement("Mandos", 10999, "", true);

    private final FakeAvahi avahi = new FakeAvahi("Client1");
    private final Map<String, Integer> interfaces = Map.of("eth0", 2, "br-lan", 7);

    private AvahiPublication publication(int maxRenames) {
        return new AvahiPublication(maxRenames, name -> {
            Integer index = interfaces.get(name);
            if (index == null) {
                throw new IllegalArgumentException("no network interface named " + name);
            }
            return index;
        });
    }

    /** A publication attached to the fake Avahi, which is RUNNING. */
    private AvahiPublication running(int maxRenames) {
        AvahiPublication p = publication(maxRenames);
        p.attach(avahi);
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        return p;
    }

    @Test
    void announceCreatesAGroupAddsTheServiceAndCommits() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        assertEquals(List.of("EntryGroupNew " + G1, "AddService " + G1 + " -1 1 Mandos _mandos._tcp 10999",
                "Commit " + G1), avahi.take());
        assertEquals("Mandos", p.publishedName());
    }

    @Test
    void ipv4AndAnInterfaceGiveProtocolInetAndTheInterfaceIndex() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(new Announcement("Mandos", 1234, "br-lan", false));
        assertEquals(List.of("EntryGroupNew " + G1, "AddService " + G1 + " 7 0 Mandos _mandos._tcp 1234",
                "Commit " + G1), avahi.take());
    }

    @Test
    void anUnknownInterfaceFailsTheAnnouncementWithoutCallingAvahi() {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        assertThrows(IllegalArgumentException.class, () -> p.announce(new Announcement("Mandos", 1, "nope0", true)));
        assertEquals(List.of(), avahi.take());
        assertNull(p.publishedName());
    }

    @Test
    void theSameAnnouncementAgainIsANoOpAndAnotherReplacesTheServiceInTheSameGroup() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.announce(new Announcement("Mandos", 10999, "", true));
        assertEquals(List.of(), avahi.take());
        p.announce(new Announcement("Mandos", 4711, "eth0", true));
        assertEquals(List.of("Reset " + G1, "AddService " + G1 + " 2 1 Mandos _mandos._tcp 4711", "Commit " + G1),
                avahi.take());
    }

    @Test
    void anAnnouncementBeforeRunningWaitsForRunning() throws Exception {
        AvahiPublication p = publication(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);                      // no Avahi at all yet
        p.attach(avahi);
        p.serverState(AvahiPublication.SERVER_REGISTERING, "");
        p.announce(MANDOS);
        assertEquals(List.of(), avahi.take());
        assertFalse(p.running());
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        assertTrue(p.running());
        assertEquals(List.of("EntryGroupNew " + G1, "AddService " + G1 + " -1 1 Mandos _mandos._tcp 10999",
                "Commit " + G1), avahi.take());
        p.serverState(AvahiPublication.SERVER_RUNNING, "");   // a repeated RUNNING adds nothing
        assertEquals(List.of(), avahi.take());
    }

    @Test
    void aGroupCollisionRenamesResetsAndAddsAgain() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.groupState(G1, AvahiPublication.GROUP_REGISTERING, "");
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        assertEquals(List.of("GetAlternativeServiceName Mandos", "Reset " + G1,
                "AddService " + G1 + " -1 1 Mandos #2 _mandos._tcp 10999", "Commit " + G1), avahi.take());
        assertEquals("Mandos #2", p.publishedName());
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        assertEquals("Mandos #3", p.publishedName());
        assertEquals(2, p.renames());
        p.groupState(G1, AvahiPublication.GROUP_ESTABLISHED, "");
        assertEquals("Mandos #3", p.publishedName());
    }

    @Test
    void aLocalCollisionErrorRenamesUntilANameIsFree() throws Exception {
        avahi.localNames.addAll(List.of("Mandos", "Mandos #2"));
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        assertEquals(List.of("EntryGroupNew " + G1,
                "AddService " + G1 + " -1 1 Mandos _mandos._tcp 10999",
                "GetAlternativeServiceName Mandos", "Reset " + G1,
                "AddService " + G1 + " -1 1 Mandos #2 _mandos._tcp 10999",
                "GetAlternativeServiceName Mandos #2", "Reset " + G1,
                "AddService " + G1 + " -1 1 Mandos #3 _mandos._tcp 10999", "Commit " + G1), avahi.take());
        assertEquals("Mandos #3", p.publishedName());
    }

    @Test
    void localCollisionsStopAtTheBoundAndThePublicationGivesUp() throws Exception {
        avahi.localNames.addAll(List.of("Mandos", "Mandos #2", "Mandos #3", "Mandos #4", "Mandos #5"));
        AvahiPublication p = running(3);
        p.announce(MANDOS);                 // gives up without an exception: the server keeps serving
        List<String> calls = avahi.take();
        assertEquals(3, calls.stream().filter(c -> c.startsWith("GetAlternativeServiceName")).count());
        assertEquals(4, calls.stream().filter(c -> c.startsWith("AddService")).count());
        assertEquals("Free " + G1, calls.get(calls.size() - 1));
        assertTrue(p.gaveUp());
        assertNull(p.publishedName());
        // Neither a new RUNNING nor the same announcement starts again ...
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        p.announce(MANDOS);
        assertEquals(List.of(), avahi.take());
        // ... but a new announcement does.
        avahi.localNames.clear();
        p.announce(new Announcement("Other", 10999, "", true));
        assertEquals(List.of("EntryGroupNew " + G2, "AddService " + G2 + " -1 1 Other _mandos._tcp 10999",
                "Commit " + G2), avahi.take());
        assertFalse(p.gaveUp());
    }

    @Test
    void groupCollisionsStopAtTheBound() throws Exception {
        AvahiPublication p = running(2);
        p.announce(MANDOS);
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        assertEquals("Mandos #3", p.publishedName());
        avahi.take();
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        assertEquals(List.of("Free " + G1), avahi.take());
        assertTrue(p.gaveUp());
        assertEquals(2, p.renames());
    }

    @Test
    void aZeroBoundGivesUpAtTheFirstCollision() throws Exception {
        AvahiPublication p = running(0);
        p.announce(MANDOS);
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        assertTrue(p.gaveUp());
    }

    @Test
    void registeringWithdrawsSilentlyAndRunningAddsTheRenamedServiceAgain() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        avahi.take();
        p.serverState(AvahiPublication.SERVER_REGISTERING, "");
        assertEquals(List.of("Free " + G1), avahi.take());
        assertFalse(p.running());
        assertNull(p.publishedName());
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");   // a late signal of the freed group
        assertEquals(List.of(), avahi.take());
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        assertEquals(List.of("EntryGroupNew " + G2, "AddService " + G2 + " -1 1 Mandos #2 _mandos._tcp 10999",
                "Commit " + G2), avahi.take());
    }

    @Test
    void collisionFailureAndInvalidServerStatesWithdraw() throws Exception {
        for (int state : new int[] {AvahiPublication.SERVER_COLLISION, AvahiPublication.SERVER_FAILURE,
                AvahiPublication.SERVER_INVALID}) {
            FakeAvahi fake = new FakeAvahi("Client" + state);
            AvahiPublication p = publication(AvahiPublication.DEFAULT_MAX_RENAMES);
            p.attach(fake);
            p.serverState(AvahiPublication.SERVER_RUNNING, "");
            p.announce(MANDOS);
            fake.take();
            p.serverState(state, "some error");
            assertEquals(List.of("Free /Client" + state + "/EntryGroup1"), fake.take(), "state " + state);
            assertFalse(p.running());
            p.serverState(AvahiPublication.SERVER_RUNNING, "");
            assertEquals("Mandos", p.publishedName());
        }
    }

    @Test
    void aRestartedAvahiGetsTheServiceAgain() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.detach();                                  // the old Avahi left the bus with its groups
        assertFalse(p.running());
        assertNull(p.publishedName());
        FakeAvahi restarted = new FakeAvahi("Client9");
        p.attach(restarted);
        p.serverState(AvahiPublication.SERVER_REGISTERING, "");
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        assertEquals(List.of("EntryGroupNew /Client9/EntryGroup1",
                "AddService /Client9/EntryGroup1 -1 1 Mandos _mandos._tcp 10999", "Commit /Client9/EntryGroup1"),
                restarted.take());
        assertEquals(List.of(), avahi.take());      // nothing went to the old one
    }

    @Test
    void withdrawFreesTheGroupAndForgetsTheAnnouncement() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.withdraw();
        assertEquals(List.of("Free " + G1), avahi.take());
        p.serverState(AvahiPublication.SERVER_REGISTERING, "");
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        assertEquals(List.of(), avahi.take());
        p.withdraw();                                // nothing to withdraw: no call
        assertEquals(List.of(), avahi.take());
    }

    @Test
    void aGroupFailureDropsTheGroup() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.groupState(G1, AvahiPublication.GROUP_FAILURE, "Not permitted");
        assertEquals(List.of("Free " + G1), avahi.take());
        assertNull(p.publishedName());
    }

    @Test
    void anotherAvahiErrorFailsTheAnnouncementAndFreesTheGroup() {
        avahi.failAddServiceWith = "org.freedesktop.Avahi.InvalidServiceNameError";
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        AvahiException e = assertThrows(AvahiException.class, () -> p.announce(MANDOS));
        assertEquals("org.freedesktop.Avahi.InvalidServiceNameError", e.errorName());
        assertEquals(List.of("EntryGroupNew " + G1, "AddService " + G1 + " -1 1 Mandos _mandos._tcp 10999",
                "Free " + G1), avahi.take());
        assertNull(p.publishedName());
    }

    @Test
    void aClosedPublicationWithdrawsAndRefusesAnnouncements() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.close();
        assertEquals(List.of("Free " + G1), avahi.take());
        assertThrows(IllegalStateException.class, () -> p.announce(MANDOS));
    }

    @Test
    void serverStatesWithoutAnAttachedAvahiAreIgnored() throws Exception {
        AvahiPublication p = publication(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        assertFalse(p.running());
        assertNull(p.publishedName());
    }

    @Test
    void afterSuspendOnlyAnAnnounceAddsTheServiceAgainUnderTheNameRenamesReached() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        p.groupState(G1, AvahiPublication.GROUP_COLLISION, "");
        avahi.take();
        p.serverState(AvahiPublication.SERVER_REGISTERING, "");
        p.suspend();                                 // the announcer is no longer offered
        assertEquals(List.of("Free " + G1), avahi.take());
        p.serverState(AvahiPublication.SERVER_RUNNING, "");
        assertEquals(List.of(), avahi.take());      // not by itself ...
        p.announce(MANDOS);                          // ... but when the publisher announces again
        assertEquals(List.of("EntryGroupNew " + G2, "AddService " + G2 + " -1 1 Mandos #2 _mandos._tcp 10999",
                "Commit " + G2), avahi.take());
    }

    @Test
    void suspendWithdrawsAPublishedService() throws Exception {
        AvahiPublication p = running(AvahiPublication.DEFAULT_MAX_RENAMES);
        p.announce(MANDOS);
        avahi.take();
        p.suspend();
        assertEquals(List.of("Free " + G1), avahi.take());
        assertNull(p.publishedName());
    }
}

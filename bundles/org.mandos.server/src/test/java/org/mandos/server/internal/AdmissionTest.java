package org.mandos.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The connection caps, and how refusals are reported (issue 9, item 2). */
class AdmissionTest {

    private final AtomicLong clock = new AtomicLong();
    private final Admission admission = new Admission(10, 3, clock::get);

    private static InetAddress peer(int n) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
    }

    @Test
    void onePeerGetsNoMoreThanItsShare() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertNull(admission.admit(peer(1)));
        }
        for (int i = 0; i < 2000; i++) {
            assertEquals(Admission.Refusal.PEER_FULL, admission.admit(peer(1)));
        }
        assertNull(admission.admit(peer(2)), "another address still gets in");
        assertEquals(4, admission.open());
    }

    @Test
    void theTotalCapHoldsAcrossPeers() throws Exception {
        for (int i = 1; i <= 10; i++) {
            assertNull(admission.admit(peer(i)));
        }
        assertEquals(Admission.Refusal.FULL, admission.admit(peer(11)));
        admission.release(peer(4));
        assertNull(admission.admit(peer(11)), "a closed connection frees its place");
        assertEquals(Admission.Refusal.FULL, admission.admit(peer(12)));
    }

    @Test
    void everythingReturnsToZeroWhenAllClose() throws Exception {
        for (int i = 0; i < 3; i++) {
            admission.admit(peer(1));
            admission.admit(peer(2));
        }
        for (int i = 0; i < 3; i++) {
            admission.release(peer(1));
            admission.release(peer(2));
        }
        assertEquals(0, admission.open());
        assertEquals(0, admission.peers(), "no per-address entry is kept for a peer with nothing open");
        assertThrows(IllegalStateException.class, () -> admission.release(peer(1)));
    }

    @Test
    void aFloodOfRefusalsIsReportedOncePerPeriodWithTheNumberLeftOut() {
        assertEquals("3 connections from that address already open", admission.report(Admission.Refusal.PEER_FULL));
        for (int i = 0; i < 1999; i++) {
            assertNull(admission.report(Admission.Refusal.PEER_FULL));
        }
        assertEquals("10 connections already open", admission.report(Admission.Refusal.FULL),
                "each reason has its own period");
        clock.addAndGet(Admission.REPORT_EVERY.minusNanos(1).toNanos());
        assertNull(admission.report(Admission.Refusal.PEER_FULL));
        clock.addAndGet(1);
        assertEquals("3 connections from that address already open (and 2000 more refused for the same reason,"
                + " not logged, in the last 10 s)", admission.report(Admission.Refusal.PEER_FULL));
        clock.addAndGet(Duration.ofMinutes(5).toNanos());
        assertEquals("3 connections from that address already open", admission.report(Admission.Refusal.PEER_FULL),
                "nothing left out since the last report");
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Admission(0, 1, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new Admission(1, 0, clock::get));
    }
}

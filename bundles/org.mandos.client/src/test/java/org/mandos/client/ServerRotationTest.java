package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerRotationTest {

    static final long S = 1_000_000_000L;
    static final ServerAddress A = new ServerAddress("fe80::1", "eth0", 10999);
    static final ServerAddress B = new ServerAddress("192.0.2.7", null, 10999);
    static final ServerAddress C = new ServerAddress("192.0.2.8", null, 4711);

    @Test
    void emptyIsIdle() {
        ServerRotation r = new ServerRotation(10 * S);
        assertSame(ServerRotation.Idle.INSTANCE, r.next(0));
        assertEquals(0, r.size());
    }

    @Test
    void newServersAreDueAtOnceInTheOrderFound() {
        ServerRotation r = new ServerRotation(10 * S);
        assertTrue(r.add(A));
        assertTrue(r.add(B));
        assertEquals(new ServerRotation.Try(A), r.next(0));
        assertEquals(new ServerRotation.Try(A), r.next(0), "next() changes nothing");
        r.tried(A, 0);
        assertEquals(new ServerRotation.Try(B), r.next(0));
        r.tried(B, 1 * S);
        assertEquals(new ServerRotation.Wait(10 * S), r.next(0));
    }

    @Test
    void aNewServerGoesBeforeADueRetry() {
        ServerRotation r = new ServerRotation(10 * S);
        r.add(A);
        r.tried(A, 0);
        r.add(B);
        assertEquals(new ServerRotation.Try(B), r.next(20 * S));
    }

    @Test
    void leastRecentlyTriedIsRetriedAfterTheRetryIntervalSinceItsLastAttempt() {
        ServerRotation r = new ServerRotation(10 * S);
        r.add(A);
        r.add(B);
        r.tried(A, 0);
        r.tried(B, 3 * S);
        assertEquals(new ServerRotation.Wait(10 * S), r.next(0));
        assertEquals(new ServerRotation.Wait(1), r.next(10 * S - 1));
        assertEquals(new ServerRotation.Try(A), r.next(10 * S));
        r.tried(A, 10 * S);
        assertEquals(new ServerRotation.Wait(3 * S), r.next(10 * S));
        assertEquals(new ServerRotation.Try(B), r.next(13 * S));
        r.tried(B, 14 * S);
        assertEquals(new ServerRotation.Try(A), r.next(30 * S), "late: still the least recently tried first");
    }

    @Test
    void duplicatesAreIgnoredAndKeepTheirPlace() {
        ServerRotation r = new ServerRotation(10 * S);
        r.add(A);
        r.tried(A, 0);
        assertFalse(r.add(A));
        assertFalse(r.add(new ServerAddress("fe80::1", "eth0", 10999)));
        assertTrue(r.add(new ServerAddress("fe80::1", "eth1", 10999)), "another zone is another server");
        assertTrue(r.add(C));
        assertEquals(3, r.size());
        assertEquals(new ServerRotation.Try(new ServerAddress("fe80::1", "eth1", 10999)), r.next(1 * S));
    }

    @Test
    void serversNeverLeave() {
        ServerRotation r = new ServerRotation(S);
        r.add(A);
        for (int i = 0; i < 100; i++) {
            assertEquals(new ServerRotation.Try(A), r.next(i * 2 * S));
            r.tried(A, i * 2 * S);
        }
        assertEquals(1, r.size());
    }

    @Test
    void unknownServerAndNegativeRetryAreRejected() {
        ServerRotation r = new ServerRotation(0);
        assertThrows(IllegalArgumentException.class, () -> r.tried(A, 0));
        assertThrows(IllegalArgumentException.class, () -> new ServerRotation(-1));
    }
}

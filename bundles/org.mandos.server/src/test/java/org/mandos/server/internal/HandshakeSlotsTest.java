package org.mandos.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeSlotsTest {

    /** A peer's stream: nothing is ever "available" before a read, and each read reports the free slots. */
    private static final class SilentUntilRead extends InputStream {
        private final HandshakeSlots slots;
        private final byte[] data;
        private int position;
        final List<Integer> freeDuringRead = new ArrayList<>();

        SilentUntilRead(HandshakeSlots slots, byte[] data) {
            this.slots = slots;
            this.data = data;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public int read() {
            freeDuringRead.add(slots.available());
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            freeDuringRead.add(slots.available());
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }

    @Test
    void aPassGivesItsSlotBackWhileWaitingForThePeerAndTakesItAgainForTheData() throws IOException {
        HandshakeSlots slots = new HandshakeSlots(1);
        SilentUntilRead peer = new SilentUntilRead(slots, new byte[] {1, 2, 3});
        try (HandshakeSlots.Pass pass = slots.pass()) {
            pass.acquire();
            assertEquals(0, slots.available());
            InputStream in = pass.gate(peer);
            assertEquals(1, in.read());
            assertEquals(List.of(1), peer.freeDuringRead, "the slot is free while the read waits");
            assertTrue(pass.held());
            assertEquals(0, slots.available(), "held again once data arrived");
        }
        assertEquals(1, slots.available(), "closing the pass frees the slot");
    }

    @Test
    void bytesAlreadyReceivedAreReadWithoutLettingGo() throws IOException {
        HandshakeSlots slots = new HandshakeSlots(1);
        SilentUntilRead peer = new SilentUntilRead(slots, new byte[] {1, 2, 3});
        try (HandshakeSlots.Pass pass = slots.pass()) {
            pass.acquire();
            InputStream in = pass.gate(peer);
            assertEquals(1, in.read());
            byte[] rest = new byte[5];
            assertEquals(2, in.read(rest, 0, 5));
            assertEquals(2, rest[0]);
            assertEquals(3, rest[1]);
            assertEquals(List.of(1), peer.freeDuringRead, "one read of the socket for the whole flight");
            assertTrue(pass.held());
            assertEquals(-1, in.read(), "then the end of the stream");
        }
    }

    @Test
    void theEndOfTheStreamDoesNotWaitForASlotAgain() throws IOException {
        HandshakeSlots slots = new HandshakeSlots(1);
        try (HandshakeSlots.Pass pass = slots.pass()) {
            pass.acquire();
            InputStream in = pass.gate(new SilentUntilRead(slots, new byte[0]));
            assertEquals(-1, in.read());
            assertFalse(pass.held());
            assertEquals(1, slots.available());
        }
    }

    @Test
    void aPassWithoutASlotReadsStraightThrough() throws IOException {
        HandshakeSlots slots = new HandshakeSlots(1);
        HandshakeSlots.Pass other = slots.pass();
        other.acquire();
        try (HandshakeSlots.Pass pass = slots.pass()) {
            InputStream in = pass.gate(new SilentUntilRead(slots, new byte[] {5}));
            assertEquals(5, in.read(), "no slot is needed after the handshake");
            assertFalse(pass.held());
        } finally {
            other.release();
        }
    }

    @Test
    void waitingForASlotIsInterruptible() {
        HandshakeSlots slots = new HandshakeSlots(1);
        HandshakeSlots.Pass holder = slots.pass();
        try {
            holder.acquire();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedIOException.class, () -> slots.pass().acquire());
            assertTrue(Thread.interrupted());
        } catch (InterruptedIOException e) {
            throw new AssertionError(e);
        } finally {
            holder.release();
        }
    }

    @Test
    void atLeastOneSlot() {
        assertThrows(IllegalArgumentException.class, () -> new HandshakeSlots(0));
    }
}

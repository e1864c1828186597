package org.mandos.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many connections do TLS handshake work (key generation, key agreement, signature checks) at the
 * same moment, to about one per core, in arrival order. A connection holds a slot while it computes and gives
 * it back whenever it would block waiting for its peer, so a slow or silent peer never holds one.
 *
 * <p>Without the bound, every connection thread competes for the cores at once: with hundreds of handshakes in
 * flight each one advances slowly, the scheduler's choices spread latency widely, and the JIT compiler, which
 * shares the same cores, is starved just when the server starts cold (a boot storm). With it, handshakes are
 * served first come, first served, and the threads waiting for a slot sleep.
 */
final class HandshakeSlots {

    private final Semaphore slots;

    HandshakeSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("at least one handshake slot is needed, not " + slots);
        }
        this.slots = new Semaphore(slots, true);
    }

    /** One per connection and used by its thread only; not thread-safe. */
    Pass pass() {
        return new Pass();
    }

    /** How many slots are free now (for tests). */
    int available() {
        return slots.availablePermits();
    }

    final class Pass implements AutoCloseable {

        private boolean held;

        private Pass() {
        }

        /** Waits for a slot (in arrival order), unless this pass holds one already. */
        void acquire() throws InterruptedIOException {
            if (held) {
                return;
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a handshake slot");
            }
            held = true;
        }

        /** Gives the slot back, if this pass holds one. */
        void release() {
            if (held) {
                held = false;
                slots.release();
            }
        }

        boolean held() {
            return held;
        }

        @Override
        public void close() {
            release();
        }

        /**
         * The stream, buffered, with a read that gives the slot back while it waits for the peer's next bytes
         * and takes one again once they are there. Bytes already buffered are read without letting go (a flight
         * of TLS records usually arrives in one socket read), and no read asks the socket how much it holds,
         * which would cost a system call per TLS record. After an error or the end of the stream it does not
         * wait for a slot again: what follows is only the handshake failing.
         */
        InputStream gate(InputStream in) {
            return new InputStream() {
                private final byte[] buffer = new byte[8192];
                private int position;
                private int limit;

                private boolean fill() throws IOException {
                    boolean hadSlot = held;
                    release();
                    int n = in.read(buffer, 0, buffer.length);
                    if (n <= 0) {
                        return false;
                    }
                    position = 0;
                    limit = n;
                    if (hadSlot) {
                        acquire();
                    }
                    return true;
                }

                @Override
                public int read() throws IOException {
                    if (position == limit && !fill()) {
                        return -1;
                    }
                    return buffer[position++] & 0xff;
                }

                @Override
                public int read(byte[] b, int offset, int length) throws IOException {
                    java.util.Objects.checkFromIndexSize(offset, length, b.length);
                    if (length == 0) {
                        return 0;
                    }
                    if (position == limit && !fill()) {
                        return -1;
                    }
                    int n = Math.min(length, limit - position);
                    System.arraycopy(buffer, position, b, offset, n);
                    position += n;
                    return n;
                }

                @Override
                public int available() {
                    return limit - position;
                }

                @Override
                public void close() {
                    // The connection owns the socket.
                }
            };
        }
    }
}

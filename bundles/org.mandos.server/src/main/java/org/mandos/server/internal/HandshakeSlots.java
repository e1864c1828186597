package org.mandos.server.internal;

import java.io.FilterInputStream;
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
         * The stream with a read that gives the slot back while it waits for data that has not arrived, and
         * takes one again once data is there. After an error or the end of the stream it does not wait for a
         * slot again: what follows is only the handshake failing.
         */
        InputStream gate(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    if (!held || in.available() > 0) {
                        return in.read();
                    }
                    release();
                    int b = in.read();
                    if (b >= 0) {
                        acquire();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (!held || length == 0 || in.available() > 0) {
                        return in.read(buffer, offset, length);
                    }
                    release();
                    int n = in.read(buffer, offset, length);
                    if (n >= 0) {
                        acquire();
                    }
                    return n;
                }

                @Override
                public void close() {
                    // The connection owns the socket.
                }
            };
        }
    }
}

package org.mandos.tls.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The caller's socket streams as Bouncy Castle sees them. They never close the socket (the caller owns it
 * and closes it after the TLS close), they notice when the peer ended the stream, and they send each flight
 * of TLS records in one write: Bouncy Castle flushes after every record, which on a socket means one TCP
 * segment per record and, with Nagle's algorithm, delayed-ACK stalls. Written records are held until this
 * side next reads, is closed, or {@link Output#push()} is called.
 */
final class TransportStreams {

    private TransportStreams() {
    }

    /** A connected pair: the input pushes pending output before it blocks. */
    static Input input(InputStream in, Output output) {
        return new Input(in, output);
    }

    /** An input stream that sends pending output before reading, ignores close() and records end of stream. */
    static final class Input extends FilterInputStream {

        private final Output output;
        private volatile boolean ended;

        private Input(InputStream in, Output output) {
            super(in);
            this.output = output;
        }

        boolean ended() {
            return ended;
        }

        @Override
        public int read() throws IOException {
            output.push();
            int b = super.read();
            if (b < 0) {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            output.push();
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }

    /** An output stream that holds records until {@link #push()}; close() pushes but does not close. */
    static final class Output extends OutputStream {

        private final OutputStream out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(2048);

        Output(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            pending.write(buffer, offset, length);
        }

        /** Deferred: Bouncy Castle calls this after every record. */
        @Override
        public void flush() {
        }

        /** Writes and flushes everything held. */
        void push() throws IOException {
            if (pending.size() > 0) {
                try {
                    pending.writeTo(out);
                } finally {
                    pending.reset();
                }
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            push();
        }
    }
}

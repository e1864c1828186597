package org.mandos.tls.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wrappers that stop Bouncy Castle from closing the caller's socket streams (the caller owns the socket
 * and closes it after the TLS close), and that notice when the peer ended the stream.
 */
final class TransportStreams {

    private TransportStreams() {
    }

    /** An input stream that ignores close() and records end of stream. */
    static final class Input extends FilterInputStream {

        private volatile boolean ended;

        Input(InputStream in) {
            super(in);
        }

        boolean ended() {
            return ended;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
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

    /** An output stream that writes arrays in one call and turns close() into flush(). */
    static final class Output extends FilterOutputStream {

        Output(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}

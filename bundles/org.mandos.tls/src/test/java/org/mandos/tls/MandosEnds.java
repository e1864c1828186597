package org.mandos.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.KeyPair;
import java.security.SecureRandom;

/** The two ends of a Mandos exchange, as the real programs run them, for loopback tests. */
final class MandosEnds {

    static final SecureRandom RANDOM = new SecureRandom();

    private MandosEnds() {
    }

    /**
     * The Mandos server: reads the protocol line, does the TLS handshake (as TLS client), then sends
     * {@code secret} (or nothing, if null) and closes.
     */
    static Loopback.Side<PeerSession> server(TlsPolicy policy, byte[] secret) {
        return socket -> {
            InputStream in = socket.getInputStream();
            readProtocolLine(in);
            PeerSession session = RawKeyTlsClient.handshake(in, socket.getOutputStream(), policy, RANDOM);
            if (secret == null) {
                session.closeWithoutData();
            } else {
                session.sendAndClose(secret);
            }
            return session;
        };
    }

    /** The Mandos client: writes the protocol line, presents {@code key}, and returns what it received. */
    static Loopback.Side<byte[]> client(TlsPolicy policy, KeyPair key) {
        return socket -> {
            writeProtocolLine(socket);
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), policy, key, RANDOM);
        };
    }

    static void writeProtocolLine(Socket socket) throws IOException {
        socket.getOutputStream().write("1\r\n".getBytes(US_ASCII));
        socket.getOutputStream().flush();
    }

    static void readProtocolLine(InputStream in) throws IOException {
        byte[] expected = "1\r\n".getBytes(US_ASCII);
        for (byte b : expected) {
            int read = in.read();
            if (read < 0) {
                throw new EOFException("no protocol line");
            }
            if (read != b) {
                throw new IOException("unexpected protocol line byte " + read);
            }
        }
    }
}

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
    private static final java.util.Map<String, KeyPair> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    private MandosEnds() {
    }

    /** A key of {@code type} ({@link KeyFiles#generate}), made once per test run. */
    static KeyPair key(String type) {
        return KEYS.computeIfAbsent(type, KeyFiles::generate);
    }

    /** {@code length} random bytes. */
    static byte[] secret(int length) {
        byte[] secret = new byte[length];
        RANDOM.nextBytes(secret);
        return secret;
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

    /**
     * The Mandos server on the non-blocking exchange, fed {@code chunk} bytes at a time: reads the protocol
     * line, does the handshake, then sends {@code secret} (or nothing, if null) and closes.
     */
    static Loopback.Side<TlsPeer> nonBlockingServer(TlsPolicy policy, byte[] secret, int chunk) {
        return socket -> {
            readProtocolLine(socket.getInputStream());
            TlsClientExchange exchange = RawKeyTlsClient.start(policy, RANDOM);
            pump(socket, exchange, chunk, exchange::handshakeComplete);
            if (secret == null) {
                exchange.closeWithoutData();
            } else {
                exchange.sendAndClose(secret);
            }
            pump(socket, exchange, chunk, exchange::peerClosed);
            return exchange.peer();
        };
    }

    /** Sends the exchange's output and feeds it input until {@code done}; end of stream goes to inputEnded. */
    static void pump(Socket socket, TlsClientExchange exchange, int chunk, java.util.function.BooleanSupplier done)
            throws IOException, TlsFailure {
        byte[] buffer = new byte[chunk];
        while (true) {
            send(socket, exchange);
            if (done.getAsBoolean()) {
                return;
            }
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                exchange.inputEnded();
                send(socket, exchange);
                return;
            }
            exchange.received(buffer, 0, n);
        }
    }

    static void send(Socket socket, TlsClientExchange exchange) throws IOException {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(512);
        while (exchange.outputAvailable() > 0) {
            out.clear();
            exchange.takeOutput(out);
            socket.getOutputStream().write(out.array(), 0, out.position());
        }
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

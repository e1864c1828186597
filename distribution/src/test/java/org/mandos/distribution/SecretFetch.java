package org.mandos.distribution;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/** One fetch as a Mandos client makes it, with this project's TLS code: the bytes sent, empty when refused. */
final class SecretFetch {

    private SecretFetch() {
    }

    /** Connects to the server on loopback {@code port} and fetches with {@code key}. */
    static byte[] fetch(int port, KeyPair key) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                    key, new SecureRandom());
        }
    }
}

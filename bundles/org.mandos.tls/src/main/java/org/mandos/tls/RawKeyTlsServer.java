package org.mandos.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Objects;
import org.mandos.tls.internal.ServerReceive;
import org.mandos.tls.internal.SigningKey;

/**
 * The Mandos client's half of the TLS exchange, for the mandos-client tool and the server's self-test. The
 * client is the TLS <em>server</em>: after writing its protocol line it accepts the handshake, presents its
 * raw public key (RFC 7250) and proves possession of it, then reads the secret until close_notify.
 *
 * <p>Supported keys: Ed25519, Ed448, ECDSA on P-256, P-384 and P-521, and RSA (signing with RSA-PSS, as
 * TLS 1.3 requires). Thread-safe and stateless. As for {@link RawKeyTlsClient}, {@code TCP_NODELAY} on the
 * socket avoids delayed-ACK stalls.
 */
public final class RawKeyTlsServer {

    private RawKeyTlsServer() {
    }

    /**
     * Performs the handshake, reads until the peer's close_notify, answers it with close_notify and returns
     * the data. Blocks; the caller bounds it by closing the socket. The streams are not closed.
     *
     * @param in     the connection's input
     * @param out    the connection's output, after the protocol line was written
     * @param policy the TLS parameters (from the priority string)
     * @param key    the client's key pair; its public key is what the server's {@code key_id} names
     * @param random randomness for the handshake
     * @return the bytes received; empty when the server sent nothing (a denial)
     * @throws TlsFailure {@link TlsFailure.Kind#TRUNCATED} if the stream ended without close_notify (the data
     *                    is discarded, as the reference client does); {@link TlsFailure.Kind#NO_RAW_PUBLIC_KEY}
     *                    if the peer does not accept a raw public key over TLS 1.3; otherwise
     *                    {@link TlsFailure.Kind#PROTOCOL} or {@link TlsFailure.Kind#CONNECTION}
     * @throws IllegalArgumentException if the key type is not supported
     */
    public static byte[] receive(InputStream in, OutputStream out, TlsPolicy policy, KeyPair key, SecureRandom random)
            throws TlsFailure {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(random, "random");
        return ServerReceive.run(in, out, policy.parameters(), SigningKey.of(key), random);
    }
}

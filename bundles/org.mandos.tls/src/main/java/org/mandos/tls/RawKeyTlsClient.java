package org.mandos.tls;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Objects;
import org.mandos.tls.internal.ClientHandshake;
import org.mandos.tls.internal.NonBlockingExchange;

/**
 * The Mandos server's half of the TLS exchange. Roles are reversed: after the Mandos client has sent its
 * protocol line ({@code 1\r\n}), the server is the TLS <em>client</em>. It offers TLS 1.3 only, asks for an
 * RFC 7250 raw public key as the server certificate (server_certificate_type = RawPublicKey), presents no
 * certificate itself, and sends no SNI, session ticket or OCSP request.
 *
 * <p>Each flight of TLS records goes out in one write. Still, set {@code TCP_NODELAY} on the socket
 * ({@link java.net.Socket#setTcpNoDelay(boolean)}): the secret follows the handshake's last flight with no
 * read in between, and Nagle's algorithm would otherwise hold it until the peer's delayed ACK (about 40 ms
 * per connection on Linux).
 *
 * <p>Thread-safe and stateless; call it from as many threads as there are connections.
 */
public final class RawKeyTlsClient {

    private RawKeyTlsClient() {
    }

    /**
     * Performs the handshake; blocks until it completes or fails. The caller enforces deadlines by closing
     * the socket, which makes this method fail with {@link TlsFailure.Kind#CONNECTION}. The streams are not
     * closed.
     *
     * @param in     the connection's input, positioned after the protocol line
     * @param out    the connection's output
     * @param policy the TLS parameters (from the priority string)
     * @param random randomness for the handshake; share one instance between connections
     * @return the session, whose {@link PeerSession#keyId()} identifies the verified peer key
     * @throws TlsFailure with kind {@link TlsFailure.Kind#NO_RAW_PUBLIC_KEY} if the peer will not do TLS 1.3
     *                    with a raw public key (as an OpenPGP-only mandos-client),
     *                    {@link TlsFailure.Kind#WRONG_CERTIFICATE_TYPE} if it presents e.g. an X.509
     *                    certificate, otherwise {@link TlsFailure.Kind#PROTOCOL} or
     *                    {@link TlsFailure.Kind#CONNECTION}
     */
    public static PeerSession handshake(InputStream in, OutputStream out, TlsPolicy policy, SecureRandom random)
            throws TlsFailure {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(random, "random");
        return ClientHandshake.run(in, out, policy.parameters(), random);
    }

    /**
     * Starts the same exchange without blocking, for an event loop: the ClientHello is waiting in the
     * exchange's output when this returns.
     *
     * @throws TlsFailure if Bouncy Castle cannot make the hello (no usable parameters)
     */
    public static TlsClientExchange start(TlsPolicy policy, SecureRandom random) throws TlsFailure {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(random, "random");
        return NonBlockingExchange.start(policy.parameters(), random);
    }
}

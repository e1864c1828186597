package org.mandos.tls;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Mandos server's TLS exchange without blocking, for an event loop: the caller moves bytes between
 * the socket and this object, and asks what state it is in. Obtained from {@link RawKeyTlsClient#start};
 * the ClientHello is waiting in the output from the start. Not thread-safe: one thread drives it.
 *
 * <p>The sequence is the same as {@link RawKeyTlsClient#handshake} and {@link PeerSession}: feed
 * {@link #received} until {@link #handshakeComplete()}, then end with exactly one of {@link #sendAndClose}
 * or {@link #closeWithoutData}, send all output, and feed input until {@link #peerClosed()}. After every
 * call that may produce output (all of them), send what {@link #takeOutput} gives. On a failure, the output
 * may hold an alert for the peer; send it if the socket takes it, then close the socket.
 */
@ProviderType
public interface TlsClientExchange {

    /**
     * Processes bytes read from the peer. Bytes that complete the handshake and go on count as they would
     * in a later call: application data or close_notify after the peer's Finished make the peer
     * {@link #peerGone() gone}, and a record that breaks the session fails it as after the handshake.
     *
     * @throws TlsFailure as {@link RawKeyTlsClient#handshake} does during the handshake; afterwards
     *                    {@link TlsFailure.Kind#PROTOCOL} for a record that does not decrypt, an alert, or a
     *                    handshake message not allowed after the handshake (HelloRequest, CertificateRequest),
     *                    and then {@link #peerGone()} is true (also when {@link #handshakeComplete()} became
     *                    true in the same call)
     */
    void received(byte[] data, int offset, int length) throws TlsFailure;

    /**
     * The peer ended its side of the connection (end of stream). During the handshake this is always a
     * failure ({@link TlsFailure.Kind#CONNECTION}); after our close_notify it is
     * {@link TlsFailure.Kind#CLOSE_INCOMPLETE} unless {@link #peerClosed()}; while the caller waits to
     * answer, it is {@link TlsFailure.Kind#CONNECTION}.
     */
    void inputEnded() throws TlsFailure;

    /**
     * The failure to report when reading from or writing to the connection failed; the exchange is over.
     *
     * @param whileWriting whether a write failed (after our close_notify: the reply may not have gone out)
     */
    TlsFailure transportFailed(java.io.IOException e, boolean whileWriting);

    /** How many bytes are waiting to be sent. */
    int outputAvailable();

    /** Moves as many waiting bytes as fit into {@code target}; returns how many. */
    int takeOutput(ByteBuffer target);

    /** Whether the handshake completed and the peer's raw public key was verified. */
    boolean handshakeComplete();

    /**
     * The verified peer.
     *
     * @throws IllegalStateException before {@link #handshakeComplete()}
     */
    TlsPeer peer();

    /**
     * Whether the peer, after the handshake and before our answer, sent application data or close_notify:
     * a Mandos client sends nothing while it waits, so it has gone (the exchange must not be used for a reply
     * any more, as with {@link PeerSession#peerIsWaiting()}).
     */
    boolean peerGone();

    /**
     * Queues the secret, then close_notify. The caller then sends all output and feeds input until
     * {@link #peerClosed()}.
     *
     * @param secret the bytes to send verbatim; may be empty; not kept
     * @throws TlsFailure {@link TlsFailure.Kind#CONNECTION} if the session can no longer send
     */
    void sendAndClose(byte[] secret) throws TlsFailure;

    /** Queues close_notify without data (denied, disabled, unknown client). */
    void closeWithoutData() throws TlsFailure;

    /** Whether the peer's close_notify arrived after ours. */
    boolean peerClosed();
}

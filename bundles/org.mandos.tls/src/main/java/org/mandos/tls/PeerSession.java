package org.mandos.tls;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An established TLS 1.3 connection to a Mandos client, after its raw public key was verified (it proved
 * possession with CertificateVerify). Obtained from {@link RawKeyTlsClient#handshake}; end it with exactly
 * one of {@link #sendAndClose} or {@link #closeWithoutData}. Not thread-safe: one thread uses it.
 *
 * <p>Neither method closes the socket; the caller does that afterwards, and bounds every blocking step by
 * closing the socket when its deadline passes.
 */
@ProviderType
public interface PeerSession extends TlsPeer {

    /**
     * Sends the secret, then close_notify, then waits for the peer's close_notify (the reference
     * mandos-client discards data that is not followed by close_notify). Data the peer sends meanwhile is
     * discarded.
     *
     * @param secret the bytes to send verbatim; may be empty
     * @throws TlsFailure {@link TlsFailure.Kind#CONNECTION} if the secret or close_notify could not be
     *                    written; {@link TlsFailure.Kind#CLOSE_INCOMPLETE} if everything was written but the
     *                    peer's close_notify did not arrive
     */
    void sendAndClose(byte[] secret) throws TlsFailure;

    /**
     * Whether the peer still waits for its answer: reads once from the connection, bounded by the
     * socket's read timeout, which the caller sets. A Mandos client sends nothing while it waits, so a
     * timeout means it is still there; its close_notify, the end of the connection, an error, or any data
     * means it has gone (and the session must not be used for a reply any more).
     *
     * @return true when the read timed out with nothing received
     */
    boolean peerIsWaiting();

    /**
     * Sends close_notify without data (denied, disabled, unknown client) and waits for the peer's.
     *
     * @throws TlsFailure as for {@link #sendAndClose}
     */
    void closeWithoutData() throws TlsFailure;
}

package org.mandos.tls.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.bouncycastle.tls.TlsNoCloseNotifyException;
import org.mandos.tls.TlsClientExchange;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsFailure.Kind;
import org.mandos.tls.TlsPeer;

/**
 * The Mandos server's TLS exchange on Bouncy Castle's non-blocking protocol: the same client, peer checks
 * and failure explanations as {@link ClientHandshake} and {@link ClientSession}, with the caller moving the
 * bytes.
 */
public final class NonBlockingExchange implements TlsClientExchange {

    private enum Phase { HANDSHAKE, ESTABLISHED, CLOSING, FAILED }

    private final HalfClosingClientProtocol protocol = new HalfClosingClientProtocol();
    private final ConnectionCrypto crypto;
    private final RawKeyClientPeer client;
    private Phase phase = Phase.HANDSHAKE;
    private PeerDetails peer;
    private boolean peerGone;
    private byte[] discard;

    private NonBlockingExchange(Tls13Parameters parameters, SecureRandom random) {
        this.crypto = new ConnectionCrypto(random);
        this.client = new RawKeyClientPeer(crypto, parameters);
    }

    /** Starts the handshake: the ClientHello is in the output when this returns. */
    public static NonBlockingExchange start(Tls13Parameters parameters, SecureRandom random) throws TlsFailure {
        NonBlockingExchange exchange = new NonBlockingExchange(parameters, random);
        try {
            exchange.protocol.connect(exchange.client);
        } catch (Exception e) {
            exchange.phase = Phase.FAILED;
            throw HandshakeFailures.explain(e, exchange.client, false);
        }
        return exchange;
    }

    @Override
    public void received(byte[] data, int offset, int length) throws TlsFailure {
        switch (phase) {
            case HANDSHAKE -> {
                try {
                    protocol.offerInput(data, offset, length);
                } catch (Exception e) {
                    if (client.handshakeComplete() && client.peerSpki() != null) {
                        // The input held the end of the handshake and then something that broke the session
                        // (e.g. a post-handshake CertificateRequest): as in ESTABLISHED, the peer has gone.
                        established();
                        phase = Phase.FAILED;
                        peerGone = true;
                        throw new TlsFailure(Kind.PROTOCOL, "TLS failure right after the handshake: "
                                + HandshakeFailures.describe(e), e);
                    }
                    phase = Phase.FAILED;
                    throw HandshakeFailures.explain(e, client, false);
                }
                if (client.handshakeComplete()) {
                    established();
                    // Records after the peer's Finished in the same input count as they do once established.
                    if (protocol.applicationDataAvailable() > 0 || protocol.isClosed()) {
                        peerGone = true;
                    }
                }
            }
            case ESTABLISHED -> {
                try {
                    protocol.offerInput(data, offset, length);
                } catch (Exception e) {
                    phase = Phase.FAILED;
                    peerGone = true;
                    throw new TlsFailure(Kind.PROTOCOL, "TLS failure: " + HandshakeFailures.describe(e), e);
                }
                if (protocol.applicationDataAvailable() > 0 || protocol.isClosed()) {
                    peerGone = true;
                }
            }
            case CLOSING -> {
                if (protocol.isClosed()) {
                    return;
                }
                try {
                    protocol.offerInput(data, offset, length);
                } catch (Exception e) {
                    phase = Phase.FAILED;
                    throw new TlsFailure(Kind.CLOSE_INCOMPLETE, "no close_notify from the peer: "
                            + HandshakeFailures.describe(e), e);
                }
                discardApplicationData();
            }
            case FAILED -> throw new IllegalStateException("this TLS exchange has failed");
        }
    }

    private void established() throws TlsFailure {
        byte[] spki = client.peerSpki();
        if (spki == null) {
            // Cannot happen with a raw-public-key-only client, but never hand out an unauthenticated session.
            phase = Phase.FAILED;
            throw new TlsFailure(Kind.PROTOCOL, "TLS handshake completed without a peer raw public key");
        }
        peer = new PeerDetails(protocol.connectionParameters(), spki, crypto.lastGroup());
        phase = Phase.ESTABLISHED;
    }

    private void discardApplicationData() {
        int available;
        while ((available = protocol.getAvailableInputBytes()) > 0) {
            if (discard == null) {
                discard = new byte[256];
            }
            protocol.readInput(discard, 0, Math.min(available, discard.length));
        }
    }

    @Override
    public void inputEnded() throws TlsFailure {
        switch (phase) {
            case HANDSHAKE -> {
                phase = Phase.FAILED;
                Exception cause = new java.io.EOFException("end of stream");
                try {
                    protocol.closeInput();
                } catch (Exception e) {
                    cause = e;
                }
                throw HandshakeFailures.explain(cause, client, true);
            }
            case ESTABLISHED -> {
                phase = Phase.FAILED;
                peerGone = true;
                throw new TlsFailure(Kind.CONNECTION, "peer closed the connection");
            }
            case CLOSING -> {
                if (!protocol.isClosed()) {
                    phase = Phase.FAILED;
                    throw new TlsFailure(Kind.CLOSE_INCOMPLETE, "peer closed the connection without close_notify",
                            new TlsNoCloseNotifyException());
                }
            }
            case FAILED -> {
                // Already reported.
            }
        }
    }

    @Override
    public TlsFailure transportFailed(IOException e, boolean whileWriting) {
        Phase was = phase;
        phase = Phase.FAILED;
        return switch (was) {
            case HANDSHAKE -> HandshakeFailures.explain(e, client, false);
            case CLOSING -> whileWriting
                    ? new TlsFailure(Kind.CONNECTION, "could not send the data and close_notify: "
                            + HandshakeFailures.describe(e), e)
                    : new TlsFailure(Kind.CLOSE_INCOMPLETE, "no close_notify from the peer: "
                            + HandshakeFailures.describe(e), e);
            default -> new TlsFailure(Kind.CONNECTION, "connection failed: " + HandshakeFailures.describe(e), e);
        };
    }

    @Override
    public int outputAvailable() {
        return protocol.getAvailableOutputBytes();
    }

    @Override
    public int takeOutput(ByteBuffer target) {
        int length = Math.min(target.remaining(), protocol.getAvailableOutputBytes());
        return length == 0 ? 0 : protocol.readOutput(target, length);
    }

    @Override
    public boolean handshakeComplete() {
        return peer != null;
    }

    @Override
    public TlsPeer peer() {
        if (peer == null) {
            throw new IllegalStateException("the TLS handshake has not completed");
        }
        return peer;
    }

    @Override
    public boolean peerGone() {
        return peerGone;
    }

    @Override
    public void sendAndClose(byte[] secret) throws TlsFailure {
        beginClose();
        try {
            protocol.writeApplicationData(secret, 0, secret.length);
        } catch (IOException e) {
            phase = Phase.FAILED;
            throw new TlsFailure(Kind.CONNECTION, "could not send the secret: " + HandshakeFailures.describe(e), e);
        }
        sendCloseNotify();
    }

    @Override
    public void closeWithoutData() throws TlsFailure {
        beginClose();
        sendCloseNotify();
    }

    private void beginClose() throws TlsFailure {
        if (phase != Phase.ESTABLISHED || peerGone) {
            phase = Phase.FAILED;
            throw new TlsFailure(Kind.CONNECTION, "the TLS session can no longer send");
        }
        phase = Phase.CLOSING;
    }

    private void sendCloseNotify() throws TlsFailure {
        try {
            protocol.sendCloseNotify();
        } catch (IOException e) {
            phase = Phase.FAILED;
            throw new TlsFailure(Kind.CONNECTION, "could not send the data and close_notify: "
                    + HandshakeFailures.describe(e), e);
        }
    }

    @Override
    public boolean peerClosed() {
        return phase == Phase.CLOSING && protocol.isClosed();
    }

    @Override
    public String toString() {
        return "TlsClientExchange[" + phase + (peer == null ? "" : ", " + peer.description()) + "]";
    }
}

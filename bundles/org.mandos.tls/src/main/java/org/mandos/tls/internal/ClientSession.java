package org.mandos.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.tls.TlsNoCloseNotifyException;
import org.mandos.tls.PeerSession;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsFailure.Kind;

/** A completed handshake with a Mandos client, from the Mandos server's side. */
final class ClientSession implements PeerSession {

    private final HalfClosingClientProtocol protocol;
    private final TransportStreams.Output output;
    private final PeerDetails peer;
    private boolean finished;

    ClientSession(HalfClosingClientProtocol protocol, TransportStreams.Output output, byte[] peerSpki, int group) {
        this.protocol = protocol;
        this.output = output;
        this.peer = new PeerDetails(protocol.connectionParameters(), peerSpki, group);
    }

    @Override
    public String keyId() {
        return peer.keyId();
    }

    @Override
    public byte[] peerSpki() {
        return peer.peerSpki();
    }

    @Override
    public String protocol() {
        return peer.protocol();
    }

    @Override
    public String cipherSuite() {
        return peer.cipherSuite();
    }

    @Override
    public String keyExchangeGroup() {
        return peer.keyExchangeGroup();
    }

    @Override
    public String peerKeyType() {
        return peer.peerKeyType();
    }

    @Override
    public String description() {
        return peer.description();
    }

    @Override
    public void sendAndClose(byte[] secret) throws TlsFailure {
        beginFinish();
        try {
            protocol.getOutputStream().write(secret);
        } catch (IOException e) {
            throw new TlsFailure(Kind.CONNECTION, "could not send the secret: " + HandshakeFailures.describe(e), e);
        }
        close();
    }

    @Override
    public void closeWithoutData() throws TlsFailure {
        beginFinish();
        close();
    }

    private void beginFinish() {
        if (finished) {
            throw new IllegalStateException("this TLS session is already closed");
        }
        finished = true;
    }

    private void close() throws TlsFailure {
        try {
            protocol.sendCloseNotify();
            output.push();
        } catch (IOException e) {
            throw new TlsFailure(Kind.CONNECTION, "could not send the data and close_notify: "
                    + HandshakeFailures.describe(e), e);
        }
        awaitPeerClose();
    }

    @Override
    public boolean peerIsWaiting() {
        try {
            protocol.getInputStream().read();
            return false;
        } catch (java.net.SocketTimeoutException stillWaiting) {
            // After the handshake Bouncy Castle treats a read timeout as harmless to the connection.
            return true;
        } catch (IOException gone) {
            return false;
        }
    }

    /** Reads, discarding anything the peer sends, until its close_notify ends the input. */
    private void awaitPeerClose() throws TlsFailure {
        InputStream input = protocol.getInputStream();
        byte[] discard = new byte[256];
        try {
            while (input.read(discard) >= 0) {
                // A Mandos client sends nothing; whatever arrives is dropped.
            }
        } catch (TlsNoCloseNotifyException e) {
            throw new TlsFailure(Kind.CLOSE_INCOMPLETE, "peer closed the connection without close_notify", e);
        } catch (IOException e) {
            throw new TlsFailure(Kind.CLOSE_INCOMPLETE, "no close_notify from the peer: "
                    + HandshakeFailures.describe(e), e);
        }
    }

    @Override
    public String toString() {
        return "PeerSession[" + description() + "]";
    }
}

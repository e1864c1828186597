package org.mandos.tls.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import org.mandos.tls.PeerSession;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsFailure.Kind;

/** Runs the Mandos server's TLS handshake (as TLS client) over a connected stream pair. */
public final class ClientHandshake {

    private ClientHandshake() {
    }

    public static PeerSession run(InputStream in, OutputStream out, Tls13Parameters parameters, SecureRandom random)
            throws TlsFailure {
        TransportStreams.Output output = new TransportStreams.Output(out);
        TransportStreams.Input input = TransportStreams.input(in, output);
        HalfClosingClientProtocol protocol = new HalfClosingClientProtocol(input, output);
        // BcTlsCrypto only holds the SecureRandom; the expensive state lives in the caller's SecureRandom.
        ConnectionCrypto crypto = new ConnectionCrypto(random);
        RawKeyClientPeer peer = new RawKeyClientPeer(crypto, parameters);
        try {
            protocol.connect(peer);
            // Our Finished must reach the peer now: the caller may wait a long time before answering.
            output.push();
        } catch (Exception e) {
            throw HandshakeFailures.explain(e, peer, input.ended());
        }
        byte[] spki = peer.peerSpki();
        if (spki == null) {
            // Cannot happen with a raw-public-key-only client, but never hand out an unauthenticated session.
            throw new TlsFailure(Kind.PROTOCOL, "TLS handshake completed without a peer raw public key");
        }
        return new ClientSession(protocol, output, spki, crypto.lastGroup());
    }
}

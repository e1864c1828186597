package org.mandos.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsNoCloseNotifyException;
import org.bouncycastle.tls.TlsServerProtocol;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsFailure.Kind;

/**
 * The Mandos client's TLS exchange: accept the handshake with the raw public key, read until close_notify,
 * answer it, and return what arrived. Like the reference client, data not followed by close_notify is
 * discarded.
 */
public final class ServerReceive {

    /** Far above any real secret; stops a hostile server from exhausting memory. */
    static final int MAX_SECRET_BYTES = 16 * 1024 * 1024;

    private ServerReceive() {
    }

    public static byte[] run(InputStream in, OutputStream out, Tls13Parameters parameters, SigningKey key,
            SecureRandom random) throws TlsFailure {
        TransportStreams.Output output = new TransportStreams.Output(out);
        TransportStreams.Input input = TransportStreams.input(in, output);
        TlsServerProtocol protocol = new TlsServerProtocol(input, output);
        RawKeyServerPeer peer = new RawKeyServerPeer(new ConnectionCrypto(random), parameters, key);
        try {
            protocol.accept(peer);
        } catch (Exception e) {
            throw explainHandshake(e, peer, input);
        }
        return readUntilCloseNotify(protocol.getInputStream());
    }

    private static byte[] readUntilCloseNotify(InputStream tls) throws TlsFailure {
        byte[] data = new byte[256];
        int length = 0;
        try {
            while (true) {
                if (length == data.length) {
                    if (length >= MAX_SECRET_BYTES) {
                        throw new TlsFailure(Kind.PROTOCOL, "peer sent more than " + MAX_SECRET_BYTES
                                + " bytes; giving up");
                    }
                    data = grow(data);
                }
                int n = tls.read(data, length, data.length - length);
                if (n < 0) {
                    // close_notify: Bouncy Castle has answered with its own.
                    return Arrays.copyOf(data, length);
                }
                length += n;
            }
        } catch (TlsNoCloseNotifyException e) {
            throw new TlsFailure(Kind.TRUNCATED, "connection ended without close_notify; the " + length
                    + " bytes received are discarded", e);
        } catch (TlsFatalAlertReceived e) {
            throw new TlsFailure(Kind.PROTOCOL, "peer sent alert " + TlsNames.alert(e.getAlertDescription())
                    + " instead of data", e);
        } catch (TlsFatalAlert e) {
            throw new TlsFailure(Kind.PROTOCOL, "TLS failure while receiving: "
                    + HandshakeFailures.oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new TlsFailure(Kind.CONNECTION, "connection failed while receiving: "
                    + HandshakeFailures.describe(e), e);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    private static byte[] grow(byte[] data) {
        byte[] bigger = Arrays.copyOf(data, Math.min(data.length * 2, MAX_SECRET_BYTES));
        Arrays.fill(data, (byte) 0);
        return bigger;
    }

    private static TlsFailure explainHandshake(Exception e, RawKeyServerPeer peer, TransportStreams.Input input) {
        if (peer.peerLacksTls13()) {
            return new TlsFailure(Kind.NO_RAW_PUBLIC_KEY, "peer does not offer TLS 1.3, so it cannot accept a raw"
                    + " public key: a Mandos server that only knows OpenPGP certificates does this", e);
        }
        if (peer.peerLacksRawPublicKey()) {
            return new TlsFailure(Kind.NO_RAW_PUBLIC_KEY, "peer does not accept a raw public key (RFC 7250"
                    + " server_certificate_type); an X.509 or OpenPGP Mandos server cannot be served", e);
        }
        if (input.ended()) {
            return new TlsFailure(Kind.CONNECTION, "peer closed the connection during the TLS handshake", e);
        }
        if (peer.alertReceived() >= 0) {
            return new TlsFailure(Kind.PROTOCOL, "TLS handshake failed: peer sent alert "
                    + TlsNames.alert(peer.alertReceived()), e);
        }
        if (e instanceof TlsFatalAlert raised) {
            return new TlsFailure(Kind.PROTOCOL, "TLS handshake failed: " + HandshakeFailures.oneLine(raised.getMessage()), e);
        }
        if (e instanceof IOException) {
            return new TlsFailure(Kind.CONNECTION, "connection failed during the TLS handshake: "
                    + HandshakeFailures.describe(e), e);
        }
        return new TlsFailure(Kind.PROTOCOL, "TLS handshake failed: " + HandshakeFailures.describe(e), e);
    }
}

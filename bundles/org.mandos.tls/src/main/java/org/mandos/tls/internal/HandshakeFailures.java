package org.mandos.tls.internal;

import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsFailure.Kind;

/** Explains why the Mandos server's handshake failed, from the exception and what the peer observed. */
final class HandshakeFailures {

    static final String OPENPGP_HINT = "an old mandos-client that uses OpenPGP certificates (before 1.8.0) does"
            + " this, and OpenPGP is not supported";

    private HandshakeFailures() {
    }

    static TlsFailure explain(Exception e, RawKeyClientPeer peer, boolean inputEnded) {
        if (peer.wrongCertificateType() >= 0) {
            return new TlsFailure(Kind.WRONG_CERTIFICATE_TYPE, "peer presented "
                    + certificateTypeName(peer.wrongCertificateType()) + " instead of a raw public key (RFC 7250);"
                    + " only raw public keys identify Mandos clients", e);
        }
        if (e instanceof MalformedRawKey malformed && malformed.x509()) {
            return new TlsFailure(Kind.WRONG_CERTIFICATE_TYPE, "peer presented an X.509 certificate where it"
                    + " agreed to send a raw public key (RFC 7250); only raw public keys identify Mandos clients", e);
        }
        if (peer.alertReceived() >= 0 && peer.alertReceivedBeforeServerHello()) {
            return new TlsFailure(Kind.NO_RAW_PUBLIC_KEY, "peer refused TLS 1.3 with a raw public key (it answered"
                    + " our hello with alert " + TlsNames.alert(peer.alertReceived()) + "): " + OPENPGP_HINT
                    + "; otherwise its priority string shares no parameters with ours", e);
        }
        if (peer.alertRaised() == AlertDescription.protocol_version && peer.alertRaisedBeforeServerHello()) {
            return new TlsFailure(Kind.NO_RAW_PUBLIC_KEY, "peer chose a TLS version older than 1.3, so it cannot"
                    + " offer a raw public key: " + OPENPGP_HINT, e);
        }
        if (inputEnded) {
            return new TlsFailure(Kind.CONNECTION, "peer closed the connection during the TLS handshake"
                    + (peer.serverHelloSeen() ? "" : ", without answering our hello"), e);
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return new TlsFailure(Kind.PROTOCOL, "TLS handshake failed: peer sent alert "
                    + TlsNames.alert(received.getAlertDescription()), e);
        }
        if (e instanceof TlsFatalAlert raised) {
            return new TlsFailure(Kind.PROTOCOL, "TLS handshake failed: " + oneLine(raised.getMessage()), e);
        }
        if (e instanceof IOException) {
            return new TlsFailure(Kind.CONNECTION, "connection failed during the TLS handshake: "
                    + describe(e), e);
        }
        return new TlsFailure(Kind.PROTOCOL, "TLS handshake failed: " + describe(e), e);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : oneLine(message);
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String certificateTypeName(short type) {
        return switch (type) {
            case CertificateType.X509 -> "an X.509 certificate";
            case CertificateType.OpenPGP -> "an OpenPGP certificate";
            default -> "a certificate of type " + type;
        };
    }
}

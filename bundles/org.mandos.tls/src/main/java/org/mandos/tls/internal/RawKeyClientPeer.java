package org.mandos.tls.internal;

import java.io.IOException;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateStatusRequest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * The Mandos server's side of the handshake: a TLS 1.3 client that accepts only an RFC 7250 raw public key
 * from the server (the Mandos client), presents no certificate, and asks for no tickets, SNI or OCSP. It also
 * records what happened, so a failure can be explained.
 */
final class RawKeyClientPeer extends DefaultTlsClient {

    private static final short NO_ALERT = -1;

    private final Tls13Parameters parameters;

    private boolean serverHelloSeen;
    private short alertReceived = NO_ALERT;
    private boolean alertReceivedBeforeServerHello;
    private short alertRaised = NO_ALERT;
    private boolean alertRaisedBeforeServerHello;
    private short wrongCertificateType = NO_ALERT;
    private byte[] peerSpki;
    private boolean handshakeComplete;

    RawKeyClientPeer(TlsCrypto crypto, Tls13Parameters parameters) {
        super(crypto);
        this.parameters = parameters;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), parameters.cipherSuiteArray());
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        return parameters.groupVector();
    }

    /** One key share, for the most preferred group: what a GnuTLS server (client precedence) picks. */
    @Override
    @SuppressWarnings("rawtypes")
    public Vector getEarlyKeyShareGroups() {
        return TlsUtils.vectorOfOne(parameters.groups().get(0));
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Vector getSupportedSignatureAlgorithms() {
        return parameters.signatureAlgorithmVector();
    }

    @Override
    protected short[] getAllowedServerCertificateTypes() {
        return new short[] {CertificateType.RawPublicKey};
    }

    @Override
    protected CertificateStatusRequest getCertificateStatusRequest() {
        return null;
    }

    @Override
    public boolean shouldUseCompatibilityMode() {
        return parameters.middleboxCompatibility();
    }

    @Override
    public void notifyServerVersion(ProtocolVersion serverVersion) throws IOException {
        serverHelloSeen = true;
        super.notifyServerVersion(serverVersion);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.fatal && alertReceived == NO_ALERT) {
            alertReceived = alertDescription;
            alertReceivedBeforeServerHello = !serverHelloSeen;
        }
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        if (alertLevel == AlertLevel.fatal && alertRaised == NO_ALERT) {
            alertRaised = alertDescription;
            alertRaisedBeforeServerHello = !serverHelloSeen;
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                Certificate certificate = serverCertificate.getCertificate();
                if (certificate.getCertificateType() != CertificateType.RawPublicKey) {
                    wrongCertificateType = certificate.getCertificateType();
                    throw new TlsFatalAlert(AlertDescription.unsupported_certificate,
                            "server presented no raw public key");
                }
                // Possession of the key is proven by CertificateVerify, which Bouncy Castle checks next.
                peerSpki = certificate.getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                return null;
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        handshakeComplete = true;
    }

    boolean handshakeComplete() {
        return handshakeComplete;
    }

    boolean serverHelloSeen() {
        return serverHelloSeen;
    }

    /** The first fatal alert the peer sent, or -1. */
    short alertReceived() {
        return alertReceived;
    }

    boolean alertReceivedBeforeServerHello() {
        return alertReceivedBeforeServerHello;
    }

    /** The first fatal alert this side raised, or -1. */
    short alertRaised() {
        return alertRaised;
    }

    boolean alertRaisedBeforeServerHello() {
        return alertRaisedBeforeServerHello;
    }

    /** The certificate type the peer used instead of a raw public key, or -1. */
    short wrongCertificateType() {
        return wrongCertificateType;
    }

    byte[] peerSpki() {
        return peerSpki;
    }
}

package org.mandos.tls.internal;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.bouncycastle.util.Arrays;

/**
 * The Mandos client's side of the handshake: a TLS 1.3 server that presents an RFC 7250 raw public key and
 * requests no client certificate. It records why a handshake failed, for the error message.
 */
final class RawKeyServerPeer extends DefaultTlsServer {

    private static final short NO_ALERT = -1;

    private final Tls13Parameters parameters;
    private final SigningKey key;
    private TlsCredentialedSigner credentials;

    private boolean peerLacksTls13;
    private boolean peerLacksRawPublicKey;
    private short alertReceived = NO_ALERT;

    RawKeyServerPeer(BcTlsCrypto crypto, Tls13Parameters parameters, SigningKey key) {
        super(crypto);
        this.parameters = parameters;
        this.key = key;
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
    public int[] getSupportedGroups() {
        return parameters.groupArray();
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return parameters.serverPrecedence();
    }

    @Override
    public boolean preferLocalSupportedGroups() {
        return parameters.serverPrecedence();
    }

    @Override
    public ProtocolVersion getServerVersion() throws IOException {
        try {
            return super.getServerVersion();
        } catch (TlsFatalAlert e) {
            peerLacksTls13 = true;
            throw e;
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getServerExtensions() throws IOException {
        short[] accepted = TlsExtensionsUtils.getServerCertificateTypeExtensionClient(clientExtensions);
        if (accepted == null || !Arrays.contains(accepted, CertificateType.RawPublicKey)) {
            peerLacksRawPublicKey = true;
            throw new TlsFatalAlert(AlertDescription.unsupported_certificate,
                    "peer does not accept a raw public key as server certificate");
        }
        return super.getServerExtensions();
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        if (credentials == null) {
            int scheme = key.chooseScheme(context.getSecurityParametersHandshake().getClientSigAlgs(), parameters);
            if (scheme < 0) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer accepts no signature scheme for"
                        + " our " + key.type().displayName() + " key");
            }
            BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
            Certificate certificate = new Certificate(CertificateType.RawPublicKey, TlsUtils.EMPTY_BYTES,
                    new CertificateEntry[] {new CertificateEntry(new BcTlsRawKeyCertificate(crypto, key.spki()), null)});
            credentials = new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                    key.privateKey(), certificate, SignatureScheme.getSignatureAndHashAlgorithm(scheme));
        }
        return credentials;
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.fatal && alertReceived == NO_ALERT) {
            alertReceived = alertDescription;
        }
    }

    boolean peerLacksTls13() {
        return peerLacksTls13;
    }

    boolean peerLacksRawPublicKey() {
        return peerLacksRawPublicKey;
    }

    short alertReceived() {
        return alertReceived;
    }
}

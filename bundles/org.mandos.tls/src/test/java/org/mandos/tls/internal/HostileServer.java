package org.mandos.tls.internal;

import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.mandos.tls.TlsPolicy;
import org.mandos.tls.internal.priority.PriorityParser;

/**
 * A Mandos client's TLS server side built from Bouncy Castle, that can be told to lie: present one key and
 * sign with another, put other bytes (an X.509 certificate) in the raw-public-key entry, add huge
 * extensions. With {@link Protocol} (Bouncy Castle's non-blocking server protocol) it can also write
 * arbitrary records and key updates after its Finished.
 */
public final class HostileServer extends DefaultTlsServer {

    private static final Tls13Parameters DEFAULTS = PriorityParser.parse(TlsPolicy.DEFAULT_PRIORITY);

    private final BcTlsCrypto crypto;
    private final byte[] presentedSpki;
    private final SigningKey signer;
    private byte[] entryEncoding;
    private final Map<Integer, byte[]> extraExtensions = new TreeMap<>();
    private final List<Short> alertsReceived = new ArrayList<>();

    /** Presents {@code presented}'s public key and signs CertificateVerify with {@code signing}'s private key. */
    public HostileServer(SecureRandom random, KeyPair presented, KeyPair signing) {
        this(new BcTlsCrypto(random), presented, signing);
    }

    private HostileServer(BcTlsCrypto crypto, KeyPair presented, KeyPair signing) {
        super(crypto);
        this.crypto = crypto;
        this.presentedSpki = presented.getPublic().getEncoded();
        this.signer = SigningKey.of(signing);
    }

    /** Sends {@code der} (e.g. an X.509 certificate) as the raw-public-key certificate entry. */
    public HostileServer entryEncoding(byte[] der) {
        this.entryEncoding = der.clone();
        return this;
    }

    /** Adds an extension (of any size up to 65535 bytes) to EncryptedExtensions. */
    public HostileServer extraExtension(int type, byte[] data) {
        extraExtensions.put(type, data.clone());
        return this;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.TLSv13.only();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        extensions.putAll(extraExtensions);
        return extensions;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        int scheme = signer.chooseScheme(context.getSecurityParametersHandshake().getClientSigAlgs(), DEFAULTS);
        if (scheme < 0) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        byte[] entry = entryEncoding;
        BcTlsRawKeyCertificate rawKey = entry == null
                ? new BcTlsRawKeyCertificate(crypto, presentedSpki)
                : new BcTlsRawKeyCertificate(crypto, presentedSpki) {
                    @Override
                    public byte[] getEncoded() {
                        return entry.clone();
                    }
                };
        Certificate certificate = new Certificate(CertificateType.RawPublicKey, TlsUtils.EMPTY_BYTES,
                new CertificateEntry[] {new CertificateEntry(rawKey, null)});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, signer.privateKey(),
                certificate, SignatureScheme.getSignatureAndHashAlgorithm(scheme));
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        alertsReceived.add(alertDescription);
    }

    /** The descriptions of the alerts the Mandos server sent. */
    public List<Short> alertsReceived() {
        return List.copyOf(alertsReceived);
    }

    /** Bouncy Castle's non-blocking TLS server, with a way to write what it would never write itself. */
    public static final class Protocol extends TlsServerProtocol {

        public Protocol() {
            super();
        }

        /** Writes one record of {@code type}, protected with the current write keys. */
        public void writeRecord(short type, byte[] body) throws IOException {
            safeWriteRecord(type, body, 0, body.length);
        }

        /** Sends a TLS 1.3 KeyUpdate and switches its own write keys, as a correct peer does. */
        public void keyUpdate(boolean updateRequested) throws IOException {
            send13KeyUpdate(updateRequested);
        }
    }
}

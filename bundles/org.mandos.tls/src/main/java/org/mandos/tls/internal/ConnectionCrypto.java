package org.mandos.tls.internal;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsDHConfig;
import org.bouncycastle.tls.crypto.TlsDHDomain;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Bouncy Castle's crypto for one connection, with the JDK's SHA-2 ({@link JdkDigest}) for the transcript and
 * key schedule, remembering the group of the last key share it made. A TLS 1.3 client makes one key share for
 * its ClientHello and, after a HelloRetryRequest, one for the group the server asked for, so after the
 * handshake the last one is the negotiated group (Bouncy Castle does not report it).
 */
final class ConnectionCrypto extends BcTlsCrypto {

    private int lastGroup = -1;

    ConnectionCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    public TlsECDomain createECDomain(TlsECConfig ecConfig) {
        lastGroup = ecConfig.getNamedGroup();
        return super.createECDomain(ecConfig);
    }

    @Override
    public TlsDHDomain createDHDomain(TlsDHConfig dhConfig) {
        lastGroup = dhConfig.getNamedGroup();
        return super.createDHDomain(dhConfig);
    }

    @Override
    public Digest createDigest(int cryptoHashAlgorithm) {
        Digest jdk = JdkDigest.of(cryptoHashAlgorithm);
        return jdk != null ? jdk : super.createDigest(cryptoHashAlgorithm);
    }

    @Override
    public Digest cloneDigest(int cryptoHashAlgorithm, Digest digest) {
        return digest instanceof JdkDigest jdk ? (Digest) jdk.copy() : super.cloneDigest(cryptoHashAlgorithm, digest);
    }

    /**
     * Parses a peer certificate entry; a raw public key that is not a SubjectPublicKeyInfo (Bouncy Castle
     * throws an unchecked exception) is refused with bad_certificate ({@link MalformedRawKey}).
     */
    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        if (type != CertificateType.RawPublicKey) {
            return super.createCertificate(type, encoding);
        }
        try {
            return super.createCertificate(type, encoding);
        } catch (RuntimeException e) {
            throw MalformedRawKey.of(encoding, e);
        }
    }

    /** The named group of the last key share made, or -1 if none was. */
    int lastGroup() {
        return lastGroup;
    }
}

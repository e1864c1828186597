package org.mandos.tls.internal;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Vector;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;

/** A Mandos client's raw key pair in the form Bouncy Castle's TLS signer needs. */
public final class SigningKey {

    private final AsymmetricKeyParameter privateKey;
    private final byte[] spki;
    private final KeyType type;

    private SigningKey(AsymmetricKeyParameter privateKey, byte[] spki, KeyType type) {
        this.privateKey = privateKey;
        this.spki = spki;
        this.type = type;
    }

    /**
     * Converts a JCA key pair.
     *
     * @throws IllegalArgumentException if the key type is not supported or the keys cannot be encoded
     */
    public static SigningKey of(KeyPair pair) {
        byte[] spki = pair.getPublic().getEncoded();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        if (spki == null || pkcs8 == null) {
            throw new IllegalArgumentException("the key pair cannot be encoded (a hardware key?)");
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
        KeyType type = KeyType.of(info.getAlgorithm()).orElseThrow(() -> new IllegalArgumentException(
                "unsupported key type (" + KeyType.describeUnsupported(info.getAlgorithm())
                        + "); use Ed25519, Ed448, ECDSA P-256/P-384/P-521 or RSA"));
        try {
            return new SigningKey(PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pkcs8)), spki, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable " + type.displayName() + " private key", e);
        }
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    byte[] spki() {
        return spki.clone();
    }

    KeyType type() {
        return type;
    }

    /**
     * The first scheme in the peer's signature_algorithms (its preference order) that this key can sign
     * with and the policy allows, or -1.
     */
    int chooseScheme(Vector<?> offeredByPeer, Tls13Parameters policy) {
        if (offeredByPeer == null) {
            return -1;
        }
        for (Object offered : offeredByPeer) {
            int scheme = SignatureScheme.from((SignatureAndHashAlgorithm) offered);
            if (type.signatureSchemes().contains(scheme) && policy.signatureSchemes().contains(scheme)) {
                return scheme;
            }
        }
        return -1;
    }
}

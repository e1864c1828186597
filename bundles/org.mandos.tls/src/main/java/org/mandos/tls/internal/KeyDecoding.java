package org.mandos.tls.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Turns PEM key files into JCA keys: {@code PUBLIC KEY} (SubjectPublicKeyInfo), {@code PRIVATE KEY}
 * (PKCS#8), and what {@code certtool --generate-privkey} writes without {@code --pkcs8}: {@code RSA PRIVATE
 * KEY} (PKCS#1) and {@code EC PRIVATE KEY} (SEC 1). All failures are {@link IllegalArgumentException}s with a
 * one-line message and no key material.
 */
public final class KeyDecoding {

    private static final String PUBLIC = "PUBLIC KEY";
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String PKCS1_RSA = "RSA PRIVATE KEY";
    private static final String SEC1_EC = "EC PRIVATE KEY";

    private KeyDecoding() {
    }

    public static PublicKey publicKey(String pem) {
        byte[] der = Pem.first(pem, Set.of(PUBLIC)).der();
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed SubjectPublicKeyInfo in PUBLIC KEY block");
        }
        KeyType type = supported(info.getAlgorithm());
        try {
            return KeyFactory.getInstance(type.jcaAlgorithm()).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable " + type.displayName() + " public key");
        }
    }

    public static PrivateKey privateKey(String pem) {
        Pem.Block block = Pem.first(pem, Set.of(PKCS8, PKCS1_RSA, SEC1_EC));
        PrivateKeyInfo info = toPkcs8(block);
        KeyType type = supported(info.getPrivateKeyAlgorithm());
        try {
            byte[] pkcs8 = info.getEncoded(ASN1Encoding.DER);
            return KeyFactory.getInstance(type.jcaAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable " + type.displayName() + " private key");
        }
    }

    private static PrivateKeyInfo toPkcs8(Pem.Block block) {
        byte[] der = block.der();
        try {
            switch (block.label()) {
                case PKCS1_RSA:
                    return new PrivateKeyInfo(
                            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                            parse(() -> RSAPrivateKey.getInstance(der), block));
                case SEC1_EC:
                    ECPrivateKey key = parse(() -> ECPrivateKey.getInstance(der), block);
                    if (!(key.getParametersObject() instanceof ASN1ObjectIdentifier curve)) {
                        throw new IllegalArgumentException("EC PRIVATE KEY without a named curve");
                    }
                    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key);
                default:
                    return parse(() -> PrivateKeyInfo.getInstance(der), block);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + block.label() + " block");
        }
    }

    private static <T> T parse(Supplier<T> parser, Pem.Block block) {
        try {
            return parser.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed " + block.label() + " block");
        }
    }

    private static KeyType supported(AlgorithmIdentifier algorithm) {
        return KeyType.of(algorithm).orElseThrow(() -> new IllegalArgumentException("unsupported key ("
                + KeyType.describeUnsupported(algorithm) + "); use Ed25519, Ed448, ECDSA P-256/P-384/P-521 or RSA"));
    }
}

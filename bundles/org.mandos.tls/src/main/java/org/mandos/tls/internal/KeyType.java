package org.mandos.tls.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.tls.SignatureScheme;

/**
 * The raw-public-key types Mandos supports, identified from a key's AlgorithmIdentifier, with the TLS 1.3
 * signature schemes each can sign CertificateVerify with.
 */
public enum KeyType {
    ED25519("Ed25519", "Ed25519", List.of(SignatureScheme.ed25519)),
    ED448("Ed448", "Ed448", List.of(SignatureScheme.ed448)),
    ECDSA_P256("ECDSA P-256", "EC", List.of(SignatureScheme.ecdsa_secp256r1_sha256)),
    ECDSA_P384("ECDSA P-384", "EC", List.of(SignatureScheme.ecdsa_secp384r1_sha384)),
    ECDSA_P521("ECDSA P-521", "EC", List.of(SignatureScheme.ecdsa_secp521r1_sha512)),
    RSA("RSA", "RSA", List.of(SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384,
            SignatureScheme.rsa_pss_rsae_sha512));

    private final String displayName;
    private final String jcaAlgorithm;
    private final List<Integer> signatureSchemes;

    KeyType(String displayName, String jcaAlgorithm, List<Integer> signatureSchemes) {
        this.displayName = displayName;
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureSchemes = signatureSchemes;
    }

    /** The type of a key with this AlgorithmIdentifier, if supported. */
    public static Optional<KeyType> of(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return Optional.of(ED25519);
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
            return Optional.of(ED448);
        }
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return Optional.of(RSA);
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1Encodable curve = algorithm.getParameters();
            if (X9ObjectIdentifiers.prime256v1.equals(curve)) {
                return Optional.of(ECDSA_P256);
            }
            if (SECObjectIdentifiers.secp384r1.equals(curve)) {
                return Optional.of(ECDSA_P384);
            }
            if (SECObjectIdentifiers.secp521r1.equals(curve)) {
                return Optional.of(ECDSA_P521);
            }
        }
        return Optional.empty();
    }

    /** A human-readable description of an algorithm identifier this enum does not support. */
    public static String describeUnsupported(AlgorithmIdentifier algorithm) {
        String parameters = algorithm.getParameters() instanceof ASN1ObjectIdentifier curve ? " " + curve.getId() : "";
        return "algorithm " + algorithm.getAlgorithm().getId() + parameters;
    }

    /** E.g. {@code Ed25519}, {@code ECDSA P-384}, {@code RSA 4096}; falls back to the OID if unsupported. */
    public static String describe(SubjectPublicKeyInfo spki) {
        Optional<KeyType> type = of(spki.getAlgorithm());
        if (type.isEmpty()) {
            return describeUnsupported(spki.getAlgorithm());
        }
        if (type.get() == RSA) {
            try {
                return "RSA " + RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
            } catch (IOException | IllegalArgumentException e) {
                return "RSA (malformed)";
            }
        }
        return type.get().displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The JCA KeyFactory / KeyPairGenerator algorithm name. */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** The TLS 1.3 signature schemes this key can produce, best first. */
    public List<Integer> signatureSchemes() {
        return signatureSchemes;
    }
}

package org.mandos.keygen;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/**
 * The client's OpenPGP key pair ({@code pubkey.txt}, {@code seckey.txt}) and encryption of a
 * password to it, with Bouncy Castle instead of gpg.
 */
final class OpenPgpKeys {

    /** The smallest and largest RSA sizes accepted, in bits. */
    static final int MIN_RSA_BITS = 1024;
    static final int MAX_RSA_BITS = 16384;

    private OpenPgpKeys() {
    }

    /** An armored key pair. */
    record Armored(String publicKey, String secretKey, String fingerprint) {
    }

    /**
     * Normalises an OpenPGP key type name; only RSA is supported.
     *
     * @throws IllegalArgumentException for other types
     */
    static String checkType(String type, String what) {
        String t = type.trim().toUpperCase(Locale.ROOT);
        if (t.equals("RSA") || t.equals("1")) {
            return "RSA";
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("Empty " + what);
        }
        throw new IllegalArgumentException("Unsupported " + what + " '" + type + "' (only RSA is supported)");
    }

    static void checkLength(int bits, String what) {
        if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
            throw new IllegalArgumentException("Invalid " + what + " " + bits + " (must be " + MIN_RSA_BITS + " to "
                    + MAX_RSA_BITS + " bits)");
        }
    }

    /** gpg's user id from Name-Real, Name-Comment and Name-Email. */
    static String userId(String name, String comment, String email) {
        StringBuilder sb = new StringBuilder(name);
        if (!comment.isEmpty()) {
            sb.append(" (").append(comment).append(')');
        }
        if (!email.isEmpty()) {
            sb.append(" <").append(email).append('>');
        }
        return sb.toString();
    }

    /**
     * Makes a primary RSA key (certify, sign, authenticate) with an RSA encryption subkey.
     *
     * @param expireSeconds seconds after creation the keys expire; 0 for never
     * @param armorComment the {@code Comment:} armor header of both files
     */
    static Armored generate(int bits, int subBits, String userId, long expireSeconds, String armorComment,
            SecureRandom random) throws IOException, PGPException {
        Date now = new Date((System.currentTimeMillis() / 1000) * 1000);
        PGPKeyPair primary = new JcaPGPKeyPair(org.bouncycastle.bcpg.PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, rsa(bits, random), now);
        PGPKeyPair sub = new JcaPGPKeyPair(org.bouncycastle.bcpg.PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, rsa(subBits, random), now);

        PGPSignatureSubpacketGenerator primaryPackets = new PGPSignatureSubpacketGenerator();
        primaryPackets.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA | KeyFlags.AUTHENTICATION);
        primaryPackets.setPreferredSymmetricAlgorithms(false, new int[] {SymmetricKeyAlgorithmTags.AES_256,
            SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_128});
        primaryPackets.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512,
            HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
        primaryPackets.setPreferredCompressionAlgorithms(false, new int[] {CompressionAlgorithmTags.ZLIB,
            CompressionAlgorithmTags.BZIP2, CompressionAlgorithmTags.ZIP, CompressionAlgorithmTags.UNCOMPRESSED});
        primaryPackets.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
        primaryPackets.setIssuerFingerprint(false, primary.getPublicKey());
        if (expireSeconds > 0) {
            primaryPackets.setKeyExpirationTime(false, expireSeconds);
        }
        PGPSignatureSubpacketGenerator subPackets = new PGPSignatureSubpacketGenerator();
        subPackets.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
        subPackets.setIssuerFingerprint(false, primary.getPublicKey());
        if (expireSeconds > 0) {
            subPackets.setKeyExpirationTime(false, expireSeconds);
        }

        PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
        PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
                userId, sha1, primaryPackets.generate(), null,
                new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA512), null);
        generator.addSubKey(sub, subPackets.generate(), null);
        PGPPublicKeyRing publicRing = generator.generatePublicKeyRing();
        PGPSecretKeyRing secretRing = generator.generateSecretKeyRing();
        return new Armored(armor(publicRing.getEncoded(), armorComment), armor(secretRing.getEncoded(), armorComment),
                fingerprint(publicRing.getPublicKey()));
    }

    private static KeyPair rsa(int bits, SecureRandom random) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("Cannot make an RSA " + bits + " key: " + e.getMessage(), e);
        }
    }

    private static String armor(byte[] data, String comment) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArmoredOutputStream.Builder builder = ArmoredOutputStream.builder().clearHeaders();
        if (comment != null && !comment.isEmpty()) {
            builder.addComment(comment);
        }
        try (ArmoredOutputStream armored = builder.build(bytes)) {
            armored.write(data);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /** The V4 fingerprint, 40 upper-case hex digits. */
    static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    /** Reads an armored or binary public key ring. */
    static PGPPublicKeyRing readPublicRing(byte[] data) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            return new PGPPublicKeyRing(in, new BcKeyFingerprintCalculator());
        } catch (RuntimeException e) {
            throw new IOException("not an OpenPGP public key: " + e.getMessage(), e);
        }
    }

    /** Reads an armored or binary secret key ring. */
    static PGPSecretKeyRing readSecretRing(byte[] data) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            return new PGPSecretKeyRing(in, new BcKeyFingerprintCalculator());
        } catch (PGPException | RuntimeException e) {
            throw new IOException("not an OpenPGP secret key: " + e.getMessage(), e);
        }
    }

    /** The first valid encryption key of the ring: a subkey if there is one, else the primary key. */
    static PGPPublicKey encryptionKey(PGPPublicKeyRing ring) throws IOException {
        PGPPublicKey fallback = null;
        Iterator<PGPPublicKey> keys = ring.getPublicKeys();
        while (keys.hasNext()) {
            PGPPublicKey key = keys.next();
            if (key.isEncryptionKey() && !key.hasRevocation()) {
                if (!key.isMasterKey()) {
                    return key;
                }
                fallback = key;
            }
        }
        if (fallback == null) {
            throw new IOException("the OpenPGP key has no encryption key");
        }
        return fallback;
    }

    /**
     * Encrypts {@code plain} to {@code recipient} (AES-256 with integrity protection) as a binary
     * OpenPGP message; if {@code signer} is given, the data is also signed with it, as gpg
     * {@code --encrypt --sign} does.
     */
    static byte[] encrypt(byte[] plain, PGPPublicKey recipient, PGPSecretKey signer, SecureRandom random)
            throws IOException, PGPException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PGPEncryptedDataGenerator encryptor = new PGPEncryptedDataGenerator(
                new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                        .setSecureRandom(random));
        encryptor.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(recipient).setSecureRandom(random));
        try (OutputStream encrypted = encryptor.open(out, new byte[4096])) {
            BCPGOutputStream packets = new BCPGOutputStream(encrypted);
            PGPSignatureGenerator signatures = null;
            if (signer != null) {
                PGPPrivateKey privateKey = signer.extractPrivateKey(
                        new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
                signatures = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(
                        signer.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512), signer.getPublicKey());
                signatures.init(PGPSignature.BINARY_DOCUMENT, privateKey);
                PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
                hashed.setIssuerFingerprint(false, signer.getPublicKey());
                hashed.setSignatureCreationTime(false, new Date());
                signatures.setHashedSubpackets(hashed.generate());
                PGPOnePassSignature onePass = signatures.generateOnePassVersion(false);
                onePass.encode(packets);
            }
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            try (OutputStream data = literal.open(packets, PGPLiteralData.BINARY, "", plain.length,
                    new Date((System.currentTimeMillis() / 1000) * 1000))) {
                data.write(plain);
            }
            if (signatures != null) {
                signatures.update(plain);
                signatures.generate().encode(packets);
            }
            packets.flush();
        }
        return out.toByteArray();
    }
}

package org.mandos.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Iterator;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/** An unprotected RSA 2048 OpenPGP key (signing primary + encryption subkey), made with Bouncy Castle. */
final class PgpTestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    final PGPSecretKeyRing secret;
    final PGPPublicKeyRing publicRing;
    final PGPKeyPair signing;
    final PGPPublicKey encryptionKey;

    private PgpTestKeys(PGPSecretKeyRing secret, PGPPublicKeyRing publicRing, PGPKeyPair signing,
                        PGPPublicKey encryptionKey) {
        this.secret = secret;
        this.publicRing = publicRing;
        this.signing = signing;
        this.encryptionKey = encryptionKey;
    }

    static PgpTestKeys generate(String name) {
        try {
            RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
            rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), RANDOM, 2048, 80));
            Date created = new Date(System.currentTimeMillis() - 60_000);
            PGPKeyPair sign = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), created);
            PGPKeyPair encrypt = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), created);
            PGPSignatureSubpacketGenerator signFlags = new PGPSignatureSubpacketGenerator();
            signFlags.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            PGPSignatureSubpacketGenerator encFlags = new PGPSignatureSubpacketGenerator();
            encFlags.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
            PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, sign,
                    name + " <" + name + "@example.invalid>",
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), signFlags.generate(), null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
            generator.addSubKey(encrypt, encFlags.generate(), null);
            PGPSecretKeyRing secretRing = generator.generateSecretKeyRing();
            PGPPublicKeyRing publicRing = generator.generatePublicKeyRing();
            PGPPublicKey encryptionKey = null;
            for (Iterator<PGPPublicKey> it = publicRing.getPublicKeys(); it.hasNext(); ) {
                PGPPublicKey key = it.next();
                if (!key.isMasterKey()) {
                    encryptionKey = key;
                }
            }
            return new PgpTestKeys(secretRing, publicRing, sign, encryptionKey);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] armoredSecret() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
            secret.encode(armor);
        }
        return out.toByteArray();
    }

    byte[] armoredPublic() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
            publicRing.encode(armor);
        }
        return out.toByteArray();
    }

    /** As the real server's secret: binary, signed, compressed, encrypted with MDC. */
    byte[] encrypt(byte[] plaintext) {
        return encrypt(plaintext, true, true, true);
    }

    byte[] encrypt(byte[] plaintext, boolean integrity, boolean compress, boolean sign) {
        try {
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                    new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(integrity)
                            .setSecureRandom(RANDOM));
            encryption.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(encryptionKey));
            OutputStream encrypted = encryption.open(result, new byte[1 << 12]);
            PGPCompressedDataGenerator compression = new PGPCompressedDataGenerator(
                    compress ? CompressionAlgorithmTags.ZLIB : CompressionAlgorithmTags.UNCOMPRESSED);
            OutputStream inner = compress ? compression.open(encrypted) : encrypted;
            PGPSignatureGenerator signer = null;
            if (sign) {
                signer = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL,
                        HashAlgorithmTags.SHA256), signing.getPublicKey());
                signer.init(PGPSignature.BINARY_DOCUMENT, signing.getPrivateKey());
                signer.generateOnePassVersion(false).encode(inner);
            }
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            try (OutputStream data = literal.open(inner, PGPLiteralData.BINARY, "", plaintext.length, new Date())) {
                data.write(plaintext);
            }
            if (signer != null) {
                signer.update(plaintext);
                signer.generate().encode(inner);
            }
            if (compress) {
                compression.close();
            }
            encrypted.close();
            return result.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

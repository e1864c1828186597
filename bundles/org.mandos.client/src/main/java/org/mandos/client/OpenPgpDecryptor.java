package org.mandos.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/**
 * Decrypts the OpenPGP message a Mandos server sends, with the client's unprotected secret key ring
 * ({@code seckey.txt}, armored or binary, as made by {@code mandos-keygen}). Handles compression, one-pass
 * signatures (not verified: the reference client does not verify them either) and requires an integrity
 * check (MDC or AEAD) that passes.
 */
public final class OpenPgpDecryptor {

    /** Why a message could not be decrypted. The message is one line and contains no secret data. */
    public static final class DecryptionException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean wrongKey;

        DecryptionException(String message, boolean wrongKey) {
            super(message);
            this.wrongKey = wrongKey;
        }

        /** True if the message is encrypted only to keys that are not in the secret key file. */
        public boolean wrongKey() {
            return wrongKey;
        }
    }

    private final PGPSecretKeyRingCollection keys;
    private final String keyFileName;

    private OpenPgpDecryptor(PGPSecretKeyRingCollection keys, String keyFileName) {
        this.keys = keys;
        this.keyFileName = keyFileName;
    }

    /**
     * Reads a secret key file.
     *
     * @throws IOException if it is unreadable, not an OpenPGP secret key ring, or empty
     */
    public static OpenPgpDecryptor fromFile(Path secretKeyFile) throws IOException {
        byte[] bytes = Files.readAllBytes(secretKeyFile);
        try {
            return fromBytes(bytes, secretKeyFile.getFileName().toString());
        } catch (IOException e) {
            throw new IOException(secretKeyFile + ": " + e.getMessage(), e);
        }
    }

    /** Reads an armored or binary secret key ring; {@code name} is used in messages. */
    public static OpenPgpDecryptor fromBytes(byte[] keyRing, String name) throws IOException {
        PGPSecretKeyRingCollection collection;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyRing))) {
            collection = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
        } catch (PGPException | RuntimeException e) {
            throw new IOException("not an OpenPGP secret key file (" + oneLine(e) + ")", e);
        }
        if (collection.size() == 0) {
            throw new IOException("contains no OpenPGP secret key");
        }
        return new OpenPgpDecryptor(collection, name);
    }

    /** The key IDs (16 upper-case hex digits) of all secret keys and subkeys, for debug output. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>();
        for (PGPSecretKeyRing ring : keys) {
            for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext(); ) {
                ids.add(hex(it.next().getKeyID()));
            }
        }
        return ids;
    }

    /**
     * Decrypts an armored or binary OpenPGP message.
     *
     * @return the literal data
     * @throws DecryptionException if the message is for another key, malformed, not integrity protected, or
     *                             fails its integrity check
     */
    public byte[] decrypt(byte[] message) throws DecryptionException {
        try {
            return decryptOrThrow(message);
        } catch (DecryptionException e) {
            throw e;
        } catch (PGPException | IOException | RuntimeException e) {
            throw new DecryptionException("cannot decrypt the password: " + oneLine(e), false);
        }
    }

    private byte[] decryptOrThrow(byte[] message) throws PGPException, IOException, DecryptionException {
        InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(message));
        BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
        Object object = factory.nextObject();
        while (object instanceof PGPMarker) {
            object = factory.nextObject();
        }
        if (!(object instanceof PGPEncryptedDataList)) {
            throw new DecryptionException("cannot decrypt the password: the data is not an encrypted OpenPGP message"
                    + (object == null ? "" : " (found " + object.getClass().getSimpleName() + ")"), false);
        }
        PGPEncryptedDataList list = (PGPEncryptedDataList) object;
        List<String> recipients = new ArrayList<>();
        PGPPublicKeyEncryptedData chosen = null;
        PGPPrivateKey privateKey = null;
        for (PGPEncryptedData data : list) {
            if (!(data instanceof PGPPublicKeyEncryptedData)) {
                continue;
            }
            PGPPublicKeyEncryptedData pked = (PGPPublicKeyEncryptedData) data;
            long keyId = pked.getKeyID();
            recipients.add(keyId == 0 ? "hidden" : hex(keyId));
            for (PGPSecretKey candidate : candidates(keyId)) {
                PGPPrivateKey extracted = candidate.extractPrivateKey(null);
                if (keyId != 0) {
                    chosen = pked;
                    privateKey = extracted;
                    break;
                }
                // Hidden recipient: try each key until one yields a session key.
                try {
                    pked.getSessionKey(new BcPublicKeyDataDecryptorFactory(extracted));
                    chosen = pked;
                    privateKey = extracted;
                    break;
                } catch (PGPException | RuntimeException tryNext) {
                    // not this key
                }
            }
            if (chosen != null) {
                break;
            }
        }
        if (chosen == null) {
            if (recipients.isEmpty()) {
                throw new DecryptionException("cannot decrypt the password: it is not encrypted to a public key", false);
            }
            throw new DecryptionException("the password is encrypted to another OpenPGP key (key ID "
                    + String.join(", ", recipients) + "), not to " + keyFileName, true);
        }
        if (!chosen.isIntegrityProtected()) {
            throw new DecryptionException("cannot decrypt the password: the message has no integrity protection",
                    false);
        }
        byte[] plaintext;
        try (InputStream clear = chosen.getDataStream(new BcPublicKeyDataDecryptorFactory(privateKey))) {
            plaintext = literalData(new BcPGPObjectFactory(clear), 0);
            // Drain what follows the literal data (signatures) so that the whole stream, and the MDC, is read.
            clear.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (!chosen.isAEAD() && !chosen.verify()) {
            throw new DecryptionException("cannot decrypt the password: the message failed its integrity check"
                    + " (modified or corrupt)", false);
        }
        return plaintext;
    }

    private List<PGPSecretKey> candidates(long keyId) throws PGPException {
        List<PGPSecretKey> found = new ArrayList<>();
        if (keyId != 0) {
            PGPSecretKey key = keys.getSecretKey(keyId);
            if (key != null && !key.isPrivateKeyEmpty()) {
                found.add(key);
            }
            return found;
        }
        for (PGPSecretKeyRing ring : keys) {
            for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext(); ) {
                PGPSecretKey key = it.next();
                if (!key.isPrivateKeyEmpty() && key.getPublicKey().isEncryptionKey()) {
                    found.add(key);
                }
            }
        }
        return found;
    }

    private static byte[] literalData(BcPGPObjectFactory factory, int depth) throws IOException, PGPException,
            DecryptionException {
        if (depth > 4) {
            throw new DecryptionException("cannot decrypt the password: too deeply nested compression", false);
        }
        byte[] result = null;
        Object object;
        while ((object = factory.nextObject()) != null) {
            if (object instanceof PGPCompressedData) {
                byte[] inner = literalData(new BcPGPObjectFactory(((PGPCompressedData) object).getDataStream()),
                        depth + 1);
                if (result != null) {
                    throw new DecryptionException("cannot decrypt the password: more than one literal data packet",
                            false);
                }
                result = inner;
            } else if (object instanceof PGPLiteralData) {
                if (result != null) {
                    throw new DecryptionException("cannot decrypt the password: more than one literal data packet",
                            false);
                }
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                ((PGPLiteralData) object).getInputStream().transferTo(buffer);
                result = buffer.toByteArray();
            } else if (object instanceof PGPOnePassSignatureList || object instanceof PGPSignatureList
                    || object instanceof PGPMarker) {
                continue; // signatures are not verified, as by the reference client (gpgme_op_decrypt)
            } else {
                throw new DecryptionException("cannot decrypt the password: unexpected "
                        + object.getClass().getSimpleName() + " in the encrypted data", false);
            }
        }
        if (result == null) {
            throw new DecryptionException("cannot decrypt the password: no literal data in the message", false);
        }
        return result;
    }

    static String hex(long keyId) {
        return String.format(Locale.ROOT, "%016X", keyId);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}

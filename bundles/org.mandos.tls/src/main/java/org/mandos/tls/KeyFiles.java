package org.mandos.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.List;
import org.mandos.tls.internal.KeyDecoding;
import org.mandos.tls.internal.KeyGeneration;
import org.mandos.tls.internal.KeyPairCheck;
import org.mandos.tls.internal.Pem;

/**
 * The Mandos client's TLS key files, {@code tls-pubkey.pem} and {@code tls-privkey.pem}, as
 * {@code mandos-keygen} writes them, and new keys for tests, tools and the self-test.
 *
 * <p>Readable: {@code PUBLIC KEY} (SubjectPublicKeyInfo); {@code PRIVATE KEY} (unencrypted PKCS#8, what
 * {@code mandos-keygen} and {@code certtool --pkcs8} write); {@code RSA PRIVATE KEY} (PKCS#1) and
 * {@code EC PRIVATE KEY} (SEC 1, named curve), what {@code certtool --generate-privkey} writes for RSA and
 * ECDSA without {@code --pkcs8}. Text around the PEM block is ignored. Key types: Ed25519, Ed448, ECDSA P-256,
 * P-384, P-521, RSA. Encrypted keys are rejected. Error messages name the file and the problem, never key
 * material.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** Reads a {@code PUBLIC KEY} PEM file. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        String text = read(file);
        try {
            return KeyDecoding.publicKey(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** Reads a {@code PRIVATE KEY}, {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY} PEM file. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String text = read(file);
        try {
            return KeyDecoding.privateKey(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /**
     * Reads both files and checks that the private key belongs to the public key.
     *
     * @throws IOException if a file is unreadable, or the keys do not form a pair
     */
    public static KeyPair readKeyPair(Path publicKeyFile, Path privateKeyFile) throws IOException {
        PublicKey publicKey = readPublicKey(publicKeyFile);
        PrivateKey privateKey = readPrivateKey(privateKeyFile);
        if (!KeyPairCheck.matches(publicKey, privateKey)) {
            throw new IOException(privateKeyFile + ": private key does not belong to the public key in "
                    + publicKeyFile);
        }
        return new KeyPair(publicKey, privateKey);
    }

    /** Parses {@code PUBLIC KEY} PEM text; throws {@link IllegalArgumentException} if it cannot. */
    public static PublicKey parsePublicKey(String pem) {
        return KeyDecoding.publicKey(pem);
    }

    /** Parses private-key PEM text (any format {@link #readPrivateKey} reads). */
    public static PrivateKey parsePrivateKey(String pem) {
        return KeyDecoding.privateKey(pem);
    }

    /** {@code key} as {@code PUBLIC KEY} PEM, as in {@code tls-pubkey.pem}. */
    public static String toPem(PublicKey key) {
        return Pem.encode("PUBLIC KEY", key.getEncoded());
    }

    /** {@code key} as unencrypted PKCS#8 {@code PRIVATE KEY} PEM, as in {@code tls-privkey.pem}. */
    public static String toPem(PrivateKey key) {
        return Pem.encode("PRIVATE KEY", key.getEncoded());
    }

    /** The type names {@link #generate} accepts: {@code ed25519}, {@code ed448}, {@code ecdsa-p256}, ... */
    public static List<String> keyTypes() {
        return KeyGeneration.TYPES;
    }

    /**
     * Makes a new key pair.
     *
     * @param type {@code ed25519}, {@code ed448}, {@code ecdsa-p256}, {@code ecdsa-p384}, {@code ecdsa-p521},
     *             {@code rsa-2048}, {@code rsa-3072} or {@code rsa-4096} (case-insensitive)
     * @throws IllegalArgumentException for any other type
     */
    public static KeyPair generate(String type) {
        return generate(type, new SecureRandom());
    }

    /** As {@link #generate(String)}, with the given source of randomness. */
    public static KeyPair generate(String type, SecureRandom random) {
        return KeyGeneration.generate(type, random);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}

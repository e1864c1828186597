package org.mandos.tls;

import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Mandos key IDs: the SHA-256 of a raw public key's DER-encoded SubjectPublicKeyInfo, as 64 upper-case hex
 * digits; the same value as {@code certtool --key-id --hash=sha256} and the {@code key_id} option of
 * {@code clients.conf}.
 */
public final class KeyIds {

    /**
     * SHA-256 of empty input, which every 1.8.0 client sent. It must never match a client.
     */
    public static final String BLACKLISTED = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private KeyIds() {
    }

    /**
     * The key ID of a raw public key.
     *
     * @param subjectPublicKeyInfoDer the DER-encoded SubjectPublicKeyInfo, as a raw-public-key peer sends it
     * @return 64 upper-case hex digits
     */
    public static String of(byte[] subjectPublicKeyInfoDer) {
        Objects.requireNonNull(subjectPublicKeyInfoDer, "subjectPublicKeyInfoDer");
        SHA256Digest digest = new SHA256Digest();
        digest.update(subjectPublicKeyInfoDer, 0, subjectPublicKeyInfoDer.length);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        return HEX.formatHex(hash);
    }

    /** The key ID of {@code key}, from its X.509 ({@code SubjectPublicKeyInfo}) encoding. */
    public static String of(PublicKey key) {
        return of(key.getEncoded());
    }

    /** Whether {@code keyId} is {@link #BLACKLISTED}, compared case-insensitively. */
    public static boolean isBlacklisted(String keyId) {
        return BLACKLISTED.equalsIgnoreCase(keyId);
    }
}

package org.mandos.sample.checker.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * OpenSSH host key fingerprints in the form {@code ssh-keygen -l} prints by default:
 * {@code SHA256:} followed by the unpadded standard Base64 of the SHA-256 digest of the key's SSH wire
 * encoding (43 characters).
 */
final class Fingerprints {

    static final String PREFIX = "SHA256:";

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Pattern BASE64_43 = Pattern.compile("[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]");

    private Fingerprints() {
    }

    /**
     * Parses the {@code ssh_fingerprint} option: one or more fingerprints separated by commas or white
     * space. The prefix is accepted in any case and trailing Base64 padding is dropped, so the result is
     * in the canonical form that {@link #sha256(byte[])} returns.
     *
     * @throws IllegalArgumentException with a message for the user when the value is empty or a part of
     *                                  it is not a SHA256 fingerprint
     */
    static Set<String> parse(String value) {
        Set<String> fingerprints = new LinkedHashSet<>();
        for (String part : SEPARATORS.split(value == null ? "" : value.strip())) {
            if (!part.isEmpty()) {
                fingerprints.add(parseOne(part));
            }
        }
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("no fingerprint given");
        }
        return Set.copyOf(fingerprints);
    }

    private static String parseOne(String part) {
        if (part.regionMatches(true, 0, "MD5:", 0, 4)) {
            throw new IllegalArgumentException("\"" + part + "\" is an MD5 fingerprint; give the SHA256 one"
                    + " (ssh-keygen -l -E sha256)");
        }
        if (!part.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("\"" + part + "\" is not a fingerprint of the form SHA256:<base64>"
                    + " (as ssh-keygen -l prints)");
        }
        String digest = part.substring(PREFIX.length());
        if (digest.endsWith("=")) {
            digest = digest.substring(0, digest.length() - 1);
        }
        if (!BASE64_43.matcher(digest).matches()) {
            throw new IllegalArgumentException("\"" + part + "\" is not a SHA256 fingerprint: after SHA256: it"
                    + " needs the 43 Base64 characters of a 32-byte digest");
        }
        return PREFIX + digest;
    }

    /** The fingerprint of a public key given in its SSH wire encoding (the host key blob). */
    static String sha256(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The fingerprint of a public key given as an OpenSSH public key line ({@code type base64 [comment]}). */
    static String ofPublicKeyLine(String line) {
        String[] fields = line.strip().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line");
        }
        return sha256(Base64.getDecoder().decode(fields[1].getBytes(StandardCharsets.US_ASCII)));
    }
}

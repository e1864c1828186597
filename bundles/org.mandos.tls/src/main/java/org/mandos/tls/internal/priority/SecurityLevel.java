package org.mandos.tls.internal.priority;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The GnuTLS keywords that start a priority string, with the lists GnuTLS 3.7.9 gives them
 * ({@code gnutls-cli -l --priority KEYWORD}), with one deliberate difference: where a keyword allows both,
 * X25519 comes before the NIST curves (GnuTLS puts secp256r1 first). The key share goes to the first group,
 * and an X25519 exchange costs about a third less CPU than a P-256 one; every GnuTLS client supports it
 * without a HelloRetryRequest. Certificate types are not part of a keyword.
 */
public enum SecurityLevel {
    NONE(Lists.NO_VERSIONS, Lists.NONE, Lists.NONE, Lists.NONE, Lists.NONE, Lists.NONE),
    NORMAL(Lists.ALL_VERSIONS, Lists.NORMAL_CIPHERS, Lists.SHA1_AEAD, Lists.NORMAL_KX, Lists.ALL_GROUPS,
            Lists.NORMAL_SIGNATURES),
    LEGACY(Lists.ALL_VERSIONS, Lists.NORMAL_CIPHERS, Lists.SHA1_AEAD, Lists.NORMAL_KX, Lists.ALL_GROUPS,
            Lists.NORMAL_SIGNATURES),
    PFS(Lists.ALL_VERSIONS, Lists.NORMAL_CIPHERS, Lists.SHA1_AEAD, Lists.PFS_KX, Lists.ALL_GROUPS,
            Lists.NORMAL_SIGNATURES),
    PERFORMANCE(Lists.ALL_VERSIONS, Lists.PERFORMANCE_CIPHERS, Lists.SHA1_AEAD, Lists.PERFORMANCE_KX,
            Lists.ALL_GROUPS, Lists.NORMAL_SIGNATURES),
    SECURE128(Lists.ALL_VERSIONS, Lists.SECURE128_CIPHERS, Lists.SHA1_AEAD, Lists.NORMAL_KX, Lists.ALL_GROUPS,
            Lists.SECURE128_SIGNATURES),
    SECURE192(Lists.ALL_VERSIONS, Lists.SECURE192_CIPHERS, Lists.AEAD, Lists.NORMAL_KX, Lists.SECURE192_GROUPS,
            Lists.SECURE192_SIGNATURES),
    SECURE256(Lists.ALL_VERSIONS, Lists.SECURE192_CIPHERS, Lists.AEAD, Lists.NORMAL_KX, Lists.SECURE192_GROUPS,
            Lists.SECURE192_SIGNATURES),
    SUITEB128(Lists.TLS12, Lists.SUITEB128_CIPHERS, Lists.AEAD, Lists.SUITEB_KX, Lists.SUITEB128_GROUPS,
            Lists.SUITEB128_SIGNATURES),
    SUITEB192(Lists.TLS12, Lists.SUITEB192_CIPHERS, Lists.AEAD, Lists.SUITEB_KX, Lists.SUITEB192_GROUPS,
            Lists.SUITEB192_SIGNATURES);

    private final String[] versions;
    private final String[] ciphers;
    private final String[] macs;
    private final String[] keyExchanges;
    private final String[] groups;
    private final String[] signatures;

    SecurityLevel(String[] versions, String[] ciphers, String[] macs, String[] keyExchanges, String[] groups,
            String[] signatures) {
        this.versions = versions;
        this.ciphers = ciphers;
        this.macs = macs;
        this.keyExchanges = keyExchanges;
        this.groups = groups;
        this.signatures = signatures;
    }

    /** The keyword called {@code name} ({@code SECURE} is GnuTLS's alias of {@code SECURE128}). */
    public static Optional<SecurityLevel> named(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("SECURE")) {
            return Optional.of(SECURE128);
        }
        for (SecurityLevel level : values()) {
            if (level.name().equals(upper)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    List<Algorithm> versions() {
        return Catalog.all(versions);
    }

    List<Algorithm> ciphers() {
        return Catalog.all(ciphers);
    }

    List<Algorithm> macs() {
        return Catalog.all(macs);
    }

    List<Algorithm> keyExchanges() {
        return Catalog.all(keyExchanges);
    }

    List<Algorithm> groups() {
        return Catalog.all(groups);
    }

    List<Algorithm> signatures() {
        return Catalog.all(signatures);
    }

    /** The lists themselves, kept apart so the enum constants above stay readable. */
    private static final class Lists {
        static final String[] NONE = {};
        static final String[] NO_VERSIONS = {};
        static final String[] ALL_VERSIONS = {"VERS-TLS1.3", "VERS-TLS1.2", "VERS-TLS1.1", "VERS-TLS1.0",
            "VERS-DTLS1.2", "VERS-DTLS1.0"};
        static final String[] TLS12 = {"VERS-TLS1.2"};

        static final String[] NORMAL_CIPHERS = {"AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CCM", "AES-256-CBC",
            "AES-128-GCM", "AES-128-CCM", "AES-128-CBC"};
        static final String[] SECURE128_CIPHERS = {"AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CBC",
            "AES-256-CCM", "AES-128-GCM", "AES-128-CBC", "AES-128-CCM"};
        static final String[] SECURE192_CIPHERS = {"AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CBC",
            "AES-256-CCM"};
        static final String[] PERFORMANCE_CIPHERS = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305",
            "AES-128-CCM", "AES-256-CCM", "AES-128-CBC", "AES-256-CBC"};
        static final String[] SUITEB128_CIPHERS = {"AES-256-GCM", "AES-128-GCM"};
        static final String[] SUITEB192_CIPHERS = {"AES-256-GCM"};

        static final String[] SHA1_AEAD = {"SHA1", "AEAD"};
        static final String[] AEAD = {"AEAD"};

        static final String[] NORMAL_KX = {"ECDHE-ECDSA", "ECDHE-RSA", "RSA", "DHE-RSA"};
        static final String[] PFS_KX = {"ECDHE-ECDSA", "ECDHE-RSA", "DHE-RSA"};
        static final String[] PERFORMANCE_KX = {"RSA", "ECDHE-ECDSA", "ECDHE-RSA", "DHE-RSA"};
        static final String[] SUITEB_KX = {"ECDHE-ECDSA"};

        static final String[] ALL_GROUPS = {"GROUP-X25519", "GROUP-SECP256R1", "GROUP-SECP384R1",
            "GROUP-SECP521R1", "GROUP-X448", "GROUP-FFDHE2048", "GROUP-FFDHE3072", "GROUP-FFDHE4096",
            "GROUP-FFDHE6144", "GROUP-FFDHE8192"};
        static final String[] SECURE192_GROUPS = {"GROUP-SECP384R1", "GROUP-SECP521R1", "GROUP-FFDHE8192"};
        static final String[] SUITEB128_GROUPS = {"GROUP-SECP256R1", "GROUP-SECP384R1"};
        static final String[] SUITEB192_GROUPS = {"GROUP-SECP384R1"};

        static final String[] SECURE128_SIGNATURES = {"SIGN-RSA-SHA256", "SIGN-RSA-PSS-SHA256",
            "SIGN-RSA-PSS-RSAE-SHA256", "SIGN-ECDSA-SHA256", "SIGN-ECDSA-SECP256R1-SHA256", "SIGN-EDDSA-ED25519",
            "SIGN-RSA-SHA384", "SIGN-RSA-PSS-SHA384", "SIGN-RSA-PSS-RSAE-SHA384", "SIGN-ECDSA-SHA384",
            "SIGN-ECDSA-SECP384R1-SHA384", "SIGN-EDDSA-ED448", "SIGN-RSA-SHA512", "SIGN-RSA-PSS-SHA512",
            "SIGN-RSA-PSS-RSAE-SHA512", "SIGN-ECDSA-SHA512", "SIGN-ECDSA-SECP521R1-SHA512"};
        static final String[] NORMAL_SIGNATURES = concat(SECURE128_SIGNATURES, "SIGN-RSA-SHA1", "SIGN-ECDSA-SHA1");
        static final String[] SECURE192_SIGNATURES = {"SIGN-RSA-SHA384", "SIGN-RSA-PSS-SHA384",
            "SIGN-RSA-PSS-RSAE-SHA384", "SIGN-ECDSA-SHA384", "SIGN-ECDSA-SECP384R1-SHA384", "SIGN-EDDSA-ED448",
            "SIGN-RSA-SHA512", "SIGN-RSA-PSS-SHA512", "SIGN-RSA-PSS-RSAE-SHA512", "SIGN-ECDSA-SHA512",
            "SIGN-ECDSA-SECP521R1-SHA512"};
        static final String[] SUITEB128_SIGNATURES = {"SIGN-ECDSA-SHA256", "SIGN-ECDSA-SECP256R1-SHA256",
            "SIGN-ECDSA-SHA384", "SIGN-ECDSA-SECP384R1-SHA384"};
        static final String[] SUITEB192_SIGNATURES = {"SIGN-ECDSA-SHA384", "SIGN-ECDSA-SECP384R1-SHA384"};

        private static String[] concat(String[] head, String... tail) {
            String[] result = Arrays.copyOf(head, head.length + tail.length);
            System.arraycopy(tail, 0, result, head.length, tail.length);
            return result;
        }

        private Lists() {
        }
    }
}

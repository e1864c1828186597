package org.mandos.tls.internal.priority;

import java.util.Locale;
import java.util.Optional;

/**
 * The GnuTLS 3.7 {@code %FLAG} tokens. Three change what this implementation does; the others concern
 * TLS 1.2 and older, session tickets, renegotiation or X.509 path verification, none of which happens
 * here, so they are accepted and have no effect.
 */
enum Flag {
    SERVER_PRECEDENCE(true),
    DISABLE_TLS13_COMPAT_MODE(true),
    NO_EXTENSIONS(true),

    COMPAT(false),
    DUMBFW(false),
    NO_TICKETS(false),
    NO_TICKETS_TLS12(false),
    NO_SESSION_HASH(false),
    FORCE_ETM(false),
    NO_ETM(false),
    SAFE_RENEGOTIATION(false),
    UNSAFE_RENEGOTIATION(false),
    PARTIAL_RENEGOTIATION(false),
    DISABLE_SAFE_RENEGOTIATION(false),
    NEW_PADDING(false),
    SSL3_RECORD_VERSION(false),
    LATEST_RECORD_VERSION(false),
    STATELESS_COMPRESSION(false),
    ALLOW_SMALL_RECORDS(false),
    FALLBACK_SCSV(false),
    DEBUG_ALLOW_KEY_USAGE_VIOLATIONS(false),
    VERIFY_ALLOW_SIGN_RSA_MD5(false),
    VERIFY_ALLOW_X509_V1_CA_CRT(false),
    VERIFY_DISABLE_CRL_CHECKS(false),
    VERIFY_ALLOW_BROKEN(false),
    VERIFY_ALLOW_SIGN_WITH_SHA1(false),
    PROFILE_VERY_WEAK(false),
    PROFILE_LOW(false),
    PROFILE_LEGACY(false),
    PROFILE_MEDIUM(false),
    PROFILE_HIGH(false),
    PROFILE_ULTRA(false),
    PROFILE_FUTURE(false),
    PROFILE_SUITEB128(false),
    PROFILE_SUITEB192(false);

    private final boolean effective;

    Flag(boolean effective) {
        this.effective = effective;
    }

    /** Whether this flag changes anything in this implementation. */
    boolean effective() {
        return effective;
    }

    static Optional<Flag> named(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (Flag flag : values()) {
            if (flag.name().equals(upper)) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }
}

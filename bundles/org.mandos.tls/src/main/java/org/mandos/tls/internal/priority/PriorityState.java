package org.mandos.tls.internal.priority;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mandos.tls.internal.Tls13Parameters;

/**
 * The ordered algorithm lists while a priority string is read, following GnuTLS: {@code +X} appends X
 * unless already present, {@code -X} and {@code !X} remove it, a keyword appends its lists.
 */
final class PriorityState {

    private final Map<Family, LinkedHashSet<Algorithm>> lists = new EnumMap<>(Family.class);
    private final CertificateTypes certificateTypes = new CertificateTypes();
    private final Set<Flag> flags = EnumSet.noneOf(Flag.class);

    PriorityState() {
        for (Family family : Family.values()) {
            lists.put(family, new LinkedHashSet<>());
        }
    }

    /** Starts from a keyword, as the first token of a string does. */
    void start(SecurityLevel level) {
        append(level.versions());
        append(level.keyExchanges());
        appendKeyword(level);
    }

    /**
     * A keyword after the first token appends its ciphers, MACs, groups and signatures; GnuTLS leaves the
     * protocol versions and key exchanges alone in that case.
     */
    void appendKeyword(SecurityLevel level) {
        append(level.ciphers());
        append(level.macs());
        append(level.groups());
        append(level.signatures());
    }

    void append(List<Algorithm> algorithms) {
        for (Algorithm algorithm : algorithms) {
            lists.get(algorithm.family()).add(algorithm);
        }
    }

    void remove(List<Algorithm> algorithms) {
        for (Algorithm algorithm : algorithms) {
            lists.get(algorithm.family()).remove(algorithm);
        }
    }

    CertificateTypes certificateTypes() {
        return certificateTypes;
    }

    void set(Flag flag) {
        flags.add(flag);
    }

    /** What the lists mean for TLS 1.3 with raw public keys; rejects a result this server cannot use. */
    Tls13Parameters toParameters(String original) {
        requireTls13(original);
        requireRawPublicKeys(original);
        boolean aead = lists.get(Family.MAC).stream().anyMatch(Algorithm::usedByTls13);
        List<Integer> suites = aead ? codes(Family.CIPHER) : List.of();
        if (suites.isEmpty()) {
            throw new IllegalArgumentException("priority string \"" + original + "\" leaves no TLS 1.3 cipher"
                    + " suite: it needs AEAD and one of AES-256-GCM, CHACHA20-POLY1305, AES-128-GCM, AES-128-CCM,"
                    + " AES-128-CCM-8");
        }
        List<Integer> groups = codes(Family.GROUP);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("priority string \"" + original + "\" leaves no key exchange group"
                    + " usable in TLS 1.3 (GROUP-SECP256R1, GROUP-SECP384R1, GROUP-SECP521R1, GROUP-X25519,"
                    + " GROUP-X448, GROUP-FFDHE2048 to GROUP-FFDHE8192)");
        }
        List<Integer> signatures = codes(Family.SIGNATURE);
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("priority string \"" + original + "\" leaves no signature algorithm"
                    + " usable in TLS 1.3 (SIGN-EDDSA-ED25519, SIGN-EDDSA-ED448, SIGN-ECDSA-SECP256R1-SHA256 and"
                    + " the other curve-specific ECDSA ones, SIGN-RSA-PSS-RSAE-SHA256/384/512,"
                    + " SIGN-RSA-PSS-SHA256/384/512)");
        }
        return new Tls13Parameters(suites, groups, signatures, flags.contains(Flag.SERVER_PRECEDENCE),
                !flags.contains(Flag.DISABLE_TLS13_COMPAT_MODE));
    }

    private void requireTls13(String original) {
        boolean tls13 = lists.get(Family.VERSION).stream().anyMatch(Algorithm::usedByTls13);
        if (tls13 && flags.contains(Flag.NO_EXTENSIONS)) {
            throw new IllegalArgumentException("priority string \"" + original + "\" does not enable TLS 1.3:"
                    + " %NO_EXTENSIONS turns it off, and TLS 1.3 is the only protocol version this server speaks");
        }
        if (!tls13) {
            throw new IllegalArgumentException("priority string \"" + original + "\" does not enable TLS 1.3"
                    + " (VERS-TLS1.3), the only protocol version this server speaks");
        }
    }

    private void requireRawPublicKeys(String original) {
        if (!certificateTypes.serverRawPublicKey()) {
            String openPgp = certificateTypes.anyOpenPgp()
                    ? "; OpenPGP certificates (CTYPE-OPENPGP) are not supported" : "";
            throw new IllegalArgumentException("priority string \"" + original + "\" does not enable raw public"
                    + " keys (CTYPE-RAWPK or CTYPE-SRV-RAWPK), the only certificate type this server supports"
                    + openPgp);
        }
    }

    private List<Integer> codes(Family family) {
        List<Integer> result = new ArrayList<>();
        for (Algorithm algorithm : lists.get(family)) {
            if (algorithm.usedByTls13() && !result.contains(algorithm.tls13())) {
                result.add(algorithm.tls13());
            }
        }
        return result;
    }
}

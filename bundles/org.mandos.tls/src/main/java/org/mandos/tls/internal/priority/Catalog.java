package org.mandos.tls.internal.priority;

import static org.mandos.tls.internal.priority.Algorithm.ENABLES;
import static org.mandos.tls.internal.priority.Algorithm.NONE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;

/**
 * The GnuTLS 3.7 algorithm names this server accepts in a priority string, and the {@code *-ALL} names
 * that stand for several of them. Lookups are case-insensitive, as in GnuTLS.
 */
public final class Catalog {

    /**
     * A name that stands for several algorithms of one family.
     *
     * @param adds    what {@code +NAME} appends (GnuTLS appends its NORMAL set)
     * @param removes what {@code -NAME} removes (every algorithm of the family, or of the sub-family)
     */
    public record Collective(List<Algorithm> adds, List<Algorithm> removes) {
    }

    private static final Map<String, Algorithm> ALGORITHMS = new HashMap<>();
    private static final Map<String, Collective> COLLECTIVES = new HashMap<>();

    static {
        versions();
        ciphers();
        macs();
        keyExchanges();
        groups();
        signatures();
        compression();
    }

    private Catalog() {
    }

    /** The single algorithm called {@code name}, if any. */
    public static Optional<Algorithm> algorithm(String name) {
        return Optional.ofNullable(ALGORITHMS.get(key(name)));
    }

    /** The collective name {@code name} (such as {@code CIPHER-ALL}), if any. */
    public static Optional<Collective> collective(String name) {
        return Optional.ofNullable(COLLECTIVES.get(key(name)));
    }

    /** The algorithms called {@code names}, in order; every name must exist. */
    static List<Algorithm> all(String... names) {
        List<Algorithm> result = new ArrayList<>(names.length);
        for (String name : names) {
            Algorithm algorithm = ALGORITHMS.get(key(name));
            if (algorithm == null) {
                throw new IllegalStateException("catalogue lacks " + name);
            }
            result.add(algorithm);
        }
        return List.copyOf(result);
    }

    /** Every algorithm of {@code family} whose name starts with {@code prefix}. */
    static List<Algorithm> everyOf(Family family, String prefix) {
        return ALGORITHMS.values().stream()
                .filter(a -> a.family() == family && a.name().startsWith(prefix))
                .distinct()
                .toList();
    }

    private static String key(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    private static void define(Family family, String name, int tls13) {
        ALGORITHMS.put(key(name), new Algorithm(family, key(name), tls13));
    }

    private static void alias(String alias, String name) {
        ALGORITHMS.put(key(alias), ALGORITHMS.get(key(name)));
    }

    private static void collective(String name, List<Algorithm> adds, List<Algorithm> removes) {
        COLLECTIVES.put(key(name), new Collective(adds, removes));
    }

    private static void versions() {
        define(Family.VERSION, "VERS-TLS1.3", ENABLES);
        for (String v : new String[] {"VERS-TLS1.2", "VERS-TLS1.1", "VERS-TLS1.0", "VERS-SSL3.0",
                "VERS-DTLS1.2", "VERS-DTLS1.0", "VERS-DTLS0.9"}) {
            define(Family.VERSION, v, NONE);
        }
        collective("VERS-ALL", all("VERS-TLS1.3", "VERS-TLS1.2", "VERS-TLS1.1", "VERS-TLS1.0", "VERS-DTLS1.2",
                "VERS-DTLS1.0"), everyOf(Family.VERSION, "VERS-"));
        collective("VERS-TLS-ALL", all("VERS-TLS1.3", "VERS-TLS1.2", "VERS-TLS1.1", "VERS-TLS1.0"),
                all("VERS-TLS1.3", "VERS-TLS1.2", "VERS-TLS1.1", "VERS-TLS1.0", "VERS-SSL3.0"));
        collective("VERS-DTLS-ALL", all("VERS-DTLS1.2", "VERS-DTLS1.0"), everyOf(Family.VERSION, "VERS-DTLS"));
    }

    private static void ciphers() {
        define(Family.CIPHER, "AES-128-GCM", CipherSuite.TLS_AES_128_GCM_SHA256);
        define(Family.CIPHER, "AES-256-GCM", CipherSuite.TLS_AES_256_GCM_SHA384);
        define(Family.CIPHER, "CHACHA20-POLY1305", CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
        define(Family.CIPHER, "AES-128-CCM", CipherSuite.TLS_AES_128_CCM_SHA256);
        define(Family.CIPHER, "AES-128-CCM-8", CipherSuite.TLS_AES_128_CCM_8_SHA256);
        for (String c : new String[] {"AES-128-CBC", "AES-256-CBC", "AES-256-CCM", "AES-256-CCM-8",
                "CAMELLIA-128-CBC", "CAMELLIA-256-CBC", "CAMELLIA-128-GCM", "CAMELLIA-256-GCM", "3DES-CBC",
                "ARCFOUR-128", "NULL", "GOST28147-TC26Z-CNT"}) {
            define(Family.CIPHER, c, NONE);
        }
        collective("CIPHER-ALL", SecurityLevel.NORMAL.ciphers(), everyOf(Family.CIPHER, ""));
    }

    private static void macs() {
        define(Family.MAC, "AEAD", ENABLES);
        for (String m : new String[] {"SHA1", "SHA256", "SHA384", "SHA512", "MD5", "UMAC-96", "UMAC-128",
                "GOST28147-TC26Z-IMIT"}) {
            define(Family.MAC, m, NONE);
        }
        collective("MAC-ALL", SecurityLevel.NORMAL.macs(), everyOf(Family.MAC, ""));
    }

    private static void keyExchanges() {
        for (String k : new String[] {"RSA", "DHE-RSA", "DHE-DSS", "ECDHE-RSA", "ECDHE-ECDSA", "PSK", "RSA-PSK",
                "DHE-PSK", "ECDHE-PSK", "SRP", "SRP-RSA", "SRP-DSS", "ANON-DH", "ANON-ECDH", "VKO-GOST-12",
                "RSA-EXPORT"}) {
            define(Family.KEY_EXCHANGE, k, NONE);
        }
        collective("KX-ALL", SecurityLevel.NORMAL.keyExchanges(), everyOf(Family.KEY_EXCHANGE, ""));
    }

    private static void groups() {
        define(Family.GROUP, "GROUP-SECP256R1", NamedGroup.secp256r1);
        define(Family.GROUP, "GROUP-SECP384R1", NamedGroup.secp384r1);
        define(Family.GROUP, "GROUP-SECP521R1", NamedGroup.secp521r1);
        define(Family.GROUP, "GROUP-X25519", NamedGroup.x25519);
        define(Family.GROUP, "GROUP-X448", NamedGroup.x448);
        define(Family.GROUP, "GROUP-FFDHE2048", NamedGroup.ffdhe2048);
        define(Family.GROUP, "GROUP-FFDHE3072", NamedGroup.ffdhe3072);
        define(Family.GROUP, "GROUP-FFDHE4096", NamedGroup.ffdhe4096);
        define(Family.GROUP, "GROUP-FFDHE6144", NamedGroup.ffdhe6144);
        define(Family.GROUP, "GROUP-FFDHE8192", NamedGroup.ffdhe8192);
        // Not negotiable in TLS 1.3 (RFC 8446 dropped the small curves; GnuTLS uses GOST only in TLS 1.2).
        for (String g : new String[] {"GROUP-SECP192R1", "GROUP-SECP224R1", "GROUP-GC256B", "GROUP-GC512A"}) {
            define(Family.GROUP, g, NONE);
        }
        // GnuTLS still accepts the pre-3.6 CURVE-* spelling for the elliptic-curve groups.
        for (String curve : new String[] {"SECP192R1", "SECP224R1", "SECP256R1", "SECP384R1", "SECP521R1",
                "X25519", "X448"}) {
            alias("CURVE-" + curve, "GROUP-" + curve);
        }
        List<Algorithm> everyGroup = everyOf(Family.GROUP, "GROUP-");
        collective("GROUP-ALL", SecurityLevel.NORMAL.groups(), everyGroup);
        collective("CURVE-ALL", SecurityLevel.NORMAL.groups(), everyGroup);
        collective("GROUP-EC-ALL",
                all("GROUP-SECP256R1", "GROUP-SECP384R1", "GROUP-SECP521R1", "GROUP-X25519", "GROUP-X448"),
                everyGroup.stream().filter(a -> !a.name().startsWith("GROUP-FFDHE")).toList());
        collective("GROUP-DH-ALL", everyOf(Family.GROUP, "GROUP-FFDHE").stream()
                .sorted((a, b) -> Integer.compare(a.tls13(), b.tls13())).toList(),
                everyOf(Family.GROUP, "GROUP-FFDHE"));
    }

    private static void signatures() {
        define(Family.SIGNATURE, "SIGN-RSA-PSS-SHA256", SignatureScheme.rsa_pss_pss_sha256);
        define(Family.SIGNATURE, "SIGN-RSA-PSS-SHA384", SignatureScheme.rsa_pss_pss_sha384);
        define(Family.SIGNATURE, "SIGN-RSA-PSS-SHA512", SignatureScheme.rsa_pss_pss_sha512);
        define(Family.SIGNATURE, "SIGN-RSA-PSS-RSAE-SHA256", SignatureScheme.rsa_pss_rsae_sha256);
        define(Family.SIGNATURE, "SIGN-RSA-PSS-RSAE-SHA384", SignatureScheme.rsa_pss_rsae_sha384);
        define(Family.SIGNATURE, "SIGN-RSA-PSS-RSAE-SHA512", SignatureScheme.rsa_pss_rsae_sha512);
        define(Family.SIGNATURE, "SIGN-EDDSA-ED25519", SignatureScheme.ed25519);
        define(Family.SIGNATURE, "SIGN-EDDSA-ED448", SignatureScheme.ed448);
        define(Family.SIGNATURE, "SIGN-ECDSA-SECP256R1-SHA256", SignatureScheme.ecdsa_secp256r1_sha256);
        define(Family.SIGNATURE, "SIGN-ECDSA-SECP384R1-SHA384", SignatureScheme.ecdsa_secp384r1_sha384);
        define(Family.SIGNATURE, "SIGN-ECDSA-SECP521R1-SHA512", SignatureScheme.ecdsa_secp521r1_sha512);
        // Shorter spellings that GnuTLS itself does not know.
        alias("SIGN-ED25519", "SIGN-EDDSA-ED25519");
        alias("SIGN-ED448", "SIGN-EDDSA-ED448");
        // PKCS#1 v1.5, curve-less ECDSA, DSA and the rest sign only in TLS 1.2 and older
        // (RFC 8446 4.4.3; GnuTLS gives SIGN-ECDSA-SHA256 pre-TLS 1.3 semantics).
        for (String algorithm : new String[] {"RSA", "ECDSA", "DSA"}) {
            for (String hash : new String[] {"SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3-224",
                    "SHA3-256", "SHA3-384", "SHA3-512"}) {
                define(Family.SIGNATURE, "SIGN-" + algorithm + "-" + hash, NONE);
            }
        }
        for (String s : new String[] {"SIGN-RSA-MD5", "SIGN-RSA-RMD160", "SIGN-GOSTR341012-512",
                "SIGN-GOSTR341012-256", "SIGN-GOSTR341001"}) {
            define(Family.SIGNATURE, s, NONE);
        }
        collective("SIGN-ALL", SecurityLevel.NORMAL.signatures(), everyOf(Family.SIGNATURE, ""));
    }

    private static void compression() {
        define(Family.COMPRESSION, "COMP-NULL", NONE);
        define(Family.COMPRESSION, "COMP-DEFLATE", NONE);
        collective("COMP-ALL", all("COMP-NULL"), everyOf(Family.COMPRESSION, ""));
    }
}

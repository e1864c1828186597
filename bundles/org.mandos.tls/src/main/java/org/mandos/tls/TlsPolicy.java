package org.mandos.tls;

import java.util.List;
import org.mandos.tls.internal.Tls13Parameters;
import org.mandos.tls.internal.TlsNames;
import org.mandos.tls.internal.priority.PriorityParser;

/**
 * The TLS parameters of a Mandos connection, read from a GnuTLS priority string (the {@code priority}
 * option of {@code mandos.conf} and {@code --priority}). Immutable and thread-safe; parse once, use for
 * every connection.
 *
 * <p>This implementation speaks only TLS 1.3 with RFC 7250 raw public keys, so a priority string is reduced
 * to what matters there: the order of TLS 1.3 cipher suites, key exchange groups and signature schemes.
 * {@link #parse} follows GnuTLS 3.7: tokens are separated by {@code :}, names are case-insensitive, the
 * first token may be a keyword that sets every list, {@code +NAME} appends (keeping the position of a name
 * already present), {@code -NAME} and {@code !NAME} remove, and a later keyword appends its lists.
 *
 * <table>
 * <caption>Priority-string tokens and their effect</caption>
 * <tr><th>Tokens</th><th>Effect here</th></tr>
 * <tr><td>{@code NORMAL}, {@code PFS}, {@code LEGACY}, {@code PERFORMANCE}, {@code SECURE128} (alias
 *   {@code SECURE}), {@code SECURE192}, {@code SECURE256}, {@code SUITEB128}, {@code SUITEB192},
 *   {@code NONE}</td>
 *   <td>the GnuTLS 3.7.9 lists for that keyword (first token), or its ciphers, MACs, groups and signatures
 *   appended (later token, with or without {@code +})</td></tr>
 * <tr><td>{@code VERS-TLS1.3}</td><td>must remain enabled</td></tr>
 * <tr><td>{@code VERS-TLS1.2}, {@code -TLS1.1}, {@code -TLS1.0}, {@code -SSL3.0}, {@code VERS-DTLS*},
 *   {@code VERS-ALL}, {@code VERS-TLS-ALL}, {@code VERS-DTLS-ALL}</td>
 *   <td>accepted; only whether TLS 1.3 survives matters</td></tr>
 * <tr><td>{@code CTYPE-RAWPK}, {@code CTYPE-SRV-RAWPK}</td><td>must end up enabled (for the TLS server,
 *   i.e. the Mandos client)</td></tr>
 * <tr><td>{@code CTYPE-X.509}, {@code CTYPE-X509}, {@code CTYPE-OPENPGP}, {@code CTYPE-ALL},
 *   {@code CTYPE-CLI-*}, {@code CTYPE-SRV-*}</td>
 *   <td>accepted; only raw public keys are ever offered or accepted</td></tr>
 * <tr><td>{@code AES-256-GCM}, {@code CHACHA20-POLY1305}, {@code AES-128-GCM}, {@code AES-128-CCM},
 *   {@code AES-128-CCM-8}</td>
 *   <td>{@code TLS_AES_256_GCM_SHA384}, {@code TLS_CHACHA20_POLY1305_SHA256}, {@code TLS_AES_128_GCM_SHA256},
 *   {@code TLS_AES_128_CCM_SHA256}, {@code TLS_AES_128_CCM_8_SHA256}, in the order of the cipher list,
 *   provided {@code AEAD} is among the MACs</td></tr>
 * <tr><td>{@code AEAD}</td><td>required for any TLS 1.3 cipher suite</td></tr>
 * <tr><td>{@code AES-128-CBC}, {@code AES-256-CBC}, {@code AES-256-CCM}, {@code AES-256-CCM-8},
 *   {@code CAMELLIA-*}, {@code 3DES-CBC}, {@code ARCFOUR-128}, {@code NULL}, {@code CIPHER-ALL};
 *   {@code SHA1}, {@code SHA256}, {@code SHA384}, {@code SHA512}, {@code MD5}, {@code UMAC-*}, {@code MAC-ALL}
 *   </td><td>accepted; no TLS 1.3 effect ({@code *-ALL} add the NORMAL set)</td></tr>
 * <tr><td>{@code RSA}, {@code DHE-RSA}, {@code DHE-DSS}, {@code ECDHE-RSA}, {@code ECDHE-ECDSA},
 *   {@code *PSK}, {@code SRP*}, {@code ANON-*}, {@code KX-ALL}</td>
 *   <td>accepted; key exchange algorithms exist only up to TLS 1.2</td></tr>
 * <tr><td>{@code GROUP-SECP256R1}, {@code -SECP384R1}, {@code -SECP521R1}, {@code -X25519}, {@code -X448},
 *   {@code -FFDHE2048} &hellip; {@code -FFDHE8192}, {@code GROUP-ALL}, {@code GROUP-EC-ALL},
 *   {@code GROUP-DH-ALL}, {@code CURVE-*} (old alias)</td>
 *   <td>the supported_groups list, in order; the first one also gets the key share</td></tr>
 * <tr><td>{@code SIGN-EDDSA-ED25519} ({@code SIGN-ED25519}), {@code SIGN-EDDSA-ED448} ({@code SIGN-ED448}),
 *   {@code SIGN-ECDSA-SECP256R1-SHA256}, {@code -SECP384R1-SHA384}, {@code -SECP521R1-SHA512},
 *   {@code SIGN-RSA-PSS-RSAE-SHA256/384/512}, {@code SIGN-RSA-PSS-SHA256/384/512}, {@code SIGN-ALL}</td>
 *   <td>the signature_algorithms list, in order: what the peer may sign CertificateVerify with</td></tr>
 * <tr><td>{@code SIGN-RSA-SHA*}, {@code SIGN-ECDSA-SHA*}, {@code SIGN-DSA-*}, {@code SIGN-RSA-MD5} and
 *   other pre-TLS 1.3 signatures</td><td>accepted; not usable in TLS 1.3</td></tr>
 * <tr><td>{@code COMP-NULL}, {@code COMP-DEFLATE}, {@code COMP-ALL}</td><td>accepted; TLS 1.3 has no
 *   compression</td></tr>
 * <tr><td>{@code %SERVER_PRECEDENCE}</td><td>our TLS server chooses suite and group by its own order</td></tr>
 * <tr><td>{@code %DISABLE_TLS13_COMPAT_MODE}</td><td>no RFC 8446 middlebox compatibility mode</td></tr>
 * <tr><td>{@code %NO_EXTENSIONS}</td><td>turns TLS 1.3 off, so the string is rejected</td></tr>
 * <tr><td>{@code %PROFILE_*}, {@code %VERIFY_*}, {@code %NO_TICKETS}, {@code %COMPAT} and the other GnuTLS
 *   3.7 flags</td><td>accepted; no effect (no certificate verification, tickets or TLS 1.2 here)</td></tr>
 * </table>
 *
 * <p>Anything else, including {@code @SYSTEM}, is rejected. So is a string that leaves TLS 1.3 or raw public
 * keys disabled, or no TLS 1.3 cipher suite, group or signature scheme.
 */
public final class TlsPolicy {

    /** The reference server's default for GnuTLS 3.6.6 and later. */
    public static final String DEFAULT_PRIORITY =
            "SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA";

    private static final TlsPolicy DEFAULT = parse(DEFAULT_PRIORITY);

    private final String priority;
    private final Tls13Parameters parameters;

    private TlsPolicy(String priority, Tls13Parameters parameters) {
        this.priority = priority;
        this.parameters = parameters;
    }

    /**
     * Reads a GnuTLS priority string.
     *
     * @param gnutlsPriority for example {@link #DEFAULT_PRIORITY}
     * @return the policy
     * @throws IllegalArgumentException with a one-line message naming the offending token, or saying what
     *                                  the string leaves out
     */
    public static TlsPolicy parse(String gnutlsPriority) {
        Tls13Parameters parameters = PriorityParser.parse(gnutlsPriority);
        return new TlsPolicy(gnutlsPriority.strip(), parameters);
    }

    /** The policy of {@link #DEFAULT_PRIORITY}. */
    public static TlsPolicy defaultPolicy() {
        return DEFAULT;
    }

    /** The priority string this policy was read from. */
    public String priorityString() {
        return priority;
    }

    /** TLS 1.3 cipher suites in preference order, by IANA name, e.g. {@code TLS_AES_256_GCM_SHA384}. */
    public List<String> cipherSuites() {
        return parameters.cipherSuites().stream().map(TlsNames::cipherSuite).toList();
    }

    /** Key exchange groups in preference order, by IANA name, e.g. {@code secp256r1}, {@code x25519}. */
    public List<String> groups() {
        return parameters.groups().stream().map(TlsNames::group).toList();
    }

    /** Signature schemes in preference order, by IANA name, e.g. {@code ed25519}, {@code rsa_pss_rsae_sha256}. */
    public List<String> signatureSchemes() {
        return parameters.signatureSchemes().stream().map(TlsNames::signatureScheme).toList();
    }

    /** Whether a TLS server using this policy chooses by its own preference order ({@code %SERVER_PRECEDENCE}). */
    public boolean serverPrecedence() {
        return parameters.serverPrecedence();
    }

    /** Whether the RFC 8446 middlebox compatibility mode is used (off with {@code %DISABLE_TLS13_COMPAT_MODE}). */
    public boolean middleboxCompatibility() {
        return parameters.middleboxCompatibility();
    }

    Tls13Parameters parameters() {
        return parameters;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsPolicy that && parameters.equals(that.parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    @Override
    public String toString() {
        return "TLS 1.3, raw public keys; suites " + cipherSuites() + "; groups " + groups() + "; signatures "
                + signatureSchemes() + (serverPrecedence() ? "; server precedence" : "")
                + (middleboxCompatibility() ? "" : "; no middlebox compatibility mode");
    }
}

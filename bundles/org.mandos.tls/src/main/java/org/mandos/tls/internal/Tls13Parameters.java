package org.mandos.tls.internal;

import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;

/**
 * What a priority string amounts to for a TLS 1.3, raw-public-key-only peer: code points in preference
 * order, and two behaviour switches. Immutable.
 *
 * @param cipherSuites           TLS 1.3 cipher suites ({@link org.bouncycastle.tls.CipherSuite})
 * @param groups                 key-exchange groups ({@link org.bouncycastle.tls.NamedGroup})
 * @param signatureSchemes       CertificateVerify signature schemes ({@link SignatureScheme})
 * @param serverPrecedence       whether our TLS server picks by its own order instead of the peer's
 * @param middleboxCompatibility whether to use the RFC 8446 D.4 compatibility mode
 */
public record Tls13Parameters(List<Integer> cipherSuites, List<Integer> groups, List<Integer> signatureSchemes,
        boolean serverPrecedence, boolean middleboxCompatibility) {

    public Tls13Parameters {
        cipherSuites = List.copyOf(cipherSuites);
        groups = List.copyOf(groups);
        signatureSchemes = List.copyOf(signatureSchemes);
    }

    int[] cipherSuiteArray() {
        return cipherSuites.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] groupArray() {
        return groups.stream().mapToInt(Integer::intValue).toArray();
    }

    // BC's extension API takes raw Vectors.
    @SuppressWarnings({"rawtypes", "unchecked"})
    Vector groupVector() {
        return new Vector(groups);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    Vector signatureAlgorithmVector() {
        Vector result = new Vector(signatureSchemes.size());
        for (int scheme : signatureSchemes) {
            result.add(SignatureScheme.getSignatureAndHashAlgorithm(scheme));
        }
        return result;
    }

    boolean allowsSignature(SignatureAndHashAlgorithm algorithm) {
        return signatureSchemes.contains(SignatureScheme.from(algorithm));
    }
}

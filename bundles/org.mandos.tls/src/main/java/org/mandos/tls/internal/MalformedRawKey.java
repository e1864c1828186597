package org.mandos.tls.internal;

import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * The peer's raw-public-key certificate entry is not a DER SubjectPublicKeyInfo. Bouncy Castle's parser
 * throws an unchecked exception there, which it would turn into an internal_error alert; this is the
 * bad_certificate alert RFC 8446 asks for, and remembers whether the entry was an X.509 certificate.
 */
final class MalformedRawKey extends TlsFatalAlert {

    private static final long serialVersionUID = 1L;

    private final boolean x509;

    private MalformedRawKey(boolean x509, Throwable cause) {
        super(AlertDescription.bad_certificate, x509
                ? "peer sent an X.509 certificate as its raw public key"
                : "peer's raw public key is not a DER SubjectPublicKeyInfo", cause);
        this.x509 = x509;
    }

    static MalformedRawKey of(byte[] entry, RuntimeException cause) {
        return new MalformedRawKey(isX509Certificate(entry), cause);
    }

    /** Whether the entry is an X.509 certificate (what a peer that ignores RFC 7250 would send). */
    boolean x509() {
        return x509;
    }

    private static boolean isX509Certificate(byte[] entry) {
        try {
            return Certificate.getInstance(entry) != null;
        } catch (RuntimeException notOne) {
            return false;
        }
    }
}

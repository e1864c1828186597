package org.mandos.tls.internal;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;

/** IANA names of TLS code points, for messages and debug output. */
public final class TlsNames {

    private TlsNames() {
    }

    public static String cipherSuite(int code) {
        return switch (code) {
            case CipherSuite.TLS_AES_128_GCM_SHA256 -> "TLS_AES_128_GCM_SHA256";
            case CipherSuite.TLS_AES_256_GCM_SHA384 -> "TLS_AES_256_GCM_SHA384";
            case CipherSuite.TLS_CHACHA20_POLY1305_SHA256 -> "TLS_CHACHA20_POLY1305_SHA256";
            case CipherSuite.TLS_AES_128_CCM_SHA256 -> "TLS_AES_128_CCM_SHA256";
            case CipherSuite.TLS_AES_128_CCM_8_SHA256 -> "TLS_AES_128_CCM_8_SHA256";
            default -> String.format("0x%04X", code);
        };
    }

    public static String group(int code) {
        return NamedGroup.getName(code);
    }

    public static String signatureScheme(int code) {
        return SignatureScheme.getName(code);
    }

    public static String alert(short description) {
        return AlertDescription.getName(description);
    }

    public static String protocol(ProtocolVersion version) {
        return version == null ? "none" : version.getName();
    }
}

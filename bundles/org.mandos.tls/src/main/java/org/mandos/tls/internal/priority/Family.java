package org.mandos.tls.internal.priority;

/** The kinds of algorithm a GnuTLS priority string orders; each keeps its own ordered list. */
public enum Family {
    VERSION,
    CIPHER,
    MAC,
    KEY_EXCHANGE,
    GROUP,
    SIGNATURE,
    COMPRESSION
}

package org.mandos.tls.internal.priority;

/**
 * One GnuTLS algorithm name and what it means for TLS 1.3.
 *
 * @param family the list the name belongs to
 * @param name   the GnuTLS spelling, e.g. {@code AES-256-GCM}
 * @param tls13  the TLS 1.3 code point it contributes: a cipher suite for {@link Family#CIPHER}, a named
 *               group for {@link Family#GROUP}, a signature scheme for {@link Family#SIGNATURE}, and
 *               {@link #ENABLES} for {@code VERS-TLS1.3} and {@code AEAD}; {@link #NONE} when the name only
 *               matters to TLS 1.2 and older
 */
public record Algorithm(Family family, String name, int tls13) {

    public static final int NONE = -1;
    public static final int ENABLES = 0;

    public boolean usedByTls13() {
        return tls13 != NONE;
    }
}

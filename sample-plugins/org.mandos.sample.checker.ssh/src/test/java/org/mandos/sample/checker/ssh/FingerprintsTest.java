package org.mandos.sample.checker.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

    /** A public key made with {@code ssh-keygen -t ed25519}, and what {@code ssh-keygen -l} prints for it. */
    static final String ED25519_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF6558o/UGI0Zj3rWld2JCbE/GoytGIcckmqOJiIz1+L fixture";
    static final String ED25519_FP = "SHA256:O+6dkMANydLLLn6ePhu2UudDAFUiqic4Im3MtXiKLo0";

    /** The same for {@code ssh-keygen -t ecdsa -b 256}. */
    static final String ECDSA_KEY = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFKMF6gcF5c0UJxB2FX66HouuwChxFZnxf1ZpOYiRmcmaaTwPeh9afri3H45XeA6L57d/GPYdR8GsEgUFenLzzE= fixture";
    static final String ECDSA_FP = "SHA256:4VLmIEcTnk5CGAr5PegQ84bYhEJK0oanNulVs4elQl0";

    @Test
    void computesTheFingerprintSshKeygenPrints() {
        assertEquals(ED25519_FP, Fingerprints.ofPublicKeyLine(ED25519_KEY));
        assertEquals(ECDSA_FP, Fingerprints.ofPublicKeyLine(ECDSA_KEY));
    }

    @Test
    void parsesOneFingerprint() {
        assertEquals(Set.of(ED25519_FP), Fingerprints.parse(ED25519_FP));
        assertEquals(Set.of(ED25519_FP), Fingerprints.parse("  " + ED25519_FP + "\n"));
    }

    @Test
    void parsesSeveralSeparatedByCommasOrWhiteSpace() {
        assertEquals(Set.of(ED25519_FP, ECDSA_FP), Fingerprints.parse(ED25519_FP + "," + ECDSA_FP));
        assertEquals(Set.of(ED25519_FP, ECDSA_FP), Fingerprints.parse(ED25519_FP + " , \t" + ECDSA_FP + ","));
        assertEquals(Set.of(ED25519_FP, ECDSA_FP), Fingerprints.parse(ED25519_FP + "\n    " + ECDSA_FP));
    }

    @Test
    void acceptsAnyCasePrefixAndPadding() {
        String digest = ED25519_FP.substring("SHA256:".length());
        assertEquals(Set.of(ED25519_FP), Fingerprints.parse("sha256:" + digest));
        assertEquals(Set.of(ED25519_FP), Fingerprints.parse("SHA256:" + digest + "="));
    }

    @Test
    void theBase64IsCaseSensitive() {
        String changed = ED25519_FP.replace("dkMAN", "DKman");
        assertEquals(Set.of(changed), Fingerprints.parse(changed));
        assertTrue(!Fingerprints.parse(changed).contains(ED25519_FP));
    }

    @Test
    void rejectsWhatIsNotASha256Fingerprint() {
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse(" , "));
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse(null));
        // The whole ssh-keygen -l line rather than its fingerprint.
        IllegalArgumentException line = assertThrows(IllegalArgumentException.class,
                () -> Fingerprints.parse("256 " + ED25519_FP + " root@host (ED25519)"));
        assertTrue(line.getMessage().contains("\"256\""), line.getMessage());
        IllegalArgumentException md5 = assertThrows(IllegalArgumentException.class,
                () -> Fingerprints.parse("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"));
        assertTrue(md5.getMessage().contains("MD5"), md5.getMessage());
        // Too short, too long, not Base64, a last character that no 32-byte digest ends with.
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse(ED25519_FP.substring(0, 40)));
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse(ED25519_FP + "A"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse(ED25519_FP.replace('+', '-')));
        assertThrows(IllegalArgumentException.class,
                () -> Fingerprints.parse(ED25519_FP.substring(0, ED25519_FP.length() - 1) + "1"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse("SHA256:"));
    }
}

package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyIdsTest {

    private static final byte[] REFERENCE_ED25519_SPKI =
            Base64.getDecoder().decode("MCowBQYDK2VwAyEAMZyKxO481EXNnnc7s304y8p7XKIBmqJElWndpTXxwjM=");

    @Test
    void keyIdIsUpperCaseSha256OfTheSubjectPublicKeyInfo() {
        assertEquals("4FAF6D107BF26CA0ABE751EABD9CF80E52C3F5DFE2DCF0D43AD6AEE835496F5F",
                KeyIds.of(REFERENCE_ED25519_SPKI));
    }

    @Test
    void keyIdOfAPublicKeyUsesItsX509Encoding() {
        KeyPair pair = KeyFiles.generate("ed25519");
        assertEquals(KeyIds.of(pair.getPublic().getEncoded()), KeyIds.of(pair.getPublic()));
    }

    @Test
    void theKeyIdOfEmptyInputIsBlacklisted() {
        assertEquals(KeyIds.BLACKLISTED, KeyIds.of(new byte[0]));
        assertTrue(KeyIds.isBlacklisted(KeyIds.BLACKLISTED));
        assertTrue(KeyIds.isBlacklisted(KeyIds.BLACKLISTED.toLowerCase()));
    }

    @Test
    void realKeyIdsAndNullAreNotBlacklisted() {
        assertFalse(KeyIds.isBlacklisted(KeyIds.of(REFERENCE_ED25519_SPKI)));
        assertFalse(KeyIds.isBlacklisted(null));
        assertFalse(KeyIds.isBlacklisted(""));
    }

    @Test
    void nullInputIsRejected() {
        assertThrows(NullPointerException.class, () -> KeyIds.of((byte[]) null));
    }
}

package org.mandos.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenPgpDecryptorTest {

    private static PgpTestKeys mine;
    private static PgpTestKeys other;
    private static OpenPgpDecryptor decryptor;
    private static final byte[] SECRET = "correct horse battery staple\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void keys() throws IOException {
        mine = PgpTestKeys.generate("mine");
        other = PgpTestKeys.generate("other");
        decryptor = OpenPgpDecryptor.fromBytes(mine.armoredSecret(), "seckey.txt");
    }

    @Test
    void signedCompressedWithMdc() throws Exception {
        assertArrayEquals(SECRET, decryptor.decrypt(mine.encrypt(SECRET)));
    }

    @Test
    void plainLiteralWithoutSignatureOrCompression() throws Exception {
        assertArrayEquals(SECRET, decryptor.decrypt(mine.encrypt(SECRET, true, false, false)));
    }

    @Test
    void binaryPasswordAndEmptyPassword() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        assertArrayEquals(binary, decryptor.decrypt(mine.encrypt(binary)));
        assertArrayEquals(new byte[0], decryptor.decrypt(mine.encrypt(new byte[0])));
    }

    @Test
    void armoredMessage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
            armor.write(mine.encrypt(SECRET));
        }
        assertArrayEquals(SECRET, decryptor.decrypt(out.toByteArray()));
    }

    @Test
    void binaryKeyFile() throws Exception {
        OpenPgpDecryptor binary = OpenPgpDecryptor.fromBytes(mine.secret.getEncoded(), "seckey.bin");
        assertArrayEquals(SECRET, binary.decrypt(mine.encrypt(SECRET)));
        assertEquals(2, binary.keyIds().size());
    }

    @Test
    void messageForAnotherKey() {
        OpenPgpDecryptor.DecryptionException e = assertThrows(OpenPgpDecryptor.DecryptionException.class,
                () -> decryptor.decrypt(other.encrypt(SECRET)));
        assertTrue(e.wrongKey());
        String otherId = OpenPgpDecryptor.hex(other.encryptionKey.getKeyID());
        assertEquals("the password is encrypted to another OpenPGP key (key ID " + otherId + "), not to seckey.txt",
                e.getMessage());
    }

    @Test
    void noIntegrityProtectionIsRejected() {
        OpenPgpDecryptor.DecryptionException e = assertThrows(OpenPgpDecryptor.DecryptionException.class,
                () -> decryptor.decrypt(mine.encrypt(SECRET, false, true, true)));
        assertFalse(e.wrongKey());
        assertTrue(e.getMessage().contains("integrity"), e.getMessage());
    }

    @Test
    void tamperedMessageIsRejected() {
        byte[] message = mine.encrypt(SECRET, true, false, false);
        int failures = 0;
        // Flip a byte near the end (inside the encrypted data or the MDC): every variant must fail.
        for (int back = 1; back <= 20; back++) {
            byte[] bad = Arrays.copyOf(message, message.length);
            bad[bad.length - back] ^= 0x01;
            try {
                byte[] result = decryptor.decrypt(bad);
                throw new AssertionError("tampered message decrypted to " + result.length + " bytes");
            } catch (OpenPgpDecryptor.DecryptionException expected) {
                assertFalse(expected.getMessage().contains("\n"));
                failures++;
            }
        }
        assertEquals(20, failures);
    }

    @Test
    void garbageIsRejected() {
        OpenPgpDecryptor.DecryptionException e = assertThrows(OpenPgpDecryptor.DecryptionException.class,
                () -> decryptor.decrypt("not OpenPGP at all".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(e.wrongKey());
    }

    @Test
    void badKeyFiles() {
        assertThrows(IOException.class, () -> OpenPgpDecryptor.fromBytes(new byte[0], "empty"));
        assertThrows(IOException.class, () -> OpenPgpDecryptor.fromBytes("hello".getBytes(StandardCharsets.US_ASCII),
                "text"));
        assertThrows(IOException.class, () -> OpenPgpDecryptor.fromBytes(mine.armoredPublic(), "pubkey.txt"));
    }
}

package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading key files as GnuTLS {@code certtool} and OpenSSL write them. The fixtures in {@code keys/} were made
 * with certtool 3.7.9 (see {@code keys/README.md}); each {@code *-keyid.txt} holds
 * {@code certtool --key-id --hash=sha256} of the public key, the value {@code mandos-keygen} prints.
 */
class KeyFilesTest {

    static Path fixture(String name) {
        try {
            return Path.of(KeyFilesTest.class.getResource("keys/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair fixturePair(String stem) throws IOException {
        return KeyFiles.readKeyPair(fixture(stem + "-pubkey.pem"), fixture(stem + "-privkey.pem"));
    }

    @ParameterizedTest
    @CsvSource({
        "ed25519-pkcs8, Ed25519",
        "ed448-pkcs8, Ed448",
        "ecdsa-p256-sec1, EC",
        "ecdsa-p384-pkcs8, EC",
        "ecdsa-p521-sec1-text, EC",
        "rsa2048-pkcs1, RSA",
        "rsa2048-pkcs8, RSA"})
    void certtoolKeyFilesReadAsAPairWithTheKeyIdCerttoolComputes(String stem, String algorithm) throws IOException {
        KeyPair pair = fixturePair(stem);
        String expected = Files.readString(fixture(stem + "-keyid.txt")).strip().toUpperCase(Locale.ROOT);
        assertEquals(expected, KeyIds.of(pair.getPublic()));
        assertTrue(pair.getPublic().getAlgorithm().matches(algorithm + "|EdDSA"), pair.getPublic().getAlgorithm());
    }

    @Test
    void aParsedPublicKeyEncodesBackToTheFileBytes() throws IOException {
        String pem = Files.readString(fixture("ecdsa-p384-pkcs8-pubkey.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        assertArrayEquals(der, KeyFiles.parsePublicKey(pem).getEncoded());
    }

    @Test
    void anOpenSslEcParametersBlockBeforeTheKeyIsSkipped() throws IOException {
        fixturePair("openssl-ecparam");
    }

    @Test
    void anEncryptedKeyIsRejected() {
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readPrivateKey(fixture("encrypted-privkey.pem")));
        assertTrue(e.getMessage().contains("encrypted keys are not supported"), e.getMessage());
        assertTrue(e.getMessage().startsWith(fixture("encrypted-privkey.pem").toString()), e.getMessage());
    }

    @Test
    void aPrivateKeyOfAnotherPairIsRejected() {
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readKeyPair(fixture("ed25519-pkcs8-pubkey.pem"),
                fixture("x509-ed25519-privkey.pem")));
        assertTrue(e.getMessage().contains("does not belong to the public key"), e.getMessage());
        assertThrows(IOException.class, () -> KeyFiles.readKeyPair(fixture("rsa2048-pkcs1-pubkey.pem"),
                fixture("rsa2048-pkcs8-privkey.pem")));
        assertThrows(IOException.class, () -> KeyFiles.readKeyPair(fixture("ecdsa-p256-sec1-pubkey.pem"),
                fixture("openssl-ecparam-privkey.pem")));
    }

    @Test
    void aPublicKeyFileIsNotAPrivateKeyFile() {
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readPrivateKey(fixture("ed25519-pkcs8-pubkey.pem")));
        assertTrue(e.getMessage().contains("unsupported PEM type [PUBLIC KEY]"), e.getMessage());
    }

    @Test
    void aCertificateIsNotAPublicKeyFile() {
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readPublicKey(fixture("x509-ed25519-cert.pem")));
        assertTrue(e.getMessage().contains("CERTIFICATE"), e.getMessage());
    }

    @Test
    void textWithoutPemIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readPublicKey(file));
        assertEquals(file + ": no PEM block found", e.getMessage());
    }

    @Test
    void badBase64IsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.parsePublicKey(
                "-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n"));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void unsupportedKeyTypesAreRejected() {
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readPublicKey(fixture("dsa-pubkey.pem")));
        assertTrue(e.getMessage().contains("unsupported key (algorithm 1.2.840.10040.4.1)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ed448", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "ECDSA-P256"})
    void generatedKeysSurviveAPemRoundTrip(String type, @TempDir Path dir) throws IOException {
        KeyPair pair = KeyFiles.generate(type);
        Path pub = Files.writeString(dir.resolve("tls-pubkey.pem"), KeyFiles.toPem(pair.getPublic()),
                StandardCharsets.US_ASCII);
        Path priv = Files.writeString(dir.resolve("tls-privkey.pem"), KeyFiles.toPem(pair.getPrivate()),
                StandardCharsets.US_ASCII);
        KeyPair read = KeyFiles.readKeyPair(pub, priv);
        assertArrayEquals(pair.getPublic().getEncoded(), read.getPublic().getEncoded());
        assertTrue(KeyFiles.toPem(pair.getPublic()).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertTrue(KeyFiles.toPem(pair.getPrivate()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    }

    @Test
    void generateListsTheTypesItKnows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.generate("dsa"));
        assertTrue(e.getMessage().contains("ed25519") && e.getMessage().contains("rsa-4096"), e.getMessage());
        assertTrue(KeyFiles.keyTypes().contains("ecdsa-p521"));
    }
}

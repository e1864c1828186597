package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlsPolicyTest {

    /** The smallest usable string: one suite, one group, one signature. */
    private static final String MINIMAL =
            "NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+GROUP-X25519:+SIGN-EDDSA-ED25519:+CTYPE-RAWPK";

    private static final List<String> SECURE128_GROUPS = List.of("x25519", "secp256r1", "secp384r1", "secp521r1",
            "x448", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

    private static String rejection(String priority) {
        return assertThrows(IllegalArgumentException.class, () -> TlsPolicy.parse(priority)).getMessage();
    }

    @Nested
    class TheReferenceDefault {

        private final TlsPolicy policy = TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY);

        @Test
        void offersTheFourTls13SuitesInGnuTlsOrder() {
            assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
                    "TLS_AES_128_CCM_SHA256"), policy.cipherSuites());
        }

        @Test
        void offersTheTenSecure128Groups() {
            assertEquals(SECURE128_GROUPS, policy.groups());
        }

        @Test
        void acceptsEdDsaEcdsaAndRsaPssSignaturesButNoPkcs1() {
            assertEquals(List.of("rsa_pss_pss_sha256", "rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256", "ed25519",
                    "rsa_pss_pss_sha384", "rsa_pss_rsae_sha384", "ecdsa_secp384r1_sha384", "ed448",
                    "rsa_pss_pss_sha512", "rsa_pss_rsae_sha512", "ecdsa_secp521r1_sha512"),
                    policy.signatureSchemes());
        }

        @Test
        void usesClientPrecedenceAndMiddleboxCompatibility() {
            assertFalse(policy.serverPrecedence());
            assertTrue(policy.middleboxCompatibility());
        }

        @Test
        void isTheDefaultPolicyAndKeepsItsString() {
            assertEquals(TlsPolicy.defaultPolicy(), policy);
            assertEquals(TlsPolicy.defaultPolicy().hashCode(), policy.hashCode());
            assertEquals(TlsPolicy.DEFAULT_PRIORITY, policy.priorityString());
            assertTrue(policy.toString().contains("TLS_AES_256_GCM_SHA384"), policy.toString());
        }

        @Test
        void isReadCaseInsensitively() {
            assertEquals(policy, TlsPolicy.parse("secure128:!ctype-x.509:+ctype-rawpk:!rsa:!vers-all:+vers-tls1.3"
                    + ":%profile_ultra"));
        }
    }

    @Nested
    class Keywords {

        @Test
        void secure256KeepsOnly256BitSuitesAndTheLargerGroupsAndSignatures() {
            TlsPolicy policy = TlsPolicy.parse("SECURE256:+CTYPE-RAWPK");
            assertAll(
                    () -> assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"),
                            policy.cipherSuites()),
                    () -> assertEquals(List.of("secp384r1", "secp521r1", "ffdhe8192"), policy.groups()),
                    () -> assertEquals(List.of("rsa_pss_pss_sha384", "rsa_pss_rsae_sha384", "ecdsa_secp384r1_sha384",
                            "ed448", "rsa_pss_pss_sha512", "rsa_pss_rsae_sha512", "ecdsa_secp521r1_sha512"),
                            policy.signatureSchemes()));
            assertEquals(policy, TlsPolicy.parse("SECURE192:+CTYPE-RAWPK"));
        }

        @Test
        void performancePrefersAes128() {
            assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_AES_128_CCM_SHA256"), TlsPolicy.parse("PERFORMANCE:+CTYPE-RAWPK").cipherSuites());
        }

        @ParameterizedTest
        @ValueSource(strings = {"NORMAL", "PFS", "LEGACY", "SECURE", "SECURE128"})
        void theGeneralKeywordsAllowEveryTls13SuiteAndGroup(String keyword) {
            TlsPolicy policy = TlsPolicy.parse(keyword + ":+CTYPE-RAWPK");
            assertEquals(4, policy.cipherSuites().size());
            assertEquals(SECURE128_GROUPS, policy.groups());
        }

        @Test
        void aLaterKeywordAppendsItsListsButNotItsVersions() {
            TlsPolicy policy = TlsPolicy.parse(MINIMAL + ":SECURE256");
            assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"),
                    policy.cipherSuites());
            assertEquals(List.of("x25519", "secp384r1", "secp521r1", "ffdhe8192"), policy.groups());
            assertEquals(policy, TlsPolicy.parse(MINIMAL + ":+SECURE256"));
            assertTrue(rejection("NONE:+CTYPE-RAWPK:SECURE128").contains("TLS 1.3"));
        }

        @Test
        void suiteBKeywordsAreTls12OnlyUnlessTls13IsAdded() {
            assertTrue(rejection("SUITEB128:+CTYPE-RAWPK").contains("does not enable TLS 1.3"));
            TlsPolicy policy = TlsPolicy.parse("SUITEB192:+VERS-TLS1.3:+CTYPE-RAWPK");
            assertEquals(List.of("TLS_AES_256_GCM_SHA384"), policy.cipherSuites());
            assertEquals(List.of("ecdsa_secp384r1_sha384"), policy.signatureSchemes());
        }

        @Test
        void aStringWithoutKeywordStartsFromNothing() {
            assertEquals(TlsPolicy.parse(MINIMAL), TlsPolicy.parse(MINIMAL.substring("NONE:".length())));
        }
    }

    @Nested
    class AlgorithmTokens {

        @Test
        void plusAppendsMinusAndBangRemove() {
            assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"),
                    TlsPolicy.parse(MINIMAL + ":+AES-256-GCM").cipherSuites());
            assertEquals(List.of("TLS_CHACHA20_POLY1305_SHA256"),
                    TlsPolicy.parse(MINIMAL + ":-AES-128-GCM:+CHACHA20-POLY1305").cipherSuites());
            assertEquals(List.of("TLS_CHACHA20_POLY1305_SHA256"),
                    TlsPolicy.parse(MINIMAL + ":!AES-128-GCM:+CHACHA20-POLY1305").cipherSuites());
        }

        @Test
        void addingAPresentAlgorithmKeepsItsPlace() {
            assertEquals(TlsPolicy.defaultPolicy().cipherSuites(),
                    TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":+AES-256-GCM").cipherSuites());
            assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256",
                    "TLS_AES_128_GCM_SHA256"),
                    TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":-AES-128-GCM:+AES-128-GCM").cipherSuites());
        }

        @Test
        void ccm8IsOnlyOfferedWhenAsked() {
            assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_8_SHA256"),
                    TlsPolicy.parse(MINIMAL + ":+AES-128-CCM-8").cipherSuites());
        }

        @Test
        void cipherAllAddsTheNormalCiphers() {
            assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_AES_128_CCM_SHA256"), TlsPolicy.parse(MINIMAL + ":+CIPHER-ALL").cipherSuites());
            assertEquals(List.of("TLS_AES_256_GCM_SHA384"),
                    TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":-CIPHER-ALL:+AES-256-GCM").cipherSuites());
        }

        @Test
        void groupTokensOrderTheGroups() {
            assertEquals(List.of("x25519", "secp384r1", "x448"),
                    TlsPolicy.parse(MINIMAL + ":+GROUP-SECP384R1:+CURVE-X448").groups());
            assertEquals(List.of("ffdhe3072"), TlsPolicy.parse(MINIMAL + ":-GROUP-ALL:+GROUP-FFDHE3072").groups());
            assertEquals(List.of("x25519", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"),
                    TlsPolicy.parse(MINIMAL + ":+GROUP-DH-ALL").groups());
            assertEquals(List.of("ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"),
                    TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":-GROUP-EC-ALL").groups());
            assertEquals(List.of("x25519"), TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY + ":-CURVE-ALL:+CURVE-X25519")
                    .groups());
            assertEquals(SECURE128_GROUPS.subList(0, 5), TlsPolicy.parse(TlsPolicy.DEFAULT_PRIORITY
                    + ":-GROUP-DH-ALL").groups());
        }

        @Test
        void signatureTokensOrderTheSchemes() {
            assertEquals(List.of("ed25519", "ed448", "rsa_pss_rsae_sha256", "ecdsa_secp521r1_sha512"),
                    TlsPolicy.parse(MINIMAL + ":+SIGN-ED448:+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-ECDSA-SECP521R1-SHA512")
                            .signatureSchemes());
            assertEquals(List.of("ed448"), TlsPolicy.parse(MINIMAL + ":-SIGN-ALL:+SIGN-EDDSA-ED448")
                    .signatureSchemes());
            assertEquals(TlsPolicy.defaultPolicy().signatureSchemes().size(),
                    TlsPolicy.parse(MINIMAL + ":+SIGN-ALL").signatureSchemes().size());
        }

        @Test
        void pre13SignaturesAreAcceptedButUnusable() {
            assertEquals(List.of("ed25519"), TlsPolicy.parse(MINIMAL
                    + ":+SIGN-RSA-SHA256:+SIGN-ECDSA-SHA256:+SIGN-DSA-SHA256:+SIGN-RSA-SHA1").signatureSchemes());
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "+VERS-TLS1.2", "+VERS-TLS1.1", "+VERS-TLS1.0", "+VERS-SSL3.0", "+VERS-DTLS1.2", "-VERS-DTLS-ALL",
            "+VERS-DTLS-ALL", "+VERS-ALL", "+VERS-TLS-ALL",
            "+CTYPE-X.509", "-CTYPE-X509", "+CTYPE-ALL", "+CTYPE-CLI-RAWPK", "-CTYPE-CLI-RAWPK", "+CTYPE-SRV-ALL",
            "+CTYPE-OPENPGP", "+CTYPE-CLI-X.509",
            "+AES-256-CBC", "+AES-128-CBC", "-AES-256-CCM", "+CAMELLIA-128-GCM", "+3DES-CBC", "+ARCFOUR-128",
            "+NULL",
            "+SHA1", "-SHA256", "+SHA384", "+MD5", "+UMAC-96", "+MAC-ALL",
            "+RSA", "!RSA", "+DHE-RSA", "-ECDHE-ECDSA", "+ECDHE-RSA", "+DHE-DSS", "+PSK", "+ECDHE-PSK", "+SRP",
            "+ANON-DH", "+KX-ALL", "-KX-ALL",
            "+GROUP-SECP192R1", "+GROUP-SECP224R1", "+CURVE-SECP224R1", "+GROUP-GC256B",
            "+SIGN-RSA-SHA512", "+SIGN-ECDSA-SHA384", "+SIGN-DSA-SHA1", "+SIGN-RSA-MD5", "+SIGN-ECDSA-SHA3-256",
            "+COMP-NULL", "+COMP-DEFLATE", "+COMP-ALL", "-COMP-ALL",
            "%PROFILE_ULTRA", "%PROFILE_HIGH", "%PROFILE_LOW", "%NO_TICKETS", "%NO_TICKETS_TLS12", "%COMPAT",
            "%DUMBFW", "%SAFE_RENEGOTIATION", "%UNSAFE_RENEGOTIATION", "%VERIFY_ALLOW_BROKEN",
            "%VERIFY_ALLOW_SIGN_WITH_SHA1", "%NO_SESSION_HASH", "%FORCE_ETM", "%NO_ETM", "%FALLBACK_SCSV",
            "%LATEST_RECORD_VERSION", "%ALLOW_SMALL_RECORDS", "%profile_ultra"})
        void tokensThatDoNotConcernTls13AreAcceptedWithoutEffect(String token) {
            assertEquals(TlsPolicy.parse(MINIMAL), TlsPolicy.parse(MINIMAL + ":" + token));
        }
    }

    @Nested
    class DocumentedExamples {

        @Test
        void preferringP256AsTheReferenceDoesKeepsTheOtherGroups() {
            TlsPolicy policy = TlsPolicy.parse("SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3"
                    + ":-GROUP-ALL:+GROUP-SECP256R1:+GROUP-ALL");
            assertEquals(List.of("secp256r1", "x25519", "secp384r1", "secp521r1", "x448", "ffdhe2048", "ffdhe3072",
                    "ffdhe4096", "ffdhe6144", "ffdhe8192"), policy.groups());
        }

        @Test
        void ed25519AndAes256Only() {
            TlsPolicy policy = TlsPolicy.parse("NONE:+VERS-TLS1.3:+AES-256-GCM:+AEAD:+GROUP-ALL:+SIGN-EDDSA-ED25519"
                    + ":+CTYPE-RAWPK");
            assertEquals(List.of("TLS_AES_256_GCM_SHA384"), policy.cipherSuites());
            assertEquals(List.of("ed25519"), policy.signatureSchemes());
            assertEquals(SECURE128_GROUPS, policy.groups());
        }
    }

    @Nested
    class Flags {

        @Test
        void serverPrecedenceIsHonoured() {
            assertTrue(TlsPolicy.parse(MINIMAL + ":%SERVER_PRECEDENCE").serverPrecedence());
        }

        @Test
        void compatibilityModeCanBeTurnedOff() {
            assertFalse(TlsPolicy.parse(MINIMAL + ":%DISABLE_TLS13_COMPAT_MODE").middleboxCompatibility());
            assertNotEquals(TlsPolicy.parse(MINIMAL), TlsPolicy.parse(MINIMAL + ":%DISABLE_TLS13_COMPAT_MODE"));
        }

        @Test
        void noExtensionsTurnsTls13Off() {
            String message = rejection(MINIMAL + ":%NO_EXTENSIONS");
            assertTrue(message.contains("%NO_EXTENSIONS") && message.contains("TLS 1.3"), message);
        }
    }

    @Nested
    class Rejections {

        @Test
        void anUnknownTokenIsNamed() {
            assertEquals("unsupported token \"BOGUS\" in priority string \"NORMAL:+BOGUS\"",
                    rejection("NORMAL:+BOGUS"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "NORMAL:-BOGUS|BOGUS",
            "NORMAL:BOGUS|BOGUS",
            "NORMAL:%BOGUS|BOGUS",
            "NORMAL:+NONE|NONE",
            "NORMAL:+AES-128-XTS|AES-128-XTS",
            "NORMAL:+GROUP-BRAINPOOL|GROUP-BRAINPOOL",
            "NORMAL:+CTYPE-PGP|CTYPE-PGP",
            "BOGUS|BOGUS"})
        void everyUnknownTokenIsNamed(String priority, String token) {
            String message = rejection(priority);
            assertTrue(message.startsWith("unsupported token \"" + token + "\""), message);
            assertTrue(message.contains("\"" + priority + "\""), message);
        }

        @Test
        void anAlgorithmWithoutPrefixIsExplained() {
            assertTrue(rejection("NORMAL:VERS-TLS1.3").contains("lacks a \"+\", \"-\" or \"!\" prefix"));
        }

        @Test
        void keywordsCannotBeRemoved() {
            assertTrue(rejection("NORMAL:-SECURE128").contains("cannot be removed"));
        }

        @Test
        void systemPrioritiesAreNotAvailable() {
            assertTrue(rejection("@SYSTEM").contains("\"@SYSTEM\""));
        }

        @Test
        void emptyStringsAndTokensAreRejected() {
            assertEquals("empty priority string", rejection(""));
            assertEquals("empty priority string", rejection("  "));
            assertEquals("empty priority string", rejection(null));
            assertTrue(rejection("NORMAL::+CTYPE-RAWPK").contains("empty token (position 2)"));
            assertTrue(rejection("NORMAL:+CTYPE-RAWPK:").contains("empty token (position 3)"));
        }

        @Test
        void aStringWithoutTls13IsRejected() {
            String message = rejection("SECURE128:+CTYPE-RAWPK:-VERS-TLS1.3");
            assertTrue(message.contains("does not enable TLS 1.3 (VERS-TLS1.3)"), message);
            assertTrue(rejection("SECURE128:+CTYPE-RAWPK:-VERS-ALL:+VERS-TLS1.2").contains("TLS 1.3"));
            assertTrue(rejection("SECURE128:+CTYPE-RAWPK:-VERS-TLS-ALL").contains("TLS 1.3"));
        }

        @Test
        void aStringWithoutRawPublicKeysIsRejected() {
            String message = rejection("NORMAL");
            assertTrue(message.contains("does not enable raw public keys (CTYPE-RAWPK"), message);
            assertTrue(rejection(MINIMAL + ":-CTYPE-RAWPK").contains("raw public keys"));
            assertTrue(rejection(MINIMAL + ":-CTYPE-SRV-RAWPK").contains("raw public keys"));
            assertTrue(rejection("NORMAL:+CTYPE-CLI-RAWPK").contains("raw public keys"));
            TlsPolicy.parse("NORMAL:+CTYPE-SRV-RAWPK");
        }

        @Test
        void theLegacyOpenPgpDefaultIsRejectedAsSuch() {
            String message = rejection("SECURE256:!CTYPE-X.509:+CTYPE-OPENPGP:!RSA:+SIGN-DSA-SHA256");
            assertTrue(message.contains("raw public keys") && message.contains("OpenPGP"), message);
        }

        @Test
        void aStringWithoutCipherSuiteIsRejected() {
            assertTrue(rejection(MINIMAL + ":-AEAD").contains("leaves no TLS 1.3 cipher suite"));
            assertTrue(rejection(TlsPolicy.DEFAULT_PRIORITY + ":-CIPHER-ALL:+AES-256-CBC")
                    .contains("leaves no TLS 1.3 cipher suite"));
        }

        @Test
        void aStringWithoutGroupIsRejected() {
            assertTrue(rejection(TlsPolicy.DEFAULT_PRIORITY + ":-GROUP-ALL:+GROUP-SECP192R1")
                    .contains("leaves no key exchange group"));
        }

        @Test
        void aStringWithoutTls13SignatureIsRejected() {
            assertTrue(rejection(TlsPolicy.DEFAULT_PRIORITY + ":-SIGN-ALL:+SIGN-RSA-SHA256:+SIGN-ECDSA-SHA256")
                    .contains("leaves no signature algorithm"));
        }
    }
}

package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §2.2: clients.conf options, defaults and the per-section validation table. */
class ClientsFileTest {

    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    /** base64 of "hunter2". */
    private static final String SECRET = "aHVudGVyMg==";

    private static ClientsFile parse(String text) throws ConfigException {
        return ClientsFile.parse(FILE, text, Map.of());
    }

    private static ClientSettings only(String text) throws ConfigException {
        ClientsFile file = parse(text);
        assertEquals(1, file.clients().size(), () -> "clients: " + file.clients());
        return file.clients().get(0);
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class Defaults {

        @Test
        void unsetOptionsTakeTheBuiltInDefaults() throws ConfigException {
            ClientSettings c = only("[foo]\nkey_id = ab\nsecret = " + SECRET + "\n");
            assertEquals("foo", c.name());
            assertEquals("", c.host());
            assertEquals("", c.fingerprint());
            assertEquals(Duration.ofMinutes(5), c.timeout());
            assertEquals(Duration.ofMinutes(15), c.extendedTimeout());
            assertEquals(Duration.ofMinutes(2), c.interval());
            assertEquals("fping -q -- %(host)s", c.checker());
            assertEquals(Duration.ZERO, c.approvalDelay());
            assertEquals(Duration.ofSeconds(1), c.approvalDuration());
            assertTrue(c.approvedByDefault());
            assertTrue(c.enabled());
        }

        @Test
        void everyOptionCanBeSet() throws ConfigException {
            ClientSettings c = only(String.join("\n", "[foo]", "key_id = ab", "secret = " + SECRET,
                    "host = foo.example", "timeout = 1h", "extended_timeout = P1D", "interval = 30s",
                    "checker = true %%(host)s", "approval_delay = PT10S", "approval_duration = 1m",
                    "approved_by_default = no", "enabled = off", ""));
            assertEquals("foo.example", c.host());
            assertEquals(Duration.ofHours(1), c.timeout());
            assertEquals(Duration.ofDays(1), c.extendedTimeout());
            assertEquals(Duration.ofSeconds(30), c.interval());
            assertEquals("true %(host)s", c.checker());
            assertEquals(Duration.ofSeconds(10), c.approvalDelay());
            assertEquals(Duration.ofMinutes(1), c.approvalDuration());
            assertFalse(c.approvedByDefault());
            assertFalse(c.enabled());
        }

        @Test
        void defaultSectionValuesApplyToEveryClientButDefaultIsNotAClient() throws ConfigException {
            ClientsFile file = parse("[DEFAULT]\ntimeout = 1h\nsecret = " + SECRET + "\n"
                    + "[a]\nkey_id = aa\n[b]\nkey_id = bb\ntimeout = 2h\n");
            assertEquals(List.of("a", "b"), file.clients().stream().map(ClientSettings::name).toList());
            assertEquals(Duration.ofHours(1), file.clients().get(0).timeout());
            assertEquals(Duration.ofHours(2), file.clients().get(1).timeout());
            assertArrayEquals(bytes("hunter2"), file.clients().get(0).secret());
        }

        @Test
        void lowerCaseDefaultIsAnOrdinaryClient() throws ConfigException {
            assertEquals("default", only("[default]\nkey_id = ab\nsecret = " + SECRET + "\n").name());
        }

        @Test
        void theLineOfAClientIsItsHeaderLine() throws ConfigException {
            assertEquals(3, only("# clients\n\n[foo]\nkey_id = ab\nsecret = " + SECRET + "\n").line());
        }
    }

    @Nested
    class Identity {

        @Test
        void keyIdAndFingerprintAreUpperCasedWithSpacesRemoved() throws ConfigException {
            ClientSettings c = only("[a]\nkey_id = ab cd ef\nfingerprint = 01 2a bc\nsecret = " + SECRET + "\n");
            assertEquals("ABCDEF", c.keyId());
            assertEquals("012ABC", c.fingerprint());
        }

        @Test
        void onlySpaceCharactersAreRemovedSoTabsColonsAndNewlinesStay() throws ConfigException {
            ClientSettings c = only("[a]\nkey_id = ab\tcd:ef\n  01\nsecret = " + SECRET + "\n");
            assertEquals("AB\tCD:EF\n01", c.keyId());
        }

        @Test
        void aFingerprintAloneIsEnough() throws ConfigException {
            assertEquals("ABC", only("[a]\nfingerprint = abc\nsecret = " + SECRET + "\n").fingerprint());
        }

        @Test
        void aSectionWithNeitherKeyIdNorFingerprintIsSkippedWithAWarning() throws ConfigException {
            ClientsFile file = parse("[a]\nsecret = " + SECRET + "\n[b]\nkey_id =\nfingerprint =\n"
                    + "[c]\nkey_id = cc\nsecret = " + SECRET + "\n");
            assertEquals(List.of("c"), file.clients().stream().map(ClientSettings::name).toList());
            assertEquals(List.of("Skipping client a without key_id or fingerprint",
                    "Skipping client b without key_id or fingerprint"), file.warnings());
        }

        @Test
        void aSkippedSectionNeedsNoSecret() throws ConfigException {
            assertEquals(List.of("Skipping client a without key_id or fingerprint"),
                    parse("[a]\nhost = a\n").warnings());
        }

        @Test
        void aBadBooleanIsFatalEvenInASectionThatWouldBeSkippedAsInTheReference() {
            assertEquals("/etc/mandos/clients.conf:2: [a] enabled: not a boolean: \"maybe\""
                    + " (expected 1, yes, true, on, 0, no, false or off)", error("[a]\nenabled = maybe\n"));
        }

        @Test
        void clientsSharingAKeyIdGetAWarningAndTheFirstIsListedFirst() throws ConfigException {
            ClientsFile file = parse("[a]\nkey_id = ab\nsecret = " + SECRET + "\n"
                    + "[b]\nkey_id = A B\nsecret = " + SECRET + "\n");
            assertEquals(List.of("a", "b"), file.clients().stream().map(ClientSettings::name).toList());
            assertEquals(List.of("Client b has the same key_id as client a, which comes first and will be used"
                    + " instead"), file.warnings());
        }

        @Test
        void aClientWithOnlyAFingerprintIsKeptWithAWarningThatItCanNeverMatch() throws ConfigException {
            ClientsFile file = parse("[a]\nfingerprint = ab\nsecret = " + SECRET + "\n"
                    + "[b]\nfingerprint = AB\nkey_id = 01\nsecret = " + SECRET + "\n");
            assertEquals(List.of("a", "b"), file.clients().stream().map(ClientSettings::name).toList());
            assertEquals(List.of("Client a has no key_id, only an OpenPGP fingerprint, which this server does not"
                    + " use: it can never receive its secret"), file.warnings());
        }

        @Test
        void clientsWithoutAKeyIdDoNotShareTheEmptyKeyId() throws ConfigException {
            ClientsFile file = parse("[a]\nfingerprint = aa\nsecret = " + SECRET + "\n"
                    + "[b]\nfingerprint = bb\nsecret = " + SECRET + "\n");
            assertTrue(file.warnings().stream().noneMatch(w -> w.contains("same key_id")), file.warnings().toString());
        }
    }

    @Nested
    class Secret {

        @Test
        void theSecretIsBase64DecodedSkippingNewlinesAndSpaces() throws ConfigException {
            assertArrayEquals(bytes("hunter2"), only("[a]\nkey_id = ab\nsecret =\n  aHVu dGVy\n  Mg==\n").secret());
        }

        @Test
        void neitherSecretNorSecfileIsAnErrorAtTheSectionHeader() {
            assertEquals("/etc/mandos/clients.conf:2: [a] neither \"secret\" nor \"secfile\" is set",
                    error("\n[a]\nkey_id = ab\n"));
        }

        @Test
        void incorrectPaddingIsAnError() {
            assertEquals("/etc/mandos/clients.conf:3: [a] secret: not valid base64: incorrect padding",
                    error("[a]\nkey_id = ab\nsecret = aHVudGVyMg=\n"));
        }

        @Test
        void oneCharacterTooManyIsAnErrorThatDoesNotQuoteTheSecret() {
            String message = error("[a]\nkey_id = ab\nsecret = aHVudGVyM\n");
            assertEquals("/etc/mandos/clients.conf:3: [a] secret: not valid base64: the number of data"
                    + " characters (9) cannot be 1 more than a multiple of 4", message);
        }

        @Test
        void aBadPercentInTheSecretNeverQuotesIt() {
            String message = error("[a]\nkey_id = ab\nsecret = aHVudGVy%(aHVudGVy)s\n");
            assertEquals("/etc/mandos/clients.conf:3: [a] secret: interpolation refers to an unknown option", message);
        }

        @Test
        void theSecretIsNeitherInToStringNorInOptions() throws ConfigException {
            ClientSettings c = only("[a]\nkey_id = ab\nsecret = " + SECRET + "\n");
            assertFalse(c.toString().contains("hunter2"), c::toString);
            assertFalse(c.toString().contains(SECRET), c::toString);
            assertTrue(c.toString().contains("secret=<7 bytes>"), c::toString);
            assertFalse(c.options().containsKey("secret"));
        }

        @Test
        void theSecretIsCopiedOut() throws ConfigException {
            ClientSettings c = only("[a]\nkey_id = ab\nsecret = " + SECRET + "\n");
            c.secret()[0] = 0;
            assertArrayEquals(bytes("hunter2"), c.secret());
        }

        @Test
        void theSecretIsCopiedIn() {
            byte[] secret = bytes("hunter2");
            ClientSettings c = new ClientSettings("a", 1, "AB", "", secret, "", Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, "true", Duration.ZERO, Duration.ZERO, true, true, Map.of("secret", "x", "y", "z"));
            secret[0] = 0;
            assertArrayEquals(bytes("hunter2"), c.secret());
            assertEquals(Map.of("y", "z"), c.options());
        }

        @Test
        void recordsWithTheSameSecretAreEqual() throws ConfigException {
            String text = "[a]\nkey_id = ab\nsecret = " + SECRET + "\n";
            assertEquals(only(text), only(text));
        }
    }

    @Nested
    class SecretFile {

        @TempDir
        Path dir;

        private ClientsFile load(String text, Map<String, String> env) throws IOException, ConfigException {
            Path conf = dir.resolve("clients.conf");
            Files.writeString(conf, text, StandardCharsets.UTF_8);
            return ClientsFile.load(conf, env);
        }

        private String loadError(String text, Map<String, String> env) throws IOException {
            Path conf = dir.resolve("clients.conf");
            Files.writeString(conf, text, StandardCharsets.UTF_8);
            return assertThrows(ConfigException.class, () -> ClientsFile.load(conf, env)).getMessage();
        }

        @Test
        void theFilesRawBytesAreTheSecretNotDecodedNorStripped() throws IOException, ConfigException {
            Files.write(dir.resolve("pw"), bytes(" aHVudGVyMg==\n"));
            ClientsFile file = load("[a]\nkey_id = ab\nsecfile = " + dir.resolve("pw") + "\n", Map.of());
            assertArrayEquals(bytes(" aHVudGVyMg==\n"), file.clients().get(0).secret());
        }

        @Test
        void aRelativePathIsResolvedAgainstTheDirectoryOfClientsConf() throws IOException, ConfigException {
            Files.createDirectory(dir.resolve("secrets"));
            Files.write(dir.resolve("secrets/a"), bytes("A"));
            ClientsFile file = load("[a]\nkey_id = ab\nsecfile = secrets/a\n", Map.of());
            assertArrayEquals(bytes("A"), file.clients().get(0).secret());
        }

        @Test
        void environmentVariablesAreExpanded() throws IOException, ConfigException {
            Files.write(dir.resolve("pw"), bytes("B"));
            ClientsFile file = load("[a]\nkey_id = ab\nsecfile = $SECRETS/${NAME}\n",
                    Map.of("SECRETS", dir.toString(), "NAME", "pw"));
            assertArrayEquals(bytes("B"), file.clients().get(0).secret());
        }

        @Test
        void aTildeIsTheHomeFromTheEnvironment() throws IOException, ConfigException {
            Files.write(dir.resolve("pw"), bytes("C"));
            ClientsFile file = load("[a]\nkey_id = ab\nsecfile = ~/pw\n", Map.of("HOME", dir.toString()));
            assertArrayEquals(bytes("C"), file.clients().get(0).secret());
        }

        @Test
        void tildeUserIsThatUsersHome() throws IOException {
            assertEquals(dir.resolve("clients.conf") + ":2: [a] secfile: cannot read"
                    + " \"/root/no-such-mandos-secret\": no such file",
                    loadError("[a]\nsecfile = ~root/no-such-mandos-secret\nkey_id = ab\n", Map.of()));
        }

        @Test
        void unknownVariablesAndUsersAreLeftAsWritten() throws IOException {
            assertEquals(dir.resolve("clients.conf") + ":3: [a] secfile: cannot read \""
                    + dir.resolve("~no-such-user/$NOPE/x") + "\": no such file",
                    loadError("[a]\nkey_id = ab\nsecfile = ~no-such-user/$NOPE/x\n", Map.of()));
        }

        @Test
        void aMissingSecfileIsAnErrorNamingThePath() throws IOException {
            assertEquals(dir.resolve("clients.conf") + ":3: [a] secfile: cannot read \"" + dir.resolve("nosuch")
                    + "\": no such file", loadError("[a]\nkey_id = ab\nsecfile = nosuch\n", Map.of()));
        }

        @Test
        void anUnreadableSecfileIsAnError() throws IOException {
            Files.createDirectory(dir.resolve("sub"));
            assertEquals(dir.resolve("clients.conf") + ":3: [a] secfile: cannot read \"" + dir.resolve("sub")
                    + "\": Is a directory", loadError("[a]\nkey_id = ab\nsecfile = sub\n", Map.of()));
        }

        @Test
        void anEmptySecfileIsAnError() throws IOException {
            assertEquals(dir.resolve("clients.conf") + ":3: [a] secfile: no file name given",
                    loadError("[a]\nkey_id = ab\nsecfile =\n", Map.of()));
        }

        @Test
        void secretWinsOverSecfileWhichIsThenNotRead() throws IOException, ConfigException {
            ClientsFile file = load("[a]\nkey_id = ab\nsecfile = nosuch\nsecret = " + SECRET + "\n", Map.of());
            assertArrayEquals(bytes("hunter2"), file.clients().get(0).secret());
            assertEquals("nosuch", file.clients().get(0).options().get("secfile"));
        }
    }

    @Nested
    class Values {

        @Test
        void aBadDurationIsAnError() {
            assertEquals("/etc/mandos/clients.conf:4: [a] timeout: invalid duration \"5M\"",
                    error("[a]\nkey_id = ab\nsecret = " + SECRET + "\ntimeout = 5M\n"));
        }

        @Test
        void aBadInheritedDurationIsAnErrorAtTheDefaultLine() {
            assertEquals("/etc/mandos/clients.conf:2: [a] interval: invalid duration \"often\""
                    + " (value inherited from [DEFAULT])",
                    error("[DEFAULT]\ninterval = often\n[a]\nkey_id = ab\nsecret = " + SECRET + "\n"));
        }

        @Test
        void aBadBooleanIsAnError() {
            assertEquals("/etc/mandos/clients.conf:4: [a] approved_by_default: not a boolean: \"sure\""
                    + " (expected 1, yes, true, on, 0, no, false or off)",
                    error("[a]\nkey_id = ab\nsecret = " + SECRET + "\napproved_by_default = sure\n"));
        }

        @Test
        void aNegativeDurationIsAcceptedAsInTheReference() throws ConfigException {
            assertEquals(Duration.ofMinutes(-5), only("[a]\nkey_id = ab\nsecret = " + SECRET + "\ntimeout = -5m\n")
                    .timeout());
        }

        @Test
        void unknownOptionsAreKeptInterpolatedInOptions() throws ConfigException {
            ClientSettings c = only("[a]\nkey_id = ab\nsecret = " + SECRET + "\nnote = 100%%\n");
            assertEquals("100%", c.options().get("note"));
            assertEquals("ab", c.options().get("key_id"));
        }

        @Test
        void aBadPercentInAnUnknownOptionOfAnySectionIsFatal() {
            assertEquals("/etc/mandos/clients.conf:6: [b] note: \"%\" must be followed by \"%\" or \"(\":"
                    + " write \"%%\" for a literal \"%\"",
                    error("[a]\nkey_id = ab\nsecret = " + SECRET + "\n[b]\nkey_id = bb\nnote = 50%\n"));
        }

        @Test
        void aCheckerMixesStartTimeAndRunTimeExpansion() throws ConfigException {
            ClientSettings c = only("[a]\nkey_id = ab\nsecret = " + SECRET + "\nport = 22\n"
                    + "checker = nc -z %%(host)s %(port)s && echo 100%%%%\n");
            assertEquals("nc -z %(host)s 22 && echo 100%%", c.checker());
        }
    }

    @Nested
    class TheFile {

        @Test
        void aMissingFileMeansNoClientsAndAWarning(@TempDir Path dir) throws ConfigException {
            Path conf = dir.resolve("clients.conf");
            ClientsFile file = ClientsFile.load(conf, Map.of());
            assertEquals(List.of(), file.clients());
            assertEquals(List.of(conf + " does not exist: no clients defined"), file.warnings());
        }

        @Test
        void aFileThatCannotBeReadIsAnError(@TempDir Path dir) throws IOException {
            Path conf = Files.createDirectory(dir.resolve("clients.conf"));
            assertEquals(conf + ": cannot read the file: Is a directory",
                    assertThrows(ConfigException.class, () -> ClientsFile.load(conf, Map.of())).getMessage());
        }

        @Test
        void aFileWithOnlyDefaultHasNoClients() throws ConfigException {
            ClientsFile file = parse("[DEFAULT]\ntimeout = 50%\n");
            assertEquals(List.of(), file.clients());
            assertEquals(List.of(), file.warnings());
        }

        @Test
        void syntaxErrorsAreFatal() {
            assertEquals("/etc/mandos/clients.conf:3: [a] host: duplicate option (first set on line 2)",
                    error("[a]\nhost = x\nhost = y\n"));
        }
    }

    /** Found by ClientsFileFuzzTest: a control character of a section name went into a warning as it was. */
    @Test
    void controlCharactersOfASectionNameAreEscapedInWarnings() throws ConfigException {
        assertEquals(List.of("Skipping client a\\u000cb\\u2028c without key_id or fingerprint"),
                parse("[a\fb\u2028c]\nhost = x\n").warnings());
    }
}

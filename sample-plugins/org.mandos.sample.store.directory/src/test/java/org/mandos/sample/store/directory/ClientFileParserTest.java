package org.mandos.sample.store.directory;

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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mandos.api.ClientDefinition;

class ClientFileParserTest {

    static final String KEY_ID = "4FAF6D107BF26CA0ABE751EABD9CF80E52C3F5DFE2DCF0D43AD6AEE835496F5F";
    /** base64 of "a secret that must never be shown"; its pieces must not appear in any message. */
    static final String SECRET_B64 = "YSBzZWNyZXQgdGhhdCBtdXN0IG5ldmVyIGJlIHNob3du";
    static final String SECRET = "a secret that must never be shown";

    @TempDir
    Path dir;

    private final Map<String, String> env = Map.of("HOME", "/home/op", "SECRETS", "vault");

    private ClientFileParser parser() {
        return new ClientFileParser(env, dir.resolve("passwd"));
    }

    private ClientDefinition parse(String text) throws Exception {
        Path file = dir.resolve("web.conf");
        Files.writeString(file, text);
        return parser().parse(file, "web");
    }

    private ClientFileException error(String text) throws IOException {
        Path file = dir.resolve("web.conf");
        Files.writeString(file, text);
        return assertThrows(ClientFileException.class, () -> parser().parse(file, "web"));
    }

    private static String secret(ClientDefinition d) {
        return new String(d.secret(), StandardCharsets.UTF_8);
    }

    @Test
    void defaultsOfEveryOption() throws Exception {
        ClientDefinition d = parse("key_id = " + KEY_ID + "\nsecret = aGk=\n");
        assertEquals("web", d.name());
        assertEquals(KEY_ID, d.keyId());
        assertEquals("", d.fingerprint());
        assertEquals("hi", secret(d));
        assertEquals("", d.host());
        assertEquals(Duration.ofMinutes(5), d.timeout());
        assertEquals(Duration.ofMinutes(15), d.extendedTimeout());
        assertEquals(Duration.ofMinutes(2), d.interval());
        assertEquals("fping -q -- %(host)s", d.checker());
        assertEquals(Duration.ZERO, d.approvalDelay());
        assertEquals(Duration.ofSeconds(1), d.approvalDuration());
        assertTrue(d.approvedByDefault());
        assertTrue(d.enabled());
        assertEquals(Map.of("key_id", KEY_ID, "timeout", "PT5M", "extended_timeout", "PT15M", "interval", "PT2M",
                "checker", "fping -q -- %(host)s", "host", "", "approval_delay", "PT0S", "approval_duration", "PT1S",
                "approved_by_default", "True", "enabled", "True"), d.options());
    }

    @Test
    void everyOptionSet() throws Exception {
        ClientDefinition d = parse("""
                # a client with everything
                Key_ID = 4faf6d10 7bf26ca0abe751eabd9cf80e52c3f5dfe2dcf0d43ad6aee835496f5f
                fingerprint: 1a2b 3c4d5e6f70819293a4b5c6d7e8f901234567
                secret = %s
                host = web.example
                timeout = PT1H
                extended_timeout = 1w 2d
                interval = 5m 30s
                checker = ssh-keyscan %%%%(host)s | grep -q %%(ssh_fingerprint)s
                ssh_fingerprint = ecdsa AAAA
                approval_delay = P1DT1H
                approval_duration = -5m
                approved_by_default = No
                enabled = off
                checker_type = tcp
                tcp_port : 2222
                """.formatted(SECRET_B64));
        assertEquals(KEY_ID, d.keyId());
        assertEquals("1A2B3C4D5E6F70819293A4B5C6D7E8F901234567", d.fingerprint());
        assertEquals(SECRET, secret(d));
        assertEquals("web.example", d.host());
        assertEquals(Duration.ofHours(1), d.timeout());
        assertEquals(Duration.ofDays(9), d.extendedTimeout());
        assertEquals(Duration.ofSeconds(330), d.interval());
        assertEquals("ssh-keyscan %(host)s | grep -q ecdsa AAAA", d.checker());
        assertEquals(Duration.ofHours(25), d.approvalDelay());
        assertEquals(Duration.ofMinutes(-5), d.approvalDuration());
        assertFalse(d.approvedByDefault());
        assertFalse(d.enabled());
        assertEquals("tcp", d.options().get("checker_type"));
        assertEquals("2222", d.options().get("tcp_port"));
        assertEquals("ecdsa AAAA", d.options().get("ssh_fingerprint"));
        assertEquals("4faf6d10 7bf26ca0abe751eabd9cf80e52c3f5dfe2dcf0d43ad6aee835496f5f", d.options().get("key_id"));
        assertEquals("web.example", d.options().get("host"));
        assertFalse(d.options().containsKey("secret"));
        assertFalse(d.options().values().stream().anyMatch(v -> v.contains(SECRET_B64)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1|true", "yes|true", "TRUE|true", "On|true", "0|false", "no|false",
        "False|false", "OFF|false"})
    void booleans(String written, boolean expected) throws Exception {
        ClientDefinition d = parse("key_id = A\nsecret = aGk=\nenabled = " + written + "\napproved_by_default = "
                + written + "\n");
        assertEquals(expected, d.enabled());
        assertEquals(expected, d.approvedByDefault());
    }

    @Test
    void continuationLinesCommentsAndBlankLines() throws Exception {
        String[] b64 = {SECRET_B64.substring(0, 20), SECRET_B64.substring(20, 40), SECRET_B64.substring(40)};
        ClientDefinition d = parse("key_id = " + KEY_ID + "\r\n"
                + "secret =\r\n"
                + "\t" + b64[0] + "\r\n"
                + "   # a comment inside the value is skipped\r\n"
                + "\t" + b64[1] + "\r\n"
                + "\r\n"
                + "\t" + b64[2] + "\r\n"
                + "checker = one\n"
                + "  two\n"
                + "\n"
                + "   three\n"
                + "\n"
                + "\n"
                + "; another comment\n"
                + "host = h\r"
                + "  [not a header]\r");
        assertEquals(SECRET, secret(d));
        assertEquals("one\ntwo\n\nthree", d.checker());
        assertEquals("h\n[not a header]", d.host());
    }

    @Test
    void aContinuationMustBeIndentedDeeperThanItsOption() throws Exception {
        ClientDefinition d = parse("  key_id = " + KEY_ID + "\n  secret = aGk=\n    host = x\n  host = y\n");
        assertEquals("hi", secret(d));
        assertEquals("y", d.host());
    }

    @Test
    void separatorIsTheFirstEqualsOrColon() throws Exception {
        ClientDefinition d = parse("key_id = A\nsecret = aGk=\nurl = http://h:1/?a=b\nother: x = y\n");
        assertEquals("http://h:1/?a=b", d.options().get("url"));
        assertEquals("x = y", d.options().get("other"));
        assertEquals("", parse("key_id = A\nsecret = aGk=\nempty =\n").options().get("empty"));
    }

    @Test
    void secfileIsRelativeToTheDirectory() throws Exception {
        Files.createDirectory(dir.resolve("secrets"));
        byte[] raw = {0, 1, 2, (byte) 0xff, '\n'};
        Files.write(dir.resolve("secrets/web"), raw);
        ClientDefinition d = parse("key_id = A\nsecfile = secrets/web\n");
        assertArrayEquals(raw, d.secret());
        assertEquals("secrets/web", d.options().get("secfile"));
    }

    @Test
    void secfileExpandsVariablesAndHome() throws Exception {
        Files.createDirectories(dir.resolve("vault"));
        Files.writeString(dir.resolve("vault/web"), "from the vault");
        assertEquals("from the vault", secret(parse("key_id = A\nsecfile = $SECRETS/web\n")));
        assertEquals("from the vault", secret(parse("key_id = A\nsecfile = ${SECRETS}/web\n")));
        ClientFileParser p = parser();
        assertEquals("/home/op/x", p.expandUser("~/x"));
        assertEquals("/home/op", p.expandUser("~"));
        assertEquals("$UNKNOWN/x", p.expandVariables("$UNKNOWN/x"));
        Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice/:/bin/sh\n");
        assertEquals("/home/alice/s", p.expandUser("~alice/s"));
        assertEquals("/root", p.expandUser("~root"));
        assertEquals("~nobody/s", p.expandUser("~nobody/s"));
    }

    @Test
    void absoluteSecfile() throws Exception {
        Path elsewhere = Files.createTempFile(dir, "abs", ".secret");
        Files.writeString(elsewhere, "absolute");
        assertEquals("absolute", secret(parse("key_id = A\nsecfile = " + elsewhere + "\n")));
    }

    @Test
    void secretWinsOverSecfile() throws Exception {
        assertEquals("hi", secret(parse("key_id = A\nsecret = aGk=\nsecfile = does/not/exist\n")));
    }

    @Test
    void emptySecretAndFingerprintOnly() throws Exception {
        ClientDefinition d = parse("fingerprint = abcd\nsecret =\n");
        assertEquals(0, d.secret().length);
        assertEquals("", d.keyId());
        assertEquals("ABCD", d.fingerprint());
    }

    @Test
    void interpolation() throws Exception {
        ClientDefinition d = parse("""
                key_id = A
                secret = aGk=
                host = h%%1
                a = %(b)s-%(B)s
                b = [%(host)s]
                pct = 100%%
                """);
        assertEquals("h%1", d.host());
        assertEquals("[h%1]-[h%1]", d.options().get("a"));
        assertEquals("100%", d.options().get("pct"));
    }

    @Test
    void locatedErrors() throws Exception {
        Path file = dir.resolve("web.conf");
        String prefix = file + ":";
        record Case(String text, String message) {
        }
        for (Case c : new Case[] {
            new Case("key_id = A\nsecret = aGk=\ntimeout = 5M\n", prefix + "3: timeout: invalid duration \"5M\""),
            new Case("key_id = A\nsecret = aGk=\ninterval = 1000000000d\n",
                    prefix + "3: interval: duration \"1000000000d\" is out of range"),
            new Case("key_id = A\nsecret = aGk=\nenabled = maybe\n",
                    prefix + "3: enabled: not a boolean: \"maybe\" (expected 1, yes, true, on, 0, no, false or off)"),
            new Case("key_id = A\nsecret = aGk=\n\nkey_id = B\n",
                    prefix + "4: key_id: duplicate option (first set on line 1)"),
            new Case("key_id = A\nKEY_ID = B\n", prefix + "2: key_id: duplicate option (first set on line 1)"),
            new Case("[web]\nkey_id = A\n",
                    prefix + "1: a [section] header is not used here: the file name (NAME.conf) names the client"),
            new Case("key_id = A\njust some words\n", prefix + "2: expected \"name = value\" or a comment"),
            new Case("key_id = A\n= value\n", prefix + "2: option name missing before \"=\""),
            new Case("secret = aGk=\n", prefix + " neither \"key_id\" nor \"fingerprint\" is set"),
            new Case("key_id = \nfingerprint =\nsecret = aGk=\n",
                    prefix + " neither \"key_id\" nor \"fingerprint\" is set"),
            new Case("key_id = A\n", prefix + " neither \"secret\" nor \"secfile\" is set"),
            new Case("key_id = A\nsecfile =\n", prefix + "2: secfile: no file name given"),
            new Case("key_id = A\nsecfile = missing\n",
                    prefix + "2: secfile: cannot read \"" + dir.resolve("missing") + "\": no such file"),
            new Case("key_id = A\nsecfile = .\n",
                    prefix + "2: secfile: cannot read \"" + dir.resolve(".") + "\": Is a directory"),
            new Case("key_id = A\nsecret = aGk=\nhost = 50%\n",
                    prefix + "3: host: \"%\" must be followed by \"%\" or \"(\": write \"%%\" for a literal \"%\""),
            new Case("key_id = A\nsecret = aGk=\nhost = %(x)d\nx = 1\n",
                    prefix + "3: host: bad interpolation reference: write \"%(name)s\""),
            new Case("key_id = A\nsecret = aGk=\nhost = %(x)\n",
                    prefix + "3: host: bad interpolation reference: write \"%(name)s\""),
            new Case("key_id = A\nsecret = aGk=\nhost = %(x)s\n",
                    prefix + "3: host: interpolation refers to unknown option \"x\""),
            new Case("key_id = A\nsecret = aGk=\nhost = %(a)s\na = %(b)s\nb = 5%\n",
                    prefix + "3: host: \"%\" must be followed by \"%\" or \"(\": write \"%%\" for a literal \"%\""
                            + " (in the value of option \"b\")"),
            new Case("key_id = A\nsecret = aGk=\nhost = %(a)s\na = %(host)s\n",
                    prefix + "3: host: interpolation nested more than 10 levels deep (a reference loop?)"
                            + " (in the value of option \"host\")"),
            new Case("key_id = A\nsecret = aGk\n", prefix + "2: secret: not valid base64: incorrect padding"),
            new Case("key_id = A\nsecret = aGk=\nhost = %(SECRET)s\n",
                    prefix + "3: host: refers to \"secret\", which must not be copied into another option"),
            new Case("key_id = A\nsecret = aGk=\na = x%(b)s\nb = %(secret)s\n",
                    prefix + "3: a: refers to \"secret\", which must not be copied into another option"
                            + " (in the value of option \"b\")"),
            new Case("key_id = A\nsecret = aGk=\napproval_delay = P1d\n",
                    prefix + "3: approval_delay: invalid duration \"P1d\""),
        }) {
            assertEquals(c.message(), error(c.text()).getMessage(), c.text());
        }
    }

    @Test
    void checkOrderInterpolationThenBooleansThenIdentityThenSecretThenDurations() throws Exception {
        assertTrue(error("timeout = x\nenabled = maybe\nhost = %\n").problem().startsWith("host:"));
        assertTrue(error("timeout = x\nenabled = maybe\n").problem().startsWith("enabled:"));
        assertTrue(error("timeout = x\n").problem().startsWith("neither \"key_id\""));
        assertTrue(error("key_id = A\ntimeout = x\n").problem().startsWith("neither \"secret\""));
        assertTrue(error("key_id = A\nsecret = aGk=\napproval_duration = x\ntimeout = x\n").problem()
                .startsWith("timeout:"));
    }

    @Test
    void fileLevelErrors() throws Exception {
        Path file = dir.resolve("web.conf");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'k', '=', 'v'});
        assertEquals(file + ":1: the file starts with a byte order mark (U+FEFF): save it as UTF-8 without one",
                assertThrows(ClientFileException.class, () -> parser().parse(file, "web")).getMessage());
        Files.write(file, "key_id = A\r\nsecret = aGk=\rhost = \u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(file + ":3: not valid UTF-8 text",
                assertThrows(ClientFileException.class, () -> parser().parse(file, "web")).getMessage());
        Files.write(file, new byte[ClientFileParser.MAX_BYTES + 1]);
        assertEquals(file + ": cannot read the file: larger than 1 MiB",
                assertThrows(ClientFileException.class, () -> parser().parse(file, "web")).getMessage());
        Path missing = dir.resolve("gone.conf");
        assertEquals(missing + ": cannot read the file: no such file",
                assertThrows(ClientFileException.class, () -> parser().parse(missing, "gone")).getMessage());
    }

    @Test
    void theSecretNeverAppearsInAMessage() throws Exception {
        String[] texts = {
            // bad base64 (one character too many)
            "key_id = A\nsecret = " + SECRET_B64 + "x\n",
            // unknown reference inside the secret: not even the reference is shown
            "key_id = A\nsecret = " + SECRET_B64 + "%(" + SECRET_B64 + ")s\n",
            // a bad "%" in the secret
            "key_id = A\nsecret = " + SECRET_B64 + "%\n",
            // a continuation line of the secret that is not indented
            "key_id = A\nsecret =\n\t" + SECRET_B64.substring(0, 40) + "\n" + SECRET_B64.substring(40) + "==\n",
            // ... and one without padding
            "key_id = A\nsecret =\n\t" + SECRET_B64.substring(0, 40) + "\n" + SECRET_B64.substring(40) + "\n",
            // another problem after the secret
            "key_id = A\nsecret = " + SECRET_B64 + "\ntimeout = 5 minutes\n",
            // no identity
            "secret = " + SECRET_B64 + "\n",
            // the secret copied into an option that would be shown
            "key_id = A\nsecret = " + SECRET_B64 + "\nenabled = %(secret)s\n",
            "key_id = A\nsecret = " + SECRET_B64 + "\ntimeout = %(secret)s\n",
        };
        for (String text : texts) {
            ClientFileException e = error(text);
            for (String piece : new String[] {SECRET_B64.substring(0, 12), SECRET_B64.substring(40), SECRET,
                "YSBzZWNyZX"}) {
                assertFalse(e.getMessage().contains(piece), e.getMessage());
            }
        }
        assertEquals("secret: interpolation refers to unknown option",
                error("key_id = A\nsecret = %(hidden)s\n").problem());
        assertEquals("this line looks like part of the value of \"secret\": indent it to continue that value",
                error(texts[3]).problem());
    }

    @Test
    void secfileContentsNeverAppearInAMessage() throws Exception {
        Files.writeString(dir.resolve("s"), SECRET);
        ClientFileException e = error("key_id = A\nsecfile = s\ntimeout = nope\n");
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(parse("key_id = A\nsecfile = s\n").toString().contains(SECRET));
    }

    @Test
    void optionsAfterTheSecretThatLookLikeBase64AreStillOptions() throws Exception {
        ClientDefinition d = parse("key_id = A\nsecret = aGk=\nhost=web\ntimeout=PT1M\n");
        assertEquals("web", d.host());
        assertEquals(Duration.ofMinutes(1), d.timeout());
    }
}

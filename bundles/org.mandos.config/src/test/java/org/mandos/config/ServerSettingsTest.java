package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §2.1 (mandos.conf specifics) and §2.4: the server-wide settings. */
class ServerSettingsTest {

    private static final Path FILE = Path.of("/etc/mandos/mandos.conf");

    private static ServerSettings parse(String text) throws ConfigException {
        return ServerSettings.parse(FILE, text);
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    @Test
    void theDefaultsAreTheReferenceServersDefaults() {
        ServerSettings d = ServerSettings.defaults();
        assertEquals("", d.interfaceName());
        assertEquals("", d.address());
        assertNull(d.port());
        assertFalse(d.debug());
        assertEquals("", d.debuglevel());
        assertEquals("SECURE128:!CTYPE-X.509:+CTYPE-RAWPK:!RSA:!VERS-ALL:+VERS-TLS1.3:%PROFILE_ULTRA", d.priority());
        assertEquals("Mandos", d.servicename());
        assertTrue(d.useDbus());
        assertTrue(d.useIpv6());
        assertTrue(d.restore());
        assertEquals("/var/lib/mandos", d.statedir());
        assertNull(d.socket());
        assertFalse(d.foreground());
        assertTrue(d.zeroconf());
    }

    @Test
    void aMissingFileGivesTheDefaults(@TempDir Path dir) throws ConfigException {
        assertEquals(ServerSettings.defaults(), ServerSettings.load(dir.resolve("mandos.conf")));
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws ConfigException {
        assertEquals(ServerSettings.defaults(), parse(""));
    }

    @Test
    void aFileThatCannotBeReadIsAnError(@TempDir Path dir) throws IOException {
        Path conf = Files.createDirectory(dir.resolve("mandos.conf"));
        ConfigException e = assertThrows(ConfigException.class, () -> ServerSettings.load(conf));
        assertEquals(conf + ": cannot read the file: Is a directory", e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorAtTheBadLine(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("mandos.conf");
        Files.write(conf, new byte[] {'[', 'D', 'E', 'F', 'A', 'U', 'L', 'T', ']', '\n', 'x', '=', (byte) 0xff, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ServerSettings.load(conf));
        assertEquals(conf + ":2: not valid UTF-8 text", e.getMessage());
    }

    @Test
    void everyOptionIsReadFromDefault(@TempDir Path dir) throws IOException, ConfigException {
        Path conf = dir.resolve("mandos.conf");
        Files.writeString(conf, String.join("\n",
                "[DEFAULT]",
                "interface = eth0",
                "address = ::FFFF:192.0.2.1",
                "port = 1234",
                "debug = yes",
                "debuglevel = info",
                "priority = NORMAL",
                "servicename = Other",
                "use_dbus = no",
                "use_ipv6 = off",
                "restore = 0",
                "statedir = /tmp/state",
                "socket = 3",
                "foreground = true",
                "zeroconf = False",
                "line_timeout = PT2S",
                "handshake_timeout = 1m 5s",
                "max_connections = 7",
                "announcer = JmDNS", ""), StandardCharsets.UTF_8);
        assertEquals(new ServerSettings("eth0", "::FFFF:192.0.2.1", 1234, true, "INFO", "NORMAL", "Other",
                false, false, false, "/tmp/state", 3, true, false, java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(65), 7, "jmdns"), ServerSettings.load(conf));
    }

    @Test
    void theAnnouncerIsAutoByDefaultAndAnUnknownOneIsALocatedError() throws ConfigException {
        assertEquals("auto", parse("[DEFAULT]\n").announcer());
        assertEquals("avahi", parse("[DEFAULT]\nannouncer = avahi\n").announcer());
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse("[DEFAULT]\nannouncer = bonjour\n"));
        assertEquals("unknown announcer \"bonjour\" (expected auto, jmdns, avahi)", e.problem());
        assertEquals(2, e.line());
    }

    @Test
    void connectionLimitsDefaultToTenAndThirtySecondsAndAThousandAndTwentyFourConnections() throws ConfigException {
        ServerSettings s = parse("[DEFAULT]\n");
        assertEquals(java.time.Duration.ofSeconds(10), s.lineTimeout());
        assertEquals(java.time.Duration.ofSeconds(30), s.handshakeTimeout());
        assertEquals(1024, s.maxConnections());
    }

    @Test
    void connectionsPerPeerDefaultToAQuarterOfTheTotalAndCanBeSet() throws ConfigException {
        assertEquals(256, parse("[DEFAULT]\n").maxConnectionsPerPeer());
        assertEquals(25, parse("[DEFAULT]\nmax_connections = 100\n").maxConnectionsPerPeer());
        assertEquals(1, parse("[DEFAULT]\nmax_connections = 3\n").maxConnectionsPerPeer());
        assertEquals(5000, parse("[DEFAULT]\nmax_connections = 5000\nmax_connections_per_peer = 5000\n")
                .maxConnectionsPerPeer());
        assertEquals(256, parse("[DEFAULT]\nmax_connections_per_peer =\n").maxConnectionsPerPeer(), "empty: default");
        ConfigException zero = assertThrows(ConfigException.class,
                () -> parse("[DEFAULT]\nmax_connections_per_peer = 0\n"));
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] max_connections_per_peer: must be at least 1: 0",
                zero.getMessage());
    }

    @Test
    void aZeroOrMalformedConnectionDeadlineIsAnErrorNamingTheOption() {
        ConfigException zero = assertThrows(ConfigException.class, () -> parse("[DEFAULT]\nline_timeout = PT0S\n"));
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] line_timeout: must be longer than zero: \"PT0S\"", zero.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> parse("[DEFAULT]\nhandshake_timeout = 5M\n"));
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] handshake_timeout: invalid duration \"5M\"", bad.getMessage());
        ConfigException few = assertThrows(ConfigException.class, () -> parse("[DEFAULT]\nmax_connections = 0\n"));
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] max_connections: must be at least 1: 0", few.getMessage());
    }

    @Test
    void otherSectionsAreIgnored() throws ConfigException {
        assertEquals(ServerSettings.defaults(), parse("[server]\nport = 1\ndebug = nonsense\nx = 50%\n"));
    }

    @Test
    void syntaxErrorsAnywhereInTheFileAreStillErrors() {
        assertEquals("/etc/mandos/mandos.conf:3: [server] expected \"name = value\", a [section] header or a comment",
                error("[DEFAULT]\n[server]\nnonsense\n"));
    }

    @Test
    void unknownOptionsAreIgnoredAndNotInterpolated() throws ConfigException {
        assertEquals(ServerSettings.defaults(), parse("[DEFAULT]\nunknown = 50%\n"));
    }

    @Test
    void stringOptionsAreReadRawSoPercentSignsNeedNoEscaping() throws ConfigException {
        ServerSettings s = parse("[DEFAULT]\npriority = NORMAL:%PROFILE_ULTRA\nservicename = 100%% %(x)s\n");
        assertEquals("NORMAL:%PROFILE_ULTRA", s.priority());
        assertEquals("100%% %(x)s", s.servicename());
    }

    @Test
    void booleansAreInterpolated() throws ConfigException {
        assertTrue(parse("[DEFAULT]\non = yes\ndebug = %(on)s\n").debug());
    }

    @Test
    void integersAreInterpolated() throws ConfigException {
        assertEquals(Integer.valueOf(1234), parse("[DEFAULT]\nbase = 12\nport = %(base)s34\n").port());
    }

    @Test
    void aBadPercentInABooleanIsAnError() {
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] debug: \"%\" must be followed by \"%\" or \"(\":"
                + " write \"%%\" for a literal \"%\"", error("[DEFAULT]\ndebug = 50%\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "yes", "true", "on", "YES", "On", "TRUE"})
    void booleanTrueWordsInAnyCase(String word) throws ConfigException {
        assertTrue(parse("[DEFAULT]\nforeground = " + word + "\n").foreground());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "no", "false", "off", "NO", "Off", "FALSE"})
    void booleanFalseWordsInAnyCase(String word) throws ConfigException {
        assertFalse(parse("[DEFAULT]\nzeroconf = " + word + "\n").zeroconf());
    }

    @Test
    void anyOtherBooleanIsAnError() {
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] use_dbus: not a boolean: \"enabled\""
                + " (expected 1, yes, true, on, 0, no, false or off)", error("[DEFAULT]\nuse_dbus = enabled\n"));
    }

    @Test
    void anEmptyPortOrSocketMeansUnset() throws ConfigException {
        ServerSettings s = parse("[DEFAULT]\nport =\nsocket =\n");
        assertNull(s.port());
        assertNull(s.socket());
    }

    @Test
    void portZeroIsKeptForTheCommandLineMergeToJudge() throws ConfigException {
        assertEquals(Integer.valueOf(0), parse("[DEFAULT]\nport = 0\n").port());
    }

    @Test
    void aBadPortIsAnError() {
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] port: not an integer: \"http\"",
                error("[DEFAULT]\nport = http\n"));
    }

    @Test
    void aPortBeyond65535IsAnError() {
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] port: not a port number (0 to 65535): 65536",
                error("[DEFAULT]\nport = 65536\n"));
    }

    @Test
    void aBadSocketIsAnError() {
        assertEquals("/etc/mandos/mandos.conf:3: [DEFAULT] socket: not an integer: \"3.0\"",
                error("[DEFAULT]\n\nsocket = 3.0\n"));
    }

    @Test
    void aNegativeSocketIsAnError() {
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] socket: not a file descriptor number: -1",
                error("[DEFAULT]\nsocket = -1\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRITICAL", "error", "Warning", "info", "DEBUG", "fatal", "warn", "NOTSET"})
    void debuglevelAcceptsPythonLoggingLevelNamesInAnyCase(String level) throws ConfigException {
        assertEquals(level.toUpperCase(java.util.Locale.ROOT), parse("[DEFAULT]\ndebuglevel = " + level + "\n").debuglevel());
    }

    @Test
    void anUnknownDebuglevelIsAnErrorNamingTheOption() {
        assertEquals("/etc/mandos/mandos.conf:2: [DEFAULT] debuglevel: unknown log level \"loud\""
                + " (expected CRITICAL, ERROR, WARNING, INFO, DEBUG, FATAL, WARN or NOTSET)",
                error("[DEFAULT]\ndebuglevel = loud\n"));
    }

    @Test
    void debuglevelIsReadRaw() {
        assertEquals("/etc/mandos/mandos.conf:3: [DEFAULT] debuglevel: unknown log level \"%(level)s\""
                + " (expected CRITICAL, ERROR, WARNING, INFO, DEBUG, FATAL, WARN or NOTSET)",
                error("[DEFAULT]\nlevel = info\ndebuglevel = %(level)s\n"));
    }
}

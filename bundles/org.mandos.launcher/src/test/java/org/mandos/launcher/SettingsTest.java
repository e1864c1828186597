package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mandos.config.ConfigException;
import org.mandos.config.ServerSettings;
import picocli.CommandLine;

/** Behaviour §2.4: built-in defaults < mandos.conf < the command line, for options actually given. */
class SettingsTest {

    private static MandosCommand cli(String... args) {
        MandosCommand cli = new MandosCommand();
        new CommandLine(cli).parseArgs(args);
        return cli;
    }

    private static ServerSettings conf(String text) throws ConfigException {
        return ServerSettings.parse(Path.of("/etc/mandos/mandos.conf"), "[DEFAULT]\n" + text);
    }

    @Test
    void withNothingSetTheReferenceDefaultsApply() throws Exception {
        Settings s = Settings.merge(cli(), ServerSettings.defaults());
        assertEquals(Path.of("/etc/mandos"), s.configdir());
        assertEquals("", s.interfaceName());
        assertEquals(0, s.port());
        assertEquals(ServerSettings.DEFAULT_PRIORITY, s.priority());
        assertEquals("Mandos", s.servicename());
        assertEquals(Path.of("/var/lib/mandos"), s.statedir());
        assertTrue(s.useIpv6() && s.useDbus() && s.restore() && s.zeroconf());
        assertFalse(s.foreground() || s.debug());
    }

    @Test
    void theCommandLineOverridesMandosConfOnlyWhereGiven() throws Exception {
        Settings s = Settings.merge(cli("--port", "2000", "--servicename", "Cli"),
                conf("port = 1000\nservicename = Conf\npriority = NORMAL:+CTYPE-RAWPK\naddress = ::1\n"));
        assertEquals(2000, s.port());
        assertEquals("Cli", s.servicename());
        assertEquals("NORMAL:+CTYPE-RAWPK", s.priority());
        assertEquals("::1", s.address());
    }

    @Test
    void switchesOnlyTurnSettingsOnOrOffAndCannotUndoTheFile() throws Exception {
        Settings s = Settings.merge(cli("--no-ipv6", "--no-restore"), conf("debug = yes\nuse_dbus = no\n"));
        assertFalse(s.useIpv6());
        assertFalse(s.restore());
        assertFalse(s.useDbus());
        assertTrue(s.debug());
    }

    @Test
    void debugDoesNotImplyForeground() throws Exception {
        assertFalse(Settings.merge(cli("--debug"), ServerSettings.defaults()).foreground());
        assertFalse(Settings.merge(cli(), conf("debug = true\n")).foreground());
        assertTrue(Settings.merge(cli("--debug", "--foreground"), ServerSettings.defaults()).foreground());
    }

    @Test
    void withoutZeroconfAPortOrSocketIsNeededAndPortZeroIsNoPort() throws Exception {
        StartupError e = assertThrows(StartupError.class, () -> Settings.merge(cli("--no-zeroconf"), ServerSettings.defaults()));
        assertEquals("Needs port or socket to work without Zeroconf", e.getMessage());
        assertEquals(2, e.exitStatus());
        assertThrows(StartupError.class, () -> Settings.merge(cli("--no-zeroconf", "-p", "0"), ServerSettings.defaults()));
        assertEquals(5, Settings.merge(cli(), conf("zeroconf = no\nport = 5\n")).port());
        assertEquals(3, Settings.merge(cli("--no-zeroconf", "--socket", "3"), ServerSettings.defaults()).socket());
    }

    @Test
    void aBadPortOrLogLevelOnTheCommandLineIsAUsageError() {
        StartupError port = assertThrows(StartupError.class, () -> Settings.merge(cli("-p", "70000"), ServerSettings.defaults()));
        assertEquals("--port: 70000 is not a TCP port number (0-65535)", port.getMessage());
        assertEquals(2, port.exitStatus());
        StartupError level = assertThrows(StartupError.class,
                () -> Settings.merge(cli("--debuglevel", "LOUD"), ServerSettings.defaults()));
        assertEquals("--debuglevel: unknown log level \"LOUD\" (use CRITICAL, ERROR, WARNING, INFO or DEBUG)", level.getMessage());
    }

    @Test
    void logLevelNamesAreThoseOfPythonLogging() throws Exception {
        assertEquals("WARN", Settings.merge(cli("--debuglevel", "warn"), ServerSettings.defaults()).debuglevel());
        assertEquals(ch.qos.logback.classic.Level.ERROR, LogLevels.toLogback("critical"));
        assertEquals(ch.qos.logback.classic.Level.WARN, LogLevels.toLogback(""));
        assertEquals(ch.qos.logback.classic.Level.DEBUG, LogLevels.toLogback("NOTSET"));
    }
}

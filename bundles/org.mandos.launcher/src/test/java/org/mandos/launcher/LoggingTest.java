package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static Level level(String logger) {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(logger).getLevel();
    }

    private static String xml(String body) {
        return "<configuration>\n" + body + "\n</configuration>\n";
    }

    @AfterEach
    void stop() {
        Logging.stop();
    }

    @Test
    void defaultsThenTheOperatorsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, xml("<logger name=\"org.mandos.core\" level=\"TRACE\"/>"));
        Logging.configure("WARNING", false, Logging.Target.console(), file);
        assertEquals(Level.WARN, level(Logger.ROOT_LOGGER_NAME));
        assertEquals(Level.TRACE, level("org.mandos.core"));
        assertEquals(Level.INFO, level(Logging.AUDIT_LOGGER), "audit lines show at the default level");
        assertEquals(Level.INFO, level("org.mandos.launcher"));
    }

    @Test
    void debugSelectsDebugAndAFileCanGoFurther(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, xml("<root level=\"TRACE\"/>"));
        Logging.configure("ERROR", true, Logging.Target.console(), file);
        assertEquals(Level.TRACE, level(Logger.ROOT_LOGGER_NAME));
        Logging.configure("ERROR", true, Logging.Target.console(), dir.resolve("absent.xml"));
        assertEquals(Level.DEBUG, level(Logger.ROOT_LOGGER_NAME));
    }

    @Test
    void editsApplyWhileTheServerRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logback.xml");
        Logging.configure("WARNING", false, Logging.Target.console(), file);
        assertEquals(null, level("org.mandos.server"));
        Files.writeString(file, xml("<logger name=\"org.mandos.server\" level=\"DEBUG\"/>"));
        long deadline = System.nanoTime() + 4 * Logging.WATCH_MILLIS * 1_000_000L;
        // Wait for the whole new state: a reapplication resets the context before it sets the levels.
        while ((level("org.mandos.server") != Level.DEBUG || level(Logger.ROOT_LOGGER_NAME) != Level.WARN)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(Level.DEBUG, level("org.mandos.server"));
        Files.delete(file);
        deadline = System.nanoTime() + 4 * Logging.WATCH_MILLIS * 1_000_000L;
        while ((level("org.mandos.server") != null || level(Logger.ROOT_LOGGER_NAME) != Level.WARN)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(null, level("org.mandos.server"), "back to the built-in settings");
        assertEquals(Level.WARN, level(Logger.ROOT_LOGGER_NAME));
    }

    @Test
    void aBrokenFileIsAStartupError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, "<configuration><logger name=\"x\" level=\"TRACE\">");
        StartupError e = assertThrows(StartupError.class,
                () -> Logging.configure("WARNING", false, Logging.Target.console(), file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }
}

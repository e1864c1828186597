package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RuntimeLogLevelsTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final RuntimeLogLevels levels = new RuntimeLogLevels();

    @Test
    void setsALoggersLevelByItsPythonName() {
        levels.accept("org.mandos.test.shell", "debug");
        assertEquals(Level.DEBUG, context.getLogger("org.mandos.test.shell").getLevel());
        levels.accept("org.mandos.test.shell", "WARNING");
        assertEquals(Level.WARN, context.getLogger("org.mandos.test.shell").getLevel());
        levels.accept("org.mandos.test.shell", "CRITICAL");
        assertEquals(Level.ERROR, context.getLogger("org.mandos.test.shell").getLevel());
    }

    @Test
    void rootNamesTheRootLogger() {
        Level before = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
        try {
            levels.accept("root", "INFO");
            assertEquals(Level.INFO, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel());
        } finally {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(before);
        }
    }

    @Test
    void rejectsUnknownLevelsAndEmptyNames() {
        assertThrows(IllegalArgumentException.class, () -> levels.accept("x", "LOUD"));
        assertThrows(IllegalArgumentException.class, () -> levels.accept("x", ""));
        assertThrows(IllegalArgumentException.class, () -> levels.accept(" ", "INFO"));
    }
}

package org.mandos.launcher;

import ch.qos.logback.classic.Level;
import java.util.Locale;

/** The reference's log level names (Python logging) and their Logback equivalents. */
final class LogLevels {

    private LogLevels() {
    }

    /** Returns the upper-cased name, or fails naming the option. */
    static String check(String option, String name) throws StartupError {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (toLogback(upper) == null) {
            throw new StartupError(StartupError.USAGE, option + ": unknown log level \"" + name
                    + "\" (use CRITICAL, ERROR, WARNING, INFO or DEBUG)");
        }
        return upper;
    }

    /** Maps a Python level name; the empty name is the reference's default, WARNING. */
    static Level toLogback(String name) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "":
            case "WARNING":
            case "WARN":
                return Level.WARN;
            case "CRITICAL":
            case "FATAL":
            case "ERROR":
                return Level.ERROR;
            case "INFO":
                return Level.INFO;
            case "DEBUG":
            case "NOTSET":
                return Level.DEBUG;
            default:
                return null;
        }
    }
}

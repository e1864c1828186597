package org.mandos.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback for the whole process (the bundles log through the SLF4J API that the framework
 * exports from the class path). The format follows the reference's console format, with a timestamp.
 * The launcher's own lines (listening, stopping) are always logged at INFO so an operator can see which
 * port was chosen even at the reference's default level, WARNING.
 */
final class Logging {

    private static final String PATTERN =
            "%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} mandos [" + ProcessHandle.current().pid()
                    + "]: %replace(%level){'WARN','WARNING'}: %msg%n%ex{short}";

    private Logging() {
    }

    /** Flushes and closes the appenders; called last at shutdown. */
    static void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    /** Logs to standard error (foreground) or appends to {@code file} (background, until syslog support). */
    static void configure(String level, boolean debug, Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (file == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        } else {
            FileAppender<ILoggingEvent> out = new FileAppender<>();
            out.setFile(file.toString());
            out.setAppend(true);
            appender = out;
        }
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        Level rootLevel = debug ? Level.DEBUG : LogLevels.toLogback(level);
        root.setLevel(rootLevel);
        // The embedded mDNS library is very chatty, with stack traces when an address goes away; the
        // Zeroconf announcer reports what matters itself.
        context.getLogger("javax.jmdns").setLevel(Level.ERROR);
        // dbus-java (inside the Avahi announcer) logs every connection at INFO.
        context.getLogger("org.freedesktop.dbus").setLevel(Level.WARN);
        if (rootLevel.isGreaterOrEqual(Level.INFO)) {
            context.getLogger("org.mandos.launcher").setLevel(Level.INFO);
        }
    }
}

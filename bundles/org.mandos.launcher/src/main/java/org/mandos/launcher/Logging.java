package org.mandos.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback for the whole process (the bundles log through the SLF4J API that the framework
 * exports from the class path): first the built-in defaults (target, format, level), then the
 * operator's {@code <configdir>/logback.xml} if there is one. The file is watched: when it changes,
 * appears or goes away, the defaults and the file are applied again. (Logback's own {@code scan}
 * cannot be used: it resets the whole context, which would remove the built-in target.)
 *
 * <p>The format follows the reference's console format, with a timestamp. The launcher's own lines
 * (listening, stopping) and the audit lines ({@code mandos.audit}) are logged at INFO by default so
 * that they appear even at the reference's default level, WARNING.
 */
final class Logging {

    static final String AUDIT_LOGGER = "mandos.audit";
    static final long WATCH_MILLIS = 2000;

    private static final String PATTERN =
            "%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} mandos [" + ProcessHandle.current().pid()
                    + "]: %replace(%level){'WARN','WARNING'}: %msg%n%ex{short}";

    /**
     * Where the lines go: standard error, a syslog or journal socket, or a file.
     *
     * @param socket    the socket of the syslog daemon or journald, or null
     * @param transport how the socket is spoken to (with {@code socket})
     * @param file      the log file, or null
     */
    record Target(Path socket, SyslogAppender.Transport transport, Path file) {

        static Target console() {
            return new Target(null, null, null);
        }

        String describe() {
            if (socket != null) {
                return (transport == SyslogAppender.Transport.SYSLOG ? "syslog at " : "the systemd journal at ")
                        + socket;
            }
            return file != null ? "the file " + file : "standard error";
        }
    }

    private static final Object LOCK = new Object();
    private static Level rootLevel;
    private static Target target;
    private static Path xml;
    private static Thread watcher;
    /** The change stamp of {@link #xml} when it was last applied; guarded by {@link #LOCK}. */
    private static String lastStamp;

    private Logging() {
    }

    /**
     * The target of a background server: syslog at {@code /dev/log} if it takes stream connections,
     * else the journal's stream socket, else {@code <statedir>/mandos.log}. The system property
     * {@code mandos.syslog.socket} replaces {@code /dev/log} (for tests), and its value {@code none}
     * turns syslog and the journal off.
     */
    static Target backgroundTarget(Settings s) throws StartupError {
        String override = System.getProperty("mandos.syslog.socket");
        List<Path> syslog = new ArrayList<>();
        List<Path> journal = new ArrayList<>();
        if (override == null) {
            syslog.add(SyslogAppender.DEV_LOG);
            journal.add(SyslogAppender.JOURNAL_STDOUT);
        } else if (!override.equals("none")) {
            syslog.add(Path.of(override));
        }
        SyslogAppender probe = SyslogAppender.open(syslog, journal, "mandos");
        if (probe != null) {
            probe.stop();
            return new Target(probe.socket(), probe.transport(), null);
        }
        return new Target(null, null, Daemon.logFile(s));
    }

    /** Flushes and closes the appenders; called last at shutdown. */
    static void stop() {
        synchronized (LOCK) {
            if (watcher != null) {
                watcher.interrupt();
                watcher = null;
            }
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    /**
     * Applies the defaults, then {@code logbackXml} if it exists (null: none), and watches that file.
     * A file that Logback reports errors for at start-up is a start-up error.
     */
    static void configure(String level, boolean debug, Target where, Path logbackXml) throws StartupError {
        synchronized (LOCK) {
            rootLevel = debug ? Level.DEBUG : LogLevels.toLogback(level);
            target = Objects.requireNonNull(where);
            xml = logbackXml;
            lastStamp = logbackXml == null ? null : stamp(logbackXml);
            List<String> errors = apply();
            if (!errors.isEmpty()) {
                throw new StartupError(logbackXml + ": " + String.join("; ", errors));
            }
            if (logbackXml != null && watcher == null) {
                watcher = new Thread(Logging::watch, "mandos-logback-watch");
                watcher.setDaemon(true);
                watcher.start();
            }
        }
    }

    /** Resets the context and applies the defaults and the file; returns the file's errors. */
    private static List<String> apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Appender<ILoggingEvent> appender = appender(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(rootLevel);
        // The embedded mDNS library is very chatty, with stack traces when an address goes away; the
        // Zeroconf announcer reports what matters itself.
        context.getLogger("javax.jmdns").setLevel(Level.ERROR);
        // dbus-java (inside the Avahi announcer) logs every connection at INFO.
        context.getLogger("org.freedesktop.dbus").setLevel(Level.WARN);
        if (rootLevel.isGreaterOrEqual(Level.INFO)) {
            context.getLogger("org.mandos.launcher").setLevel(Level.INFO);
            context.getLogger(AUDIT_LOGGER).setLevel(Level.INFO);
        }
        List<String> errors = new ArrayList<>();
        if (xml != null && Files.isRegularFile(xml)) {
            long since = System.currentTimeMillis();
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            try {
                joran.doConfigure(xml.toFile());
            } catch (JoranException e) {
                errors.add(e.getMessage());
            }
            for (Status s : context.getStatusManager().getCopyOfStatusList()) {
                if (s.getLevel() == Status.ERROR && s.getTimestamp() >= since && !errors.contains(s.getMessage())) {
                    errors.add(s.getMessage());
                }
            }
        }
        return errors;
    }

    private static Appender<ILoggingEvent> appender(LoggerContext context) {
        Appender<ILoggingEvent> appender;
        if (target.socket() != null) {
            appender = new SyslogAppender(target.socket(), target.transport(), "mandos");
        } else {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern(PATTERN);
            encoder.start();
            if (target.file() == null) {
                ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
                console.setTarget("System.err");
                console.setEncoder(encoder);
                appender = console;
            } else {
                FileAppender<ILoggingEvent> out = new FileAppender<>();
                out.setFile(target.file().toString());
                out.setAppend(true);
                out.setEncoder(encoder);
                appender = out;
            }
        }
        appender.setName("mandos");
        appender.setContext(context);
        appender.start();
        return appender;
    }

    /** A change stamp of the file: absent, or its modification time and size. */
    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "absent";
        }
    }

    private static void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Path file;
            List<String> errors;
            synchronized (LOCK) {
                if (watcher != Thread.currentThread()) {
                    return;
                }
                // The file and its last stamp are read under the lock, as configure() sets them: a
                // change made right after configure() is never mistaken for the starting state.
                file = xml;
                if (file == null) {
                    continue;
                }
                String now = stamp(file);
                if (now.equals(lastStamp)) {
                    continue;
                }
                lastStamp = now;
                errors = apply();
            }
            org.slf4j.Logger log = LoggerFactory.getLogger(Logging.class);
            if (errors.isEmpty()) {
                log.info("Applied {}{}", file, Files.exists(file) ? "" : " (removed: built-in settings only)");
            } else {
                log.warn("Errors in {} (the rest of it applies): {}", file, String.join("; ", errors));
            }
        }
    }
}

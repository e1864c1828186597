package org.mandos.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.function.BiConsumer;
import org.slf4j.LoggerFactory;

/**
 * Changes a logger's level while the server runs, for the shell's {@code loglevel} command. Logback is
 * on the launcher's class path only, so bundles reach this through a service of a plain JDK type:
 * {@code java.util.function.BiConsumer<String, String>} (logger name or {@code ROOT}, level name) with
 * the service property {@code mandos.loglevel=true}, registered by {@link EmbeddedFramework}.
 */
final class RuntimeLogLevels implements BiConsumer<String, String> {

    /** The service property that marks the service. */
    static final String PROPERTY = "mandos.loglevel";

    @Override
    public void accept(String logger, String level) {
        if (logger == null || logger.isBlank()) {
            throw new IllegalArgumentException("no logger name (use ROOT for every logger)");
        }
        Level target = level == null || level.isEmpty() ? null : LogLevels.toLogback(level);
        if (target == null) {
            throw new IllegalArgumentException("unknown log level \"" + level
                    + "\" (use CRITICAL, ERROR, WARNING, INFO or DEBUG)");
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        String name = logger.equalsIgnoreCase("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME : logger;
        context.getLogger(name).setLevel(target);
    }

    @Override
    public String toString() {
        return "mandos log levels";
    }
}

package org.mandos.config.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import org.mandos.config.ConfigException;
import org.mandos.config.Durations;
import org.mandos.config.IniDocument;
import org.mandos.config.IniParser;
import org.mandos.config.IniSection;
import org.mandos.config.ServerSettings;

/** Turns {@code mandos.conf} into {@link ServerSettings}, as the reference server's {@code main()} does. */
public final class MandosConfReader {

    /** The reference server's {@code logging} level names, which {@code debuglevel} may use in any case. */
    private static final Set<String> LOG_LEVELS =
            Set.of("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "FATAL", "WARN", "NOTSET");

    private MandosConfReader() {
    }

    /** @see ServerSettings#load(Path) */
    public static ServerSettings load(Path file) throws ConfigException {
        Optional<String> text = ConfigFileText.readIfExists(file);
        return text.isPresent() ? parse(file, text.get()) : ServerSettings.defaults();
    }

    /** @see ServerSettings#parse(Path, String) */
    public static ServerSettings parse(Path file, String text) throws ConfigException {
        IniSection conf = IniParser.parse(file, text).section(IniDocument.DEFAULT_SECTION, builtIns());
        return new ServerSettings(
                raw(conf, "interface"),
                raw(conf, "address"),
                port(conf),
                conf.getBoolean("debug"),
                debuglevel(conf),
                raw(conf, "priority"),
                raw(conf, "servicename"),
                conf.getBoolean("use_dbus"),
                conf.getBoolean("use_ipv6"),
                conf.getBoolean("restore"),
                raw(conf, "statedir"),
                socket(conf),
                conf.getBoolean("foreground"),
                conf.getBoolean("zeroconf"),
                positiveDuration(conf, "line_timeout"),
                positiveDuration(conf, "handshake_timeout"),
                maxConnections(conf),
                maxConnectionsPerPeer(conf, maxConnections(conf)),
                announcer(conf));
    }

    private static Map<String, String> builtIns() {
        ServerSettings d = ServerSettings.defaults();
        Map<String, String> map = new LinkedHashMap<>();
        map.put("interface", d.interfaceName());
        map.put("address", d.address());
        map.put("port", "");
        map.put("debug", "False");
        map.put("priority", d.priority());
        map.put("servicename", d.servicename());
        map.put("use_dbus", "True");
        map.put("use_ipv6", "True");
        map.put("debuglevel", d.debuglevel());
        map.put("restore", "True");
        map.put("socket", "");
        map.put("statedir", d.statedir());
        map.put("foreground", "False");
        map.put("zeroconf", "True");
        map.put("line_timeout", d.lineTimeout().toString());
        map.put("handshake_timeout", d.handshakeTimeout().toString());
        map.put("max_connections", Integer.toString(d.maxConnections()));
        map.put("max_connections_per_peer", "");
        map.put("announcer", d.announcer());
        return map;
    }

    private static String raw(IniSection conf, String option) {
        return conf.raw(option).orElseThrow();
    }

    /** Like the reference, an empty raw value means unset, and only a non-empty one is interpolated. */
    private static Integer port(IniSection conf) throws ConfigException {
        if (raw(conf, "port").isEmpty()) {
            return null;
        }
        int port = conf.getInt("port");
        if (port < 0 || port > 65_535) {
            throw conf.error("port", "not a port number (0 to 65535): " + port);
        }
        return port;
    }

    private static Integer socket(IniSection conf) throws ConfigException {
        if (raw(conf, "socket").isEmpty()) {
            return null;
        }
        int fd = conf.getInt("socket");
        if (fd < 0) {
            throw conf.error("socket", "not a file descriptor number: " + fd);
        }
        return fd;
    }

    /** The limits are extensions of this server; durations use the clients.conf duration syntax. */
    private static Duration positiveDuration(IniSection conf, String option) throws ConfigException {
        Duration value;
        try {
            value = Durations.parse(conf.get(option));
        } catch (IllegalArgumentException e) {
            throw conf.error(option, e.getMessage());
        }
        if (value.isZero() || value.isNegative()) {
            throw conf.error(option, "must be longer than zero: " + Quoted.of(conf.get(option)));
        }
        return value;
    }

    private static String announcer(IniSection conf) throws ConfigException {
        String value = conf.get("announcer").trim().toLowerCase(java.util.Locale.ROOT);
        if (!ServerSettings.ANNOUNCERS.contains(value)) {
            throw conf.error("announcer", "unknown announcer " + Quoted.of(conf.get("announcer")) + " (expected "
                    + String.join(", ", ServerSettings.ANNOUNCERS) + ")");
        }
        return value;
    }

    private static int maxConnections(IniSection conf) throws ConfigException {
        int value = conf.getInt("max_connections");
        if (value < 1) {
            throw conf.error("max_connections", "must be at least 1: " + value);
        }
        return value;
    }

    /** Empty (the default): a quarter of max_connections. */
    private static int maxConnectionsPerPeer(IniSection conf, int maxConnections) throws ConfigException {
        if (raw(conf, "max_connections_per_peer").isEmpty()) {
            return ServerSettings.defaultPerPeer(maxConnections);
        }
        int value = conf.getInt("max_connections_per_peer");
        if (value < 1) {
            throw conf.error("max_connections_per_peer", "must be at least 1: " + value);
        }
        return value;
    }

    /** The reference crashes on an unknown level name at start-up; here it is a located error. */
    private static String debuglevel(IniSection conf) throws ConfigException {
        String level = raw(conf, "debuglevel");
        if (level.isEmpty()) {
            return level;
        }
        String upper = PythonText.upper(level);
        if (!LOG_LEVELS.contains(upper)) {
            throw conf.error("debuglevel", "unknown log level " + Quoted.of(level)
                    + " (expected CRITICAL, ERROR, WARNING, INFO, DEBUG, FATAL, WARN or NOTSET)");
        }
        return upper;
    }
}

package org.mandos.sample.store.directory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mandos.api.ClientDefinition;
import org.mandos.sample.store.directory.OptionReader.RawOption;

/**
 * Turns one client file into a {@link ClientDefinition}: the options and built-in defaults of
 * mandos-clients.conf(5), start-time {@code %(name)s} interpolation, booleans, durations, the base64
 * {@code secret} or the {@code secfile} (relative paths resolved against the file's directory). The
 * file must set {@code key_id} or {@code fingerprint}, and {@code secret} or {@code secfile}.
 *
 * <p>Problems are reported as {@link ClientFileException}s, checked in this order: the file's text,
 * interpolation, {@code enabled} and {@code approved_by_default}, the identity, the secret, then the
 * durations {@code timeout}, {@code extended_timeout}, {@code interval}, {@code approval_delay},
 * {@code approval_duration}. No message contains the secret.
 */
final class ClientFileParser {

    /** The reference server's built-in defaults, in its order. */
    static final Map<String, String> BUILT_IN_DEFAULTS = builtInDefaults();

    /** Client files and secret files larger than this are refused. */
    static final int MAX_BYTES = 1 << 20;

    private static final int MAX_INTERPOLATION_DEPTH = 10;
    private static final List<String> DURATIONS = List.of("timeout", "extended_timeout", "interval",
            "approval_delay", "approval_duration");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:([A-Za-z0-9_]+)|\\{([A-Za-z0-9_]+)\\})");

    private final Map<String, String> environment;
    private final Path passwd;

    /**
     * @param environment for {@code $NAME} and {@code ~} in {@code secfile} (normally {@link System#getenv()})
     * @param passwd      where {@code ~user} is looked up (normally {@code /etc/passwd})
     */
    ClientFileParser(Map<String, String> environment, Path passwd) {
        this.environment = Map.copyOf(environment);
        this.passwd = passwd;
    }

    private static Map<String, String> builtInDefaults() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("timeout", "PT5M");
        map.put("extended_timeout", "PT15M");
        map.put("interval", "PT2M");
        map.put("checker", "fping -q -- %%(host)s");
        map.put("host", "");
        map.put("approval_delay", "PT0S");
        map.put("approval_duration", "PT1S");
        map.put("approved_by_default", "True");
        map.put("enabled", "True");
        return Collections.unmodifiableMap(map);
    }

    /** Reads and parses {@code file}, which defines the client {@code name}. */
    ClientDefinition parse(Path file, String name) throws ClientFileException {
        byte[] bytes = readLimited(file, MAX_BYTES, why -> new ClientFileException(file, 0, "cannot read the file: " + why));
        Map<String, RawOption> own = OptionReader.read(file, bytes);
        Arrays.fill(bytes, (byte) 0);
        return new Client(file, own).definition(name);
    }

    /** One file's options while it is being turned into a definition. */
    private final class Client {
        private final Path file;
        private final Map<String, RawOption> own;
        /** Every visible option, raw: built-in defaults under the file's own options. */
        private final Map<String, String> raw = new LinkedHashMap<>(BUILT_IN_DEFAULTS);
        private final Map<String, String> values = new LinkedHashMap<>();

        Client(Path file, Map<String, RawOption> own) {
            this.file = file;
            this.own = own;
            own.values().forEach(o -> raw.put(o.name(), o.value()));
        }

        ClientDefinition definition(String name) throws ClientFileException {
            // The file's options in file order, then the built-in defaults it does not override.
            List<String> order = new ArrayList<>(own.keySet());
            BUILT_IN_DEFAULTS.keySet().stream().filter(o -> !own.containsKey(o)).forEach(order::add);
            for (String option : order) {
                StringBuilder out = new StringBuilder();
                expand(option, raw.get(option), out, 1, null);
                values.put(option, out.toString());
            }
            boolean enabled = bool("enabled");
            boolean approvedByDefault = bool("approved_by_default");
            String keyId = normalise(values.getOrDefault("key_id", ""));
            String fingerprint = normalise(values.getOrDefault("fingerprint", ""));
            if (keyId.isEmpty() && fingerprint.isEmpty()) {
                throw new ClientFileException(file, 0, "neither \"key_id\" nor \"fingerprint\" is set");
            }
            byte[] secret = secret();
            try {
                Duration[] durations = new Duration[DURATIONS.size()];
                for (int i = 0; i < durations.length; i++) {
                    durations[i] = duration(DURATIONS.get(i));
                }
                Map<String, String> options = new LinkedHashMap<>(values);
                options.remove("secret");
                return new ClientDefinition(name, keyId, fingerprint, secret, values.get("host"), durations[0],
                        durations[1], durations[2], values.get("checker"), durations[3], durations[4],
                        approvedByDefault, enabled, options);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }

        private int line(String option) {
            RawOption o = own.get(option);
            return o == null ? 0 : o.line();
        }

        private ClientFileException problem(String option, String problem) {
            return new ClientFileException(file, line(option), option + ": " + problem);
        }

        /** Python's BasicInterpolation: {@code %%} and {@code %(name)s}, nested at most 10 deep. */
        private void expand(String option, String rest, StringBuilder out, int depth, String via)
                throws ClientFileException {
            String suffix = via == null ? "" : " (in the value of option " + Text.quote(via) + ")";
            if (depth > MAX_INTERPOLATION_DEPTH) {
                throw problem(option, "interpolation nested more than " + MAX_INTERPOLATION_DEPTH
                        + " levels deep (a reference loop?)" + suffix);
            }
            int i = 0;
            while (i < rest.length()) {
                int percent = rest.indexOf('%', i);
                if (percent < 0) {
                    out.append(rest, i, rest.length());
                    return;
                }
                out.append(rest, i, percent);
                char next = percent + 1 < rest.length() ? rest.charAt(percent + 1) : 0;
                if (next == '%') {
                    out.append('%');
                    i = percent + 2;
                } else if (next == '(') {
                    int close = rest.indexOf(')', percent + 2);
                    if (close <= percent + 2 || close + 1 >= rest.length() || rest.charAt(close + 1) != 's') {
                        throw problem(option, "bad interpolation reference: write \"%(name)s\"" + suffix);
                    }
                    String variable = rest.substring(percent + 2, close).toLowerCase(Locale.ROOT);
                    i = close + 2;
                    if ("secret".equals(variable) && !"secret".equals(option)) {
                        // It would end up in options(), host or checker, which are shown and logged.
                        throw problem(option, "refers to \"secret\", which must not be copied into another option"
                                + suffix);
                    }
                    String value = raw.get(variable);
                    if (value == null) {
                        throw problem(option, "interpolation refers to unknown option"
                                + ("secret".equals(option) ? "" : " " + Text.quote(variable)) + suffix);
                    }
                    if (value.indexOf('%') >= 0) {
                        expand(option, value, out, depth + 1, variable);
                    } else {
                        out.append(value);
                    }
                } else {
                    throw problem(option, "\"%\" must be followed by \"%\" or \"(\": write \"%%\" for a literal \"%\""
                            + suffix);
                }
            }
        }

        private boolean bool(String option) throws ClientFileException {
            String value = values.get(option);
            switch (value.toLowerCase(Locale.ROOT)) {
                case "1", "yes", "true", "on":
                    return true;
                case "0", "no", "false", "off":
                    return false;
                default:
                    throw problem(option, "not a boolean: " + Text.quote(value)
                            + " (expected 1, yes, true, on, 0, no, false or off)");
            }
        }

        private Duration duration(String option) throws ClientFileException {
            try {
                return Durations.parse(values.get(option));
            } catch (Durations.DurationException e) {
                throw problem(option, e.getMessage());
            }
        }

        private byte[] secret() throws ClientFileException {
            if (values.containsKey("secret")) {
                try {
                    return LenientBase64.decode(values.get("secret"));
                } catch (LenientBase64.Base64Exception e) {
                    throw problem("secret", "not valid base64: " + e.getMessage());
                }
            }
            if (!values.containsKey("secfile")) {
                throw new ClientFileException(file, 0, "neither \"secret\" nor \"secfile\" is set");
            }
            String written = values.get("secfile");
            if (written.isEmpty()) {
                throw problem("secfile", "no file name given");
            }
            Path dir = file.toAbsolutePath().getParent();
            Path secfile = dir.resolve(expandUser(expandVariables(written)));
            return readLimited(secfile, MAX_BYTES,
                    why -> problem("secfile", "cannot read " + Text.quote(secfile.toString()) + ": " + why));
        }
    }

    /** Upper case, every space (U+0020) removed, as the reference does for key_id and fingerprint. */
    static String normalise(String id) {
        return id.toUpperCase(Locale.ROOT).replace(" ", "");
    }

    /** {@code $NAME} and {@code ${NAME}} from the environment; unknown variables stay as written. */
    String expandVariables(String path) {
        Matcher m = VARIABLE.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.get(m.group(1) != null ? m.group(1) : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        return m.appendTail(out).toString();
    }

    /** A leading {@code ~} ({@code $HOME}) or {@code ~user} (from the passwd file); unknown users stay as written. */
    String expandUser(String path) {
        if (!path.startsWith("~")) {
            return path;
        }
        int slash = path.indexOf('/');
        int end = slash < 0 ? path.length() : slash;
        String home;
        if (end == 1) {
            home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        } else {
            home = homeOf(path.substring(1, end));
        }
        if (home == null) {
            return path;
        }
        while (home.endsWith("/")) {
            home = home.substring(0, home.length() - 1);
        }
        String expanded = home + path.substring(end);
        return expanded.isEmpty() ? "/" : expanded;
    }

    private String homeOf(String user) {
        try {
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 6 && fields[0].equals(user)) {
                    return fields[5];
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** How a problem reading a file becomes an exception (with or without a line). */
    @FunctionalInterface
    private interface Failure {
        ClientFileException with(String reason);
    }

    private static byte[] readLimited(Path path, int max, Failure failure) throws ClientFileException {
        try {
            if (Files.isDirectory(path)) {
                return failOn(failure, "Is a directory");
            }
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = in.readNBytes(max + 1);
                if (bytes.length > max) {
                    Arrays.fill(bytes, (byte) 0);
                    return failOn(failure, "larger than " + (max >> 20) + " MiB");
                }
                return bytes;
            }
        } catch (IOException e) {
            return failOn(failure, reason(e));
        }
    }

    private static byte[] failOn(Failure failure, String reason) throws ClientFileException {
        throw failure.with(reason);
    }

    /** A short reason for an I/O failure, without the path (the caller names the file). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }
}

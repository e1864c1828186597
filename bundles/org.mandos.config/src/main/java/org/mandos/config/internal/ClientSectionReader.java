package org.mandos.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mandos.config.ClientSettings;
import org.mandos.config.ConfigException;
import org.mandos.config.Durations;
import org.mandos.config.IniSection;

/**
 * Turns one {@code clients.conf} section into {@link ClientSettings}, checking in the order of the
 * reference server's {@code Client.config_parser}, so that a section with several problems gets
 * the same first error.
 */
public final class ClientSectionReader {

    private final Map<String, String> env;
    private final UserHomes homes;
    /** Durations already parsed by this reader (one file), by their text. */
    private final Map<String, Duration> parsedDurations = new java.util.HashMap<>();
    /** Warnings about the secret files read, in the order read. */
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param env the environment for {@code $VAR} and {@code ~} in {@code secfile}
     * @param homes where {@code ~user} is looked up
     */
    public ClientSectionReader(Map<String, String> env, UserHomes homes) {
        this.env = Map.copyOf(env);
        this.homes = homes;
    }

    /** @return warnings about the files read so far (a {@code secfile} readable by all users) */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** @return the client, or empty if the section has neither key_id nor fingerprint */
    public Optional<ClientSettings> read(IniSection section) throws ConfigException {
        Map<String, String> values = section.getAll();
        boolean approvedByDefault = section.parseBoolean("approved_by_default", values.get("approved_by_default"));
        boolean enabled = section.parseBoolean("enabled", values.get("enabled"));
        String keyId = normalise(values.getOrDefault("key_id", ""));
        String fingerprint = normalise(values.getOrDefault("fingerprint", ""));
        if (keyId.isEmpty() && fingerprint.isEmpty()) {
            return Optional.empty();
        }
        byte[] secret = secret(section, values);
        try {
            return Optional.of(new ClientSettings(section.name(), section.headerLine(), keyId, fingerprint, secret,
                    values.get("host"),
                    duration(section, values, "timeout"),
                    duration(section, values, "extended_timeout"),
                    duration(section, values, "interval"),
                    values.get("checker"),
                    duration(section, values, "approval_delay"),
                    duration(section, values, "approval_duration"),
                    approvedByDefault, enabled, values));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Upper-case, then remove spaces, and nothing else: a tab, colon or continuation newline stays,
     * so such a value never matches a peer (reference behaviour).
     */
    private static String normalise(String identity) {
        return PythonText.upper(identity).replace(" ", "");
    }

    private byte[] secret(IniSection section, Map<String, String> values) throws ConfigException {
        if (values.containsKey("secret")) {
            try {
                return PythonBase64.decode(values.get("secret"));
            } catch (IllegalArgumentException e) {
                throw section.error("secret", "not valid base64: " + e.getMessage());
            }
        }
        if (values.containsKey("secfile")) {
            return secretFile(section, values.get("secfile"));
        }
        throw section.error(null, "neither \"secret\" nor \"secfile\" is set");
    }

    private byte[] secretFile(IniSection section, String written) throws ConfigException {
        String expanded = PathExpansion.expandUser(PathExpansion.expandVars(written, env), env, homes);
        if (expanded.isEmpty()) {
            throw section.error("secfile", "no file name given");
        }
        Path path;
        try {
            path = Path.of(expanded);
        } catch (InvalidPathException e) {
            throw section.error("secfile", "not a valid path: " + Quoted.of(expanded));
        }
        if (!path.isAbsolute()) {
            path = section.file().toAbsolutePath().getParent().resolve(path);
        }
        try {
            FileExposure.check(path, "the secret of client " + section.name(),
                    "could replace the secret the client receives").ifPresent(warnings::add);
        } catch (ConfigException e) {
            throw section.error("secfile", path + " is " + e.problem());
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw section.error("secfile", "cannot read " + Quoted.of(path.toString()) + ": " + IoReasons.of(e));
        }
    }

    private Duration duration(IniSection section, Map<String, String> values, String option)
            throws ConfigException {
        String text = values.get(option);
        // Most sections inherit the same few values from [DEFAULT]: parse each text once, share the result.
        Duration known = text == null ? null : parsedDurations.get(text);
        if (known != null) {
            return known;
        }
        try {
            Duration parsed = Durations.parse(text);
            if (text != null && parsedDurations.size() < 1024) {
                parsedDurations.put(text, parsed);
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw section.error(option, e.getMessage());
        }
    }
}

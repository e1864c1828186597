package org.mandos.config;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.mandos.config.internal.BasicInterpolation;
import org.mandos.config.internal.InterpolationException;
import org.mandos.config.internal.PythonInt;
import org.mandos.config.internal.PythonText;
import org.mandos.config.internal.Quoted;

/**
 * One section of an {@link IniDocument} with built-in defaults, then {@code [DEFAULT]}, then the
 * section's own options layered on top, read like Python's {@code ConfigParser}: values are
 * interpolated ({@code %(name)s}, {@code %%}) when read with {@link #get}, or taken as written
 * with {@link #raw}. Option names are looked up lower-cased. Errors point at the line where the
 * value in effect was written.
 */
public final class IniSection {

    private static final Map<String, Boolean> BOOLEANS = Map.of(
            "1", true, "yes", true, "true", true, "on", true,
            "0", false, "no", false, "false", false, "off", false);

    private record Value(String raw, int line, boolean inherited) {
    }

    private final Path file;
    private final String name;
    private final int headerLine;
    private final Map<String, Value> values;
    /** The raw values by option, for interpolation; made when first needed. */
    private Map<String, String> rawValues;

    IniSection(Path file, String name, int headerLine, Map<String, String> builtIns,
            Map<String, IniOption> defaults, Map<String, IniOption> own) {
        this.file = file;
        this.name = name;
        this.headerLine = headerLine;
        this.values = new LinkedHashMap<>(IniParser.capacity(builtIns.size() + defaults.size() + own.size()));
        // Same insertion order as Python's items(): a later layer replaces a value in place.
        builtIns.forEach((option, raw) -> values.put(PythonText.lower(option), new Value(raw, 0, false)));
        defaults.values().forEach(o -> values.put(o.name(), new Value(o.value(), o.line(), true)));
        own.values().forEach(o -> values.put(o.name(), new Value(o.value(), o.line(), false)));
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the section name */
    public String name() {
        return name;
    }

    /** @return the line of the section's first header, or 0 for a {@code DEFAULT} not in the file */
    public int headerLine() {
        return headerLine;
    }

    /** @return every option visible in this section, in Python's {@code items()} order */
    public Set<String> optionNames() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** @return whether the option is visible in this section (own, inherited or built-in) */
    public boolean has(String option) {
        return values.containsKey(PythonText.lower(option));
    }

    /** @return the value as written, without interpolation, if the option is visible */
    public Optional<String> raw(String option) {
        Value value = values.get(PythonText.lower(option));
        return Optional.ofNullable(value == null ? null : value.raw());
    }

    /** @return the line where the value in effect was written, or the header line if it is built in or absent */
    public int line(String option) {
        Value value = values.get(PythonText.lower(option));
        return value == null || value.line() == 0 ? headerLine : value.line();
    }

    /**
     * Reads a value with interpolation.
     *
     * @throws NoSuchElementException if the option is not visible in this section
     * @throws ConfigException if the value has a bad {@code %}
     */
    public String get(String option) throws ConfigException {
        String key = PythonText.lower(option);
        Value value = values.get(key);
        if (value == null) {
            throw new NoSuchElementException("no option " + key + " in [" + name + "] of " + file);
        }
        if (value.raw().indexOf('%') < 0) {
            return value.raw(); // nothing to interpolate
        }
        try {
            return new BasicInterpolation(rawValues()).expand(key, value.raw());
        } catch (InterpolationException e) {
            throw error(key, e.getMessage());
        }
    }

    /**
     * Reads every visible option with interpolation, like Python's {@code items()}: one bad
     * {@code %} in any option, even an unknown one, is an error.
     *
     * @return the values in {@link #optionNames()} order
     */
    private Map<String, String> rawValues() {
        if (rawValues == null) {
            Map<String, String> raw = new LinkedHashMap<>(IniParser.capacity(values.size()));
            values.forEach((option, value) -> raw.put(option, value.raw()));
            rawValues = raw;
        }
        return rawValues;
    }

    public Map<String, String> getAll() throws ConfigException {
        Map<String, String> all = new LinkedHashMap<>(IniParser.capacity(values.size()));
        for (String option : values.keySet()) {
            all.put(option, get(option));
        }
        return Collections.unmodifiableMap(all);
    }

    /** Reads an interpolated boolean like Python's {@code getboolean}: 1/yes/true/on or 0/no/false/off, any case. */
    public boolean getBoolean(String option) throws ConfigException {
        return parseBoolean(option, get(option));
    }

    /** Reads an interpolated integer like Python's {@code getint}; it must also fit in a Java {@code int}. */
    public int getInt(String option) throws ConfigException {
        String text = get(option);
        BigInteger value;
        try {
            value = PythonInt.parse(text);
        } catch (NumberFormatException e) {
            throw error(option, "not an integer: " + Quoted.of(text));
        }
        if (value.bitLength() > 31) {
            throw error(option, "integer out of range: " + Quoted.of(text));
        }
        return value.intValue();
    }

    /** Converts an already read value like Python's {@code getboolean}. */
    public boolean parseBoolean(String option, String text) throws ConfigException {
        Boolean value = BOOLEANS.get(PythonText.lower(text));
        if (value == null) {
            throw error(option, "not a boolean: " + Quoted.of(text)
                    + " (expected 1, yes, true, on, 0, no, false or off)");
        }
        return value;
    }

    /**
     * An error located at the value in effect for {@code option}: its line, and a note when the
     * value was inherited from {@code [DEFAULT]}.
     *
     * @param option the option, or {@code null} for the section as a whole (at its header line)
     * @param problem what is wrong; must not contain a secret
     */
    public ConfigException error(String option, String problem) {
        if (option == null) {
            return new ConfigException(file, headerLine, name, null, problem);
        }
        String key = PythonText.lower(option);
        Value value = values.get(key);
        String note = value != null && value.inherited() ? " (value inherited from [DEFAULT])" : "";
        return new ConfigException(file, line(key), name, key, problem + note);
    }
}

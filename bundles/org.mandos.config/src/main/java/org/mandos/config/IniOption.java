package org.mandos.config;

/**
 * One option as written in a section of an INI file, before interpolation.
 *
 * @param name the option name, lower-cased and stripped
 * @param value the raw value: stripped, continuation lines joined with {@code \n}
 * @param line the 1-based line of the {@code name = value} line
 */
public record IniOption(String name, String value, int line) {

    /** The value is left out: it may be a secret. */
    @Override
    public String toString() {
        return "IniOption[name=" + name + ", line=" + line + "]";
    }
}

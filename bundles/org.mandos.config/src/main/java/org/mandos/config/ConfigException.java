package org.mandos.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A configuration file that cannot be used, with the place of the problem.
 *
 * <p>The message is one line: {@code <file>:<line>: [<section>] <option>: <problem>}. The
 * {@code :<line>} part is left out when the line is unknown (0), {@code  [<section>]} when there
 * is no section and {@code  <option>:} when there is no option; for example
 * {@code /etc/mandos/clients.conf:12: [foo] timeout: invalid duration "5M"} or
 * {@code /etc/mandos/clients.conf:7: [foo] duplicate section (first defined on line 2)}. Control
 * characters anywhere in it (a form feed in a section name, say) are escaped, so it is always one line.
 * The problem text never contains the value of a {@code secret} option.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String section;
    private final String option;
    private final String problem;

    /**
     * Creates an exception.
     *
     * @param file the configuration file
     * @param line the 1-based line number, or 0 if unknown
     * @param section the section name, or {@code null}
     * @param option the option name, or {@code null}
     * @param problem what is wrong, phrased to follow the location
     */
    public ConfigException(Path file, int line, String section, String option, String problem) {
        super(format(file, line, section, option, problem));
        this.file = Objects.requireNonNull(file, "file");
        this.line = Math.max(line, 0);
        this.section = section;
        this.option = option;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String format(Path file, int line, String section, String option, String problem) {
        StringBuilder message = new StringBuilder().append(file);
        if (line > 0) {
            message.append(':').append(line);
        }
        message.append(':');
        if (section != null) {
            message.append(" [").append(section).append(']');
        }
        if (option != null) {
            message.append(' ').append(option).append(':');
        }
        return oneLine(message.append(' ').append(problem));
    }

    /**
     * The message with its control characters escaped as {@link org.mandos.config.internal.Quoted} does
     * ({@code \n}, {@code \t}, backslash-u and four hex digits): a section or option name, a file
     * name or an I/O error can hold a form feed, an escape or a line separator, and the message must stay
     * one harmless line in the log. Also used for the warnings of {@link ClientsFile}.
     */
    static String oneLine(CharSequence text) {
        return org.mandos.config.internal.Quoted.controls(text);
    }

    /** @return the configuration file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number, or 0 if unknown */
    public int line() {
        return line;
    }

    /** @return the section name, or {@code null} */
    public String section() {
        return section;
    }

    /** @return the option name, or {@code null} */
    public String option() {
        return option;
    }

    /** @return the problem alone, without its location */
    public String problem() {
        return problem;
    }
}

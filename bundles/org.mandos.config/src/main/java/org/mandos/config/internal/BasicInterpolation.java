package org.mandos.config.internal;

import java.util.Map;
import java.util.Set;

/**
 * Python's {@code configparser.BasicInterpolation} (3.11), the start-time expansion of
 * {@code %(name)s} and {@code %%}.
 *
 * <p>A referenced value is expanded again only if it contains {@code %}, up to
 * {@value #MAX_DEPTH} levels. Problems never quote the text of a value; they name a referenced
 * option only when the text holding the reference is not a {@link #SENSITIVE_OPTIONS sensitive}
 * option, so that a pasted secret cannot leak through an error message.
 */
public final class BasicInterpolation {

    /** Python's {@code MAX_INTERPOLATION_DEPTH}. */
    public static final int MAX_DEPTH = 10;

    /** Options whose text must never appear, even in part, in a message. */
    public static final Set<String> SENSITIVE_OPTIONS = Set.of("secret");

    private final Map<String, String> rawValues;

    /** @param rawValues every raw value visible from the section, by lower-case option name */
    public BasicInterpolation(Map<String, String> rawValues) {
        this.rawValues = rawValues;
    }

    /** Expands the raw value of {@code option}. */
    public String expand(String option, String raw) throws InterpolationException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        expandInto(out, option, option, raw, 1);
        return out.toString();
    }

    private void expandInto(StringBuilder out, String topOption, String textOwner, String rest, int depth)
            throws InterpolationException {
        if (depth > MAX_DEPTH) {
            throw new InterpolationException("interpolation nested more than " + MAX_DEPTH
                    + " levels deep (a reference loop?)");
        }
        int i = 0;
        while (i < rest.length()) {
            int p = rest.indexOf('%', i);
            if (p < 0) {
                out.append(rest, i, rest.length());
                return;
            }
            out.append(rest, i, p);
            char next = p + 1 < rest.length() ? rest.charAt(p + 1) : 0;
            if (next == '%') {
                out.append('%');
                i = p + 2;
            } else if (next == '(') {
                int close = rest.indexOf(')', p + 2);
                // Python's _KEYCRE: %\(([^)]+)\)s
                if (close <= p + 2 || close + 1 >= rest.length() || rest.charAt(close + 1) != 's') {
                    throw problem("bad interpolation reference: write \"%(name)s\"", topOption, textOwner);
                }
                String name = PythonText.lower(rest.substring(p + 2, close));
                i = close + 2;
                String value = rawValues.get(name);
                if (value == null) {
                    throw problem(SENSITIVE_OPTIONS.contains(textOwner)
                            ? "interpolation refers to an unknown option"
                            : "interpolation refers to unknown option \"" + name + "\"", topOption, textOwner);
                }
                if (value.indexOf('%') >= 0) {
                    expandInto(out, topOption, name, value, depth + 1);
                } else {
                    out.append(value);
                }
            } else {
                throw problem("\"%\" must be followed by \"%\" or \"(\": write \"%%\" for a literal \"%\"",
                        topOption, textOwner);
            }
        }
    }

    private static InterpolationException problem(String text, String topOption, String textOwner) {
        return new InterpolationException(textOwner.equals(topOption)
                ? text : text + " (in the value of option \"" + textOwner + "\")");
    }
}

package org.mandos.checker.shell.internal;

import java.util.Map;
import org.mandos.config.ShellQuoting;

/**
 * Runtime expansion of a checker command, as the reference does it with Python's
 * {@code command % escaped_attrs} (§3.4 of the behaviour notes), restricted to what a checker command
 * can sensibly contain.
 *
 * <p>Accepted: {@code %(name)s}, replaced by {@link ShellQuoting#pythonShlexQuote} of the attribute's
 * value, and {@code %%}, replaced by {@code %}. Keys may contain balanced parentheses, as in Python.
 * Everything else is a malformed format and raises {@link MalformedFormatException}: an unknown key
 * (Python's KeyError), a lone or trailing {@code %}, a key without a conversion or with an unclosed
 * parenthesis (ValueError), a conversion other than plain {@code s}, flags, width or precision
 * (e.g. {@code %(x)d}, {@code %(x)5s}), and positional conversions such as {@code %s}.
 */
final class CommandFormat {

    /** Why a command could not be expanded; the message never contains attribute values. */
    static final class MalformedFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedFormatException(String message) {
            super(message);
        }
    }

    private CommandFormat() {
    }

    static String expand(String template, Map<String, String> attributes) throws MalformedFormatException {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int n = template.length();
        int i = 0;
        while (i < n) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int start = i;
            i++;
            if (i >= n) {
                throw new MalformedFormatException("incomplete format at index " + start);
            }
            char next = template.charAt(i);
            if (next == '%') {
                out.append('%');
                i++;
                continue;
            }
            if (next != '(') {
                throw new MalformedFormatException("positional or unsupported conversion "
                        + describe(template, start, i + 1) + " at index " + start
                        + " (only %(name)s and %% are allowed)");
            }
            // Python: the key runs to the matching close parenthesis, nesting counted.
            int depth = 1;
            int keyStart = ++i;
            while (i < n && depth > 0) {
                char k = template.charAt(i);
                if (k == '(') {
                    depth++;
                } else if (k == ')') {
                    depth--;
                }
                i++;
            }
            if (depth > 0) {
                throw new MalformedFormatException("incomplete format key at index " + start);
            }
            String key = template.substring(keyStart, i - 1);
            if (i >= n) {
                throw new MalformedFormatException("incomplete format at index " + start
                        + " (%(" + key + ") has no conversion)");
            }
            char conversion = template.charAt(i);
            if (conversion != 's') {
                throw new MalformedFormatException("unsupported format " + describe(template, start, i + 1)
                        + " at index " + start + " (only %(name)s and %% are allowed)");
            }
            i++;
            if (!attributes.containsKey(key)) {
                throw new MalformedFormatException("unknown attribute '" + key + "'");
            }
            out.append(ShellQuoting.pythonShlexQuote(String.valueOf(attributes.get(key))));
        }
        return out.toString();
    }

    private static String describe(String template, int from, int to) {
        return "'" + template.substring(from, Math.min(to, template.length())) + "'";
    }
}

package org.mandos.sample.checker.http;

import java.util.Map;
import java.util.TreeSet;

/**
 * Expands the {@code http_url} template: {@code %(name)s} is replaced by the value of the attribute
 * {@code name}, verbatim (no URL encoding: {@code %(host)s} goes into the authority as it is), and
 * {@code %%} by a literal {@code %}. Anything else after a {@code %} is an error, so a percent-encoded
 * character must be written with {@code %%} ({@code %%20}).
 */
final class UrlTemplate {

    /** Why a template could not be expanded; the message never contains attribute values. */
    static final class BadTemplate extends Exception {
        private static final long serialVersionUID = 1L;

        BadTemplate(String message) {
            super(message, null, false, false);
        }
    }

    private UrlTemplate() {
    }

    static String expand(String template, Map<String, String> attributes) throws BadTemplate {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            if (template.startsWith("%%", i)) {
                out.append('%');
                i += 2;
                continue;
            }
            if (!template.startsWith("%(", i)) {
                throw new BadTemplate("a lone % at index " + i + " (write %% for a literal percent, %(name)s for an attribute)");
            }
            int close = template.indexOf(')', i + 2);
            if (close < 0) {
                throw new BadTemplate("unclosed %( at index " + i);
            }
            if (close + 1 >= template.length() || template.charAt(close + 1) != 's') {
                throw new BadTemplate("%(" + template.substring(i + 2, close) + ") at index " + i
                        + " must be followed by s, as in %(name)s");
            }
            String name = template.substring(i + 2, close);
            String value = attributes.get(name);
            if (value == null) {
                throw new BadTemplate("unknown placeholder %(" + name + ")s; known: "
                        + String.join(", ", new TreeSet<>(attributes.keySet())));
            }
            out.append(value);
            i = close + 2;
        }
        return out.toString();
    }
}

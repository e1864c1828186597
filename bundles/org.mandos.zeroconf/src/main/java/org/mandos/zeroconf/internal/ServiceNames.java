package org.mandos.zeroconf.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service instance names after a collision, the way Avahi makes them (and so the reference server):
 * {@code Mandos}, {@code Mandos #2}, {@code Mandos #3}, … A DNS label holds at most
 * {@value #MAX_LABEL_BYTES} bytes of UTF-8, so the name before the suffix is shortened when needed.
 */
final class ServiceNames {

    /**
     * How many names are tried (the configured one, then {@code #2} … {@code #64}) before giving up. The
     * reference server allows 32768 renames; on a real network a handful of servers share a name at
     * most, and every try costs a probe round (about a second) on every interface.
     */
    static final int MAX_TRIES = 64;

    /** The longest DNS label, in bytes. */
    static final int MAX_LABEL_BYTES = 63;

    private static final Pattern NUMBERED = Pattern.compile("(.*) #([1-9][0-9]{0,8})");

    private ServiceNames() {
    }

    /**
     * The next name to try after {@code name} collided: {@code "Mandos"} becomes {@code "Mandos #2"},
     * {@code "Mandos #2"} becomes {@code "Mandos #3"}.
     */
    static String alternative(String name) {
        String base = name;
        long number = 2;
        Matcher m = NUMBERED.matcher(name);
        if (m.matches()) {
            base = m.group(1);
            number = Long.parseLong(m.group(2)) + 1;
        }
        String suffix = " #" + number;
        return truncate(base, MAX_LABEL_BYTES - utf8Length(suffix)) + suffix;
    }

    /** {@code text} cut to at most {@code maxBytes} bytes of UTF-8, never inside a character. */
    static String truncate(String text, int maxBytes) {
        if (utf8Length(text) <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}

package org.mandos.sample.store.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * Small text helpers with the whitespace rules of the {@code clients.conf} dialect: "whitespace" is
 * what Python's {@code str.isspace()} accepts, which includes, for example, U+00A0 (no-break space).
 */
final class Text {

    private Text() {
    }

    /** Whether a code point is whitespace in Python's sense. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** The index of the first non-whitespace character, or the length when there is none. */
    static int indent(String s) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!isSpace(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Python's {@code str.strip()}. */
    static String strip(String s) {
        return rstrip(s.substring(indent(s)));
    }

    /** Python's {@code str.rstrip()}. */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** Python's {@code str.split()} without arguments: runs of whitespace separate, none at the ends. */
    static List<String> split(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int start = -1;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    tokens.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            tokens.add(s.substring(start));
        }
        return tokens;
    }

    /** The value between double quotes, with backslash, quote and control characters escaped: always one line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    int type = Character.getType(cp);
                    if (type == Character.CONTROL || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append('"').toString();
    }
}

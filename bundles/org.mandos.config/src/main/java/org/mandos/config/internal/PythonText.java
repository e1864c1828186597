package org.mandos.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python 3 {@code str} operations whose rules the configuration dialect depends on.
 * Python's idea of whitespace ({@code str.isspace()}, also regex {@code \s}) differs from both
 * {@link Character#isWhitespace} and {@link String#strip}: it includes U+00A0, U+2007 and
 * U+202F, and U+001C..U+001F.
 */
public final class PythonText {

    private PythonText() {
    }

    /** Python's {@code str.isspace()} for one code point (Python 3.11, Unicode 14). */
    public static boolean isSpace(int cp) {
        switch (cp) {
            case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D:
            case 0x1C: case 0x1D: case 0x1E: case 0x1F: case 0x20:
            case 0x85: case 0xA0: case 0x1680:
            case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
                return true;
            default:
                return cp >= 0x2000 && cp <= 0x200A;
        }
    }

    /** Python's {@code s.strip()}. */
    public static String strip(String s) {
        return rstrip(s.substring(leadingSpace(s)));
    }

    /** Python's {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The number of leading whitespace characters: Python's indentation level of a line. */
    public static int leadingSpace(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Python's {@code s.split()}: split on runs of whitespace, no empty fields. */
    public static List<String> split(String s) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < s.length() && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                fields.add(s.substring(start, i));
            }
        }
        return fields;
    }

    /** {@code configparser}'s {@code optionxform}: Python's {@code str.lower()}. */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Python's {@code str.upper()}. */
    public static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}

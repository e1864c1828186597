package org.mandos.ctl.internal;

import java.util.List;
import java.util.Map;

/**
 * Text as the reference (a Python 3 program) writes it: {@code repr()} of strings, byte strings and
 * booleans, and JSON as {@code json.dumps(indent=4, separators=(",", ": "))} with its default
 * {@code ensure_ascii}.
 */
public final class PythonText {

    private PythonText() {
    }

    /** Python's {@code repr(str)}. */
    public static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else if (c < 0x7f || isPrintable(c)) {
                b.appendCodePoint(c);
            } else if (c <= 0xff) {
                b.append(String.format("\\x%02x", c));
            } else if (c <= 0xffff) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.append(String.format("\\U%08x", c));
            }
        });
        return b.append(quote).toString();
    }

    /** Python's {@code repr(bytes)}. */
    public static String repr(byte[] bytes) {
        boolean single = false;
        boolean dbl = false;
        for (byte x : bytes) {
            single |= x == '\'';
            dbl |= x == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        StringBuilder b = new StringBuilder("b").append(quote);
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == quote || c == '\\') {
                b.append('\\').append((char) c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        return b.append(quote).toString();
    }

    /** {@code repr()} of the values mandos-ctl passes to D-Bus calls, for {@code --debug}. */
    public static String reprValue(Object value) {
        if (value instanceof Boolean v) {
            return v ? "True" : "False";
        }
        if (value instanceof String v) {
            return repr(v);
        }
        if (value instanceof byte[] v) {
            return "dbus.ByteArray(" + repr(v) + ")";
        }
        return String.valueOf(value);
    }

    /** Roughly Python's {@code str.isprintable()} for one character above ASCII. */
    private static boolean isPrintable(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /** The number of characters Python counts in a string (code points). */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code json.dumps(value, indent=4, separators=(",", ": "))}. */
    public static String json(Object value) {
        StringBuilder b = new StringBuilder();
        json(b, value, 0);
        return b.toString();
    }

    private static void json(StringBuilder b, Object value, int level) {
        if (value == null) {
            b.append("null");
        } else if (value instanceof Boolean v) {
            b.append(v ? "true" : "false");
        } else if (value instanceof Number v) {
            b.append(v.toString());
        } else if (value instanceof String v) {
            jsonString(b, v);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append(first ? "\n" : ",\n").append("    ".repeat(level + 1));
                first = false;
                jsonString(b, String.valueOf(e.getKey()));
                b.append(": ");
                json(b, e.getValue(), level + 1);
            }
            b.append('\n').append("    ".repeat(level)).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append('[');
            boolean first = true;
            for (Object o : list) {
                b.append(first ? "\n" : ",\n").append("    ".repeat(level + 1));
                first = false;
                json(b, o, level + 1);
            }
            b.append('\n').append("    ".repeat(level)).append(']');
        } else {
            jsonString(b, value.toString());
        }
    }

    private static void jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

package org.mandos.config.internal;

/**
 * A user's value inside a one-line message: in double quotes, with control characters (such as
 * the newline of a continuation line) escaped so that the message stays on one line.
 */
public final class Quoted {

    private Quoted() {
    }

    /** @return {@code text} in double quotes, with {@code "}, {@code \} and control characters escaped */
    public static String of(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        escape(text, true, out);
        return out.append('"').toString();
    }

    /** @return {@code text} with only its control and line-separator characters escaped, as {@link #of} does */
    public static String controls(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        escape(text, false, out);
        return out.toString();
    }

    private static void escape(CharSequence text, boolean quoting, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append(quoting ? "\\" : "").append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}

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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}

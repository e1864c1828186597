package org.mandos.config;

/**
 * Quoting for {@code /bin/sh}, as the reference server quotes each value it substitutes into a
 * checker command at run time.
 */
public final class ShellQuoting {

    private ShellQuoting() {
    }

    /**
     * Python's {@code shlex.quote}: {@code ''} for the empty string; the string itself if every
     * character is an ASCII letter, digit or one of {@code _@%+=:,./-}; otherwise the string in
     * single quotes, each {@code '} written as {@code '"'"'}.
     */
    public static String pythonShlexQuote(String text) {
        if (text.isEmpty()) {
            return "''";
        }
        if (text.chars().allMatch(ShellQuoting::isSafe)) {
            return text;
        }
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "_@%+=:,./-".indexOf(c) >= 0;
    }
}

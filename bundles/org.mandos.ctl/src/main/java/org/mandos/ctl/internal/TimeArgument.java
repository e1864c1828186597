package org.mandos.ctl.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The TIME arguments of mandos-ctl (behaviour §2.3): the server's RFC 3339 subset ({@code PT5M},
 * {@code P1W}; {@code Y} = 364 days, month {@code M} = 28 days), else, after a warning, the lenient
 * pre-1.6.1 form: every {@code <digits>[dsmhw]} anywhere in the text is summed, a bare number being
 * milliseconds, everything else ignored (so it never fails: {@code garbage} is 0).
 */
public final class TimeArgument {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;

    /** States of the RFC 3339 grammar; each lists the tokens that may follow it. */
    private enum Token {
        END('\0', 0), SECOND_T('S', TimeArgument.SECOND), MINUTE_T('M', MINUTE), HOUR_T('H', HOUR),
        TIME('T', 0), DAY_T('D', DAY), MONTH('M', 4 * WEEK), YEAR('Y', 52 * WEEK), WEEK_T('W', WEEK),
        DURATION('P', 0);

        final char letter;
        final long unit;

        Token(char letter, long unit) {
            this.letter = letter;
            this.unit = unit;
        }

        boolean numeric() {
            return this != END && this != TIME && this != DURATION;
        }
    }

    private static final Map<Token, List<Token>> FOLLOWERS = Map.of(
            Token.DURATION, List.of(Token.YEAR, Token.MONTH, Token.DAY_T, Token.TIME, Token.WEEK_T),
            Token.YEAR, List.of(Token.MONTH, Token.END),
            Token.MONTH, List.of(Token.DAY_T, Token.END),
            Token.DAY_T, List.of(Token.TIME, Token.END),
            Token.TIME, List.of(Token.HOUR_T, Token.MINUTE_T, Token.SECOND_T),
            Token.HOUR_T, List.of(Token.MINUTE_T, Token.END),
            Token.MINUTE_T, List.of(Token.SECOND_T, Token.END),
            Token.SECOND_T, List.of(Token.END),
            Token.WEEK_T, List.of(Token.END));

    private TimeArgument() {
    }

    /**
     * The milliseconds mandos-ctl sends for {@code text}; {@code warning} receives the reference's
     * warning line when the text is not an RFC 3339 duration.
     */
    public static long milliseconds(String text, Consumer<String> warning) {
        Long rfc = rfc3339(text);
        if (rfc != null) {
            return rfc;
        }
        warning.accept("Invalid RFC 3339 duration: \"" + text + "\" - Parsing as pre-1.6.1 interval instead");
        return legacy(text);
    }

    /** The RFC 3339 subset the reference accepts, in milliseconds, or null. */
    static Long rfc3339(String text) {
        long value = 0;
        int pos = 0;
        List<Token> followers = List.of(Token.DURATION);
        while (true) {
            Token found = null;
            int next = pos;
            long number = 0;
            for (Token token : followers) {
                if (token == Token.END) {
                    String rest = text.substring(pos);
                    if (rest.isEmpty() || rest.equals("\n")) {
                        return value;
                    }
                    continue;
                }
                int i = pos;
                long n = 0;
                if (token.numeric()) {
                    while (i < text.length() && Character.isDigit(text.codePointAt(i))) {
                        n = Math.addExact(Math.multiplyExact(n, 10), Character.digit(text.codePointAt(i), 10));
                        i += Character.charCount(text.codePointAt(i));
                    }
                    if (i == pos) {
                        continue;
                    }
                }
                if (i < text.length() && text.charAt(i) == token.letter) {
                    found = token;
                    next = i + 1;
                    number = n;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            value = Math.addExact(value, Math.multiplyExact(number, found.unit));
            pos = next;
            followers = FOLLOWERS.get(found);
        }
    }

    /** The pre-1.6.1 interval, as the reference's mandos-ctl reads it (never fails). */
    static long legacy(String text) {
        long value = 0;
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (!Character.isDigit(c)) {
                i += Character.charCount(c);
                continue;
            }
            long n = 0;
            while (i < text.length() && Character.isDigit(text.codePointAt(i))) {
                n = Math.addExact(Math.multiplyExact(n, 10), Character.digit(text.codePointAt(i), 10));
                i += Character.charCount(text.codePointAt(i));
            }
            long unit = 1;
            if (i < text.length()) {
                switch (text.charAt(i)) {
                    case 'd' -> unit = DAY;
                    case 's' -> unit = SECOND;
                    case 'm' -> unit = MINUTE;
                    case 'h' -> unit = HOUR;
                    case 'w' -> unit = WEEK;
                    default -> unit = 0;
                }
                if (unit != 0) {
                    i++;
                } else {
                    unit = 1;
                }
            }
            value = Math.addExact(value, Math.multiplyExact(n, unit));
        }
        return value;
    }
}

package org.mandos.config.internal;

import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Set;

/**
 * The reference server's {@code rfc3339_duration_to_delta}: a strict state machine over the
 * tokens of RFC 3339's duration ABNF, upper case only, without sign, fractions or spaces. It
 * rejects some strings the ABNF allows ({@code P1MT1H}) and counts a year as 52 weeks and a month
 * as 4 weeks. Its end token is Python's regex {@code $}, which also matches before one final
 * newline.
 */
public final class Rfc3339Duration {

    private enum Token {
        END(0, 0), SECOND('S', 1), MINUTE('M', 60), HOUR('H', 3_600), TIME('T', 0),
        DAY('D', 86_400), MONTH('M', 28 * 86_400), YEAR('Y', 364 * 86_400), WEEK('W', 7 * 86_400),
        DURATION('P', 0);

        final char letter;
        final long seconds;

        Token(int letter, long seconds) {
            this.letter = (char) letter;
            this.seconds = seconds;
        }

        /** Value tokens are {@code <digits><letter>}; the others are a bare letter or the end. */
        boolean hasValue() {
            return seconds > 0;
        }

        Set<Token> followers() {
            switch (this) {
                case DURATION: return EnumSet.of(YEAR, MONTH, DAY, TIME, WEEK);
                case YEAR: return EnumSet.of(MONTH, END);
                case MONTH: return EnumSet.of(DAY, END);
                case DAY: return EnumSet.of(TIME, END);
                case TIME: return EnumSet.of(HOUR, MINUTE, SECOND);
                case HOUR: return EnumSet.of(MINUTE, END);
                case MINUTE: return EnumSet.of(SECOND, END);
                case SECOND: case WEEK: return EnumSet.of(END);
                default: return EnumSet.noneOf(Token.class);
            }
        }
    }

    private Rfc3339Duration() {
    }

    /** @return the duration in seconds */
    public static BigInteger parse(String text) throws DurationSyntaxException, DurationRangeException {
        BigInteger total = BigInteger.ZERO;
        Set<Token> followers = EnumSet.of(Token.DURATION);
        int pos = 0;
        while (true) {
            Token found = null;
            int digitsEnd = pos;
            for (Token token : followers) {
                if (token == Token.END) {
                    if (pos == text.length() || text.substring(pos).equals("\n")) {
                        return total;
                    }
                    continue;
                }
                digitsEnd = token.hasValue() ? skipDigits(text, pos) : pos;
                boolean digitsOk = !token.hasValue() || digitsEnd > pos;
                if (digitsOk && digitsEnd < text.length() && text.charAt(digitsEnd) == token.letter) {
                    found = token;
                    break;
                }
            }
            if (found == null) {
                throw new DurationSyntaxException();
            }
            if (found.hasValue()) {
                BigInteger term = digitValue(text.substring(pos, digitsEnd)).multiply(BigInteger.valueOf(found.seconds));
                total = total.add(term);
                if (!TimedeltaRange.contains(term) || !TimedeltaRange.contains(total)) {
                    throw new DurationRangeException();
                }
            }
            pos = digitsEnd + 1;
            followers = found.followers();
        }
    }

    private static int skipDigits(String text, int pos) {
        while (pos < text.length()) {
            int cp = text.codePointAt(pos);
            if (Character.getType(cp) != Character.DECIMAL_DIGIT_NUMBER) {
                break;
            }
            pos += Character.charCount(cp);
        }
        return pos;
    }

    private static BigInteger digitValue(String digits) {
        StringBuilder ascii = new StringBuilder(digits.length());
        digits.codePoints().forEach(cp -> ascii.append((char) ('0' + Character.digit(cp, 10))));
        return new BigInteger(ascii.toString());
    }
}

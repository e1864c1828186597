package org.mandos.sample.store.directory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * Durations as {@code clients.conf} writes them (see mandos-clients.conf(5), DURATIONS): first an
 * upper-case subset of the RFC 3339 duration format ({@code PT5M}, {@code P1DT1H}, {@code P1W}; a year
 * is 364 days and a month 28), and when that does not match, the older Mandos format of
 * whitespace-separated tokens such as {@code 5m 30s} (units {@code s m h d w}, signed integers). The
 * result must lie within Python's {@code timedelta} range (±999,999,999 days).
 */
final class Durations {

    /** Thrown with the whole message, for example {@code invalid duration "5M"}. */
    static final class DurationException extends Exception {
        private static final long serialVersionUID = 1L;

        DurationException(String message) {
            super(message);
        }
    }

    private static final long DAY = 86_400;
    private static final BigInteger MIN_SECONDS = BigInteger.valueOf(-999_999_999L * DAY);
    private static final BigInteger MAX_SECONDS = BigInteger.valueOf(999_999_999L * DAY + DAY - 1);

    private Durations() {
    }

    /** The RFC 3339 parts: where each may appear and how many seconds one unit is. */
    private enum Part {
        START(0), YEAR(364 * DAY), MONTH(28 * DAY), WEEK(7 * DAY), DAY_(DAY), TIME(0), HOUR(3600), MINUTE(60),
        SECOND(1);

        final long seconds;

        Part(long seconds) {
            this.seconds = seconds;
        }

        /** The part that unit letter {@code unit} (or {@code T}) starts after this one, or null. */
        Part next(int unit) {
            return switch (this) {
                case START -> unit == 'Y' ? YEAR : unit == 'M' ? MONTH : unit == 'D' ? DAY_ : unit == 'W' ? WEEK
                        : unit == 'T' ? TIME : null;
                case YEAR -> unit == 'M' ? MONTH : null;
                case MONTH -> unit == 'D' ? DAY_ : null;
                case DAY_ -> unit == 'T' ? TIME : null;
                case TIME -> unit == 'H' ? HOUR : unit == 'M' ? MINUTE : unit == 'S' ? SECOND : null;
                case HOUR -> unit == 'M' ? MINUTE : null;
                case MINUTE -> unit == 'S' ? SECOND : null;
                case SECOND, WEEK -> null;
            };
        }

        boolean mayEnd() {
            return this != START && this != TIME;
        }
    }

    static Duration parse(String text) throws DurationException {
        BigInteger seconds = rfc3339(text);
        if (seconds == null) {
            seconds = older(text);
        }
        return Duration.ofSeconds(seconds.longValueExact());
    }

    /** The RFC 3339 subset; null when the text is not in that form (out of range is an error). */
    private static BigInteger rfc3339(String text) throws DurationException {
        if (!text.startsWith("P")) {
            return null;
        }
        BigInteger total = BigInteger.ZERO;
        Part part = Part.START;
        int i = 1;
        while (i < text.length()) {
            int digitsStart = i;
            BigInteger number = BigInteger.ZERO;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                int digit = Character.isDigit(cp) ? Character.digit(cp, 10) : -1;
                if (digit < 0) {
                    break;
                }
                number = number.multiply(BigInteger.TEN).add(BigInteger.valueOf(digit));
                i += Character.charCount(cp);
            }
            if (i >= text.length()) {
                return null;
            }
            int unit = text.charAt(i++);
            boolean hasNumber = i - 1 > digitsStart;
            Part next = part.next(unit);
            if (next == null || hasNumber == (next == Part.TIME)) {
                return null;
            }
            part = next;
            if (hasNumber) {
                total = inRange(text, inRange(text, number.multiply(BigInteger.valueOf(part.seconds))).add(total));
            }
        }
        return part.mayEnd() ? total : null;
    }

    /** Whitespace-separated tokens, each a Python integer immediately followed by s, m, h, d or w. */
    private static BigInteger older(String text) throws DurationException {
        BigInteger total = BigInteger.ZERO;
        List<String> tokens = Text.split(text);
        for (String token : tokens) {
            int unit = token.codePointBefore(token.length());
            BigInteger number = pythonInt(token.substring(0, token.length() - Character.charCount(unit)));
            long perUnit = switch (unit) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> DAY;
                case 'w' -> 7 * DAY;
                default -> -1;
            };
            if (number == null || perUnit < 0) {
                throw new DurationException("invalid duration " + Text.quote(text));
            }
            total = inRange(text, inRange(text, number.multiply(BigInteger.valueOf(perUnit))).add(total));
        }
        return total;
    }

    /** Python's {@code int(s)} for a string without whitespace: sign, digits, single underscores between digits. */
    private static BigInteger pythonInt(String s) {
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        BigInteger value = BigInteger.ZERO;
        boolean digitBefore = false;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_') {
                if (!digitBefore || i >= s.length()) {
                    return null;
                }
                digitBefore = false;
                continue;
            }
            if (!Character.isDigit(cp)) {
                return null;
            }
            value = value.multiply(BigInteger.TEN).add(BigInteger.valueOf(Character.digit(cp, 10)));
            digitBefore = true;
        }
        if (!digitBefore) {
            return null;
        }
        return negative ? value.negate() : value;
    }

    private static BigInteger inRange(String text, BigInteger seconds) throws DurationException {
        if (seconds.compareTo(MIN_SECONDS) < 0 || seconds.compareTo(MAX_SECONDS) > 0) {
            throw new DurationException("duration " + Text.quote(text) + " is out of range");
        }
        return seconds;
    }
}

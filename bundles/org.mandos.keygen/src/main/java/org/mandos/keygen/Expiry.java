package org.mandos.keygen;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** gpg's {@code Expire-Date} syntax, as far as {@code --expire} accepts it. */
final class Expiry {

    private static final Pattern PERIOD = Pattern.compile("(\\d+)([dwmy]?)");
    private static final Pattern SECONDS = Pattern.compile("seconds=(\\d+)");

    private Expiry() {
    }

    /**
     * Seconds from {@code nowEpochSeconds} until the key expires, 0 for never.
     * Accepts {@code 0}, {@code N} or {@code Nd} (days), {@code Nw} (weeks), {@code Nm} (30-day months),
     * {@code Ny} (365-day years), {@code seconds=N} and an ISO date {@code YYYY-MM-DD} (midnight UTC).
     *
     * @throws IllegalArgumentException for anything else, or a time not in the future
     */
    static long parse(String text, long nowEpochSeconds) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("Empty key expiration");
        }
        try {
            Matcher m = PERIOD.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                long unit = switch (m.group(2)) {
                    case "w" -> 7L * 86400;
                    case "m" -> 30L * 86400;
                    case "y" -> 365L * 86400;
                    default -> 86400L;
                };
                return check(Math.multiplyExact(n, unit), text);
            }
            m = SECONDS.matcher(t);
            if (m.matches()) {
                return check(Long.parseLong(m.group(1)), text);
            }
            long at = LocalDate.parse(t).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            if (at <= nowEpochSeconds) {
                throw new IllegalArgumentException("Key expiration date " + text + " is not in the future");
            }
            return check(at - nowEpochSeconds, text);
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid key expiration '" + text
                    + "' (use 0, N, Nd, Nw, Nm, Ny, seconds=N or YYYY-MM-DD)");
        }
    }

    private static long check(long seconds, String text) {
        if (seconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("Key expiration '" + text + "' is too far in the future");
        }
        return seconds;
    }
}

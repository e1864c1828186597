package org.mandos.config;

import java.math.BigInteger;
import java.time.Duration;
import org.mandos.config.internal.DurationRangeException;
import org.mandos.config.internal.DurationSyntaxException;
import org.mandos.config.internal.LegacyDuration;
import org.mandos.config.internal.Quoted;
import org.mandos.config.internal.Rfc3339Duration;

/**
 * Durations as the reference server reads and prints them.
 *
 * <p>{@link #parse} first tries the reference's RFC 3339 subset ({@code PT5M}, {@code P1W},
 * {@code P1M1DT1H}; upper case only; {@code Y} = 364 days, month {@code M} = 28 days), then the
 * legacy format ({@code 5m 30s}; signs accepted, so {@code -5m} is negative; blank is zero).
 * Values are limited to Python's {@code timedelta} range (about ±2.7 million years).
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses a duration like the reference server's {@code string_to_delta}.
     *
     * @param text the value of a duration option
     * @return the duration, possibly zero or negative
     * @throws IllegalArgumentException {@code invalid duration "<text>"} if neither format matches,
     *     {@code duration "<text>" is out of range} if the value does not fit in a {@code timedelta}
     */
    public static Duration parse(String text) {
        try {
            try {
                return Duration.ofSeconds(Rfc3339Duration.parse(text).longValueExact());
            } catch (DurationSyntaxException notRfc3339) {
                return Duration.ofSeconds(LegacyDuration.parse(text).longValueExact());
            }
        } catch (DurationSyntaxException e) {
            throw new IllegalArgumentException("invalid duration " + Quoted.of(text));
        } catch (DurationRangeException e) {
            throw new IllegalArgumentException("duration " + Quoted.of(text) + " is out of range");
        }
    }

    /**
     * Formats a duration as Python's {@code str(datetime.timedelta)}, the format of durations in
     * checker commands: {@code 0:05:00}, {@code 1 day, 0:00:00}, {@code 2 days, 1:00:00},
     * {@code 0:00:00.500000}, {@code -1 day, 23:59:00}. Like a {@code timedelta}, the value is
     * normalised to whole days (possibly negative) plus a non-negative time of day, and
     * resolution below a microsecond is dropped (rounding towards negative infinity).
     */
    public static String pythonTimedelta(Duration duration) {
        BigInteger micros = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(1_000_000))
                .add(BigInteger.valueOf(duration.getNano() / 1_000));
        BigInteger[] daysAndRest = micros.divideAndRemainder(BigInteger.valueOf(86_400_000_000L));
        BigInteger days = daysAndRest[0];
        long rest = daysAndRest[1].longValueExact();
        if (rest < 0) {
            days = days.subtract(BigInteger.ONE);
            rest += 86_400_000_000L;
        }
        long seconds = rest / 1_000_000;
        long microseconds = rest % 1_000_000;
        StringBuilder out = new StringBuilder();
        if (days.signum() != 0) {
            out.append(days).append(days.abs().equals(BigInteger.ONE) ? " day, " : " days, ");
        }
        out.append(seconds / 3_600).append(':')
                .append(String.format("%02d:%02d", seconds / 60 % 60, seconds % 60));
        if (microseconds != 0) {
            out.append(String.format(".%06d", microseconds));
        }
        return out.toString();
    }
}

package org.mandos.config.internal;

import java.math.BigInteger;

/**
 * The reference server's pre-1.6.1 format, tried when the RFC 3339 parse fails: whitespace
 * separated {@code <int><s|m|h|d|w>} tokens, summed. The number is read by Python's {@code int()},
 * so a sign, underscores and Unicode digits are accepted; an empty or blank string is zero.
 */
public final class LegacyDuration {

    private LegacyDuration() {
    }

    /** @return the duration in seconds */
    public static BigInteger parse(String text) throws DurationSyntaxException, DurationRangeException {
        BigInteger total = BigInteger.ZERO;
        for (String token : PythonText.split(text)) {
            int suffixStart = token.offsetByCodePoints(token.length(), -1);
            long unit = unitSeconds(token.substring(suffixStart));
            BigInteger count;
            try {
                count = PythonInt.parse(token.substring(0, suffixStart));
            } catch (NumberFormatException e) {
                throw new DurationSyntaxException();
            }
            BigInteger term = count.multiply(BigInteger.valueOf(unit));
            total = total.add(term);
            if (!TimedeltaRange.contains(term) || !TimedeltaRange.contains(total)) {
                throw new DurationRangeException();
            }
        }
        return total;
    }

    private static long unitSeconds(String suffix) throws DurationSyntaxException {
        switch (suffix) {
            case "s": return 1;
            case "m": return 60;
            case "h": return 3_600;
            case "d": return 86_400;
            case "w": return 7 * 86_400;
            default: throw new DurationSyntaxException();
        }
    }
}

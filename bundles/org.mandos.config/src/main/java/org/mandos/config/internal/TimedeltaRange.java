package org.mandos.config.internal;

import java.math.BigInteger;

/**
 * Python's {@code datetime.timedelta} range, in whole seconds: from -999999999 days to
 * 999999999 days 23:59:59. The reference server crashes with {@code OverflowError} outside it;
 * here it is an ordinary invalid value, checked after every step as Python does.
 */
public final class TimedeltaRange {

    private static final BigInteger MIN = BigInteger.valueOf(-999_999_999L * 86_400L);
    private static final BigInteger MAX = BigInteger.valueOf(999_999_999L * 86_400L + 86_399L);

    private TimedeltaRange() {
    }

    /** @return whether {@code seconds} is a valid timedelta */
    public static boolean contains(BigInteger seconds) {
        return seconds.compareTo(MIN) >= 0 && seconds.compareTo(MAX) <= 0;
    }
}

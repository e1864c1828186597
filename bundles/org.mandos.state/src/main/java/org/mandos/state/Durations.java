package org.mandos.state;

import java.time.Duration;
import java.util.Objects;

/** Shared argument checks. */
final class Durations {
    private Durations() {
    }

    static void requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " is negative: " + d);
        }
    }
}

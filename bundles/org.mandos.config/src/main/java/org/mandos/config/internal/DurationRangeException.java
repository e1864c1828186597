package org.mandos.config.internal;

/** A duration in a valid format whose value does not fit in a Python {@code timedelta}. */
public final class DurationRangeException extends Exception {

    private static final long serialVersionUID = 1L;

    DurationRangeException() {
        super(null, null, false, false);
    }
}

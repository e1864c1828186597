package org.mandos.config.internal;

/** A value that {@link BasicInterpolation} cannot expand; the message is a ready problem text. */
public final class InterpolationException extends Exception {

    private static final long serialVersionUID = 1L;

    InterpolationException(String problem) {
        super(problem);
    }
}

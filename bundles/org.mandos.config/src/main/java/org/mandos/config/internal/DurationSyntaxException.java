package org.mandos.config.internal;

/** A duration that is not in the format being tried; the caller may try another format. */
public final class DurationSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    DurationSyntaxException() {
        super(null, null, false, false);
    }
}

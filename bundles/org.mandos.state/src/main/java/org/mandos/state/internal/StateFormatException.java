package org.mandos.state.internal;

/** The state document is not a valid version-1 document; the message is one line. */
public final class StateFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason one line */
    public StateFormatException(String reason) {
        super(reason);
    }
}

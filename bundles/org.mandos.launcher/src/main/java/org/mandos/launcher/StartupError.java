package org.mandos.launcher;

/** A reason the server cannot start, with the exit status to leave with. The message is one line. */
final class StartupError extends Exception {

    private static final long serialVersionUID = 1L;

    /** Command-line usage errors, as the reference. */
    static final int USAGE = 2;
    /** Everything else that stops start-up. */
    static final int FAILURE = 1;

    private final int exitStatus;

    StartupError(int exitStatus, String message) {
        super(message, null, false, false);
        this.exitStatus = exitStatus;
    }

    StartupError(String message) {
        this(FAILURE, message);
    }

    int exitStatus() {
        return exitStatus;
    }
}

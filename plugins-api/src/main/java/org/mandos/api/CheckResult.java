package org.mandos.api;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param outcome  alive, down, or error; only {@link Outcome#ALIVE} extends a client's timeout
 * @param exitCode the checker's exit code where it has one (0–255), −1 when killed by a signal, −2 when
 *                 it has none
 * @param reason   a short human-readable explanation for log lines
 */
public record CheckResult(Outcome outcome, int exitCode, String reason) {

    /** What a check found out. */
    public enum Outcome {
        /** The client answered: its timeout is extended. */
        ALIVE,
        /** The client did not answer. */
        DOWN,
        /** The check could not be carried out; treated like {@link #DOWN}. */
        ERROR
    }

    public CheckResult {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }

    public static CheckResult alive() {
        return new CheckResult(Outcome.ALIVE, 0, "alive");
    }

    public static CheckResult down(int exitCode, String reason) {
        return new CheckResult(Outcome.DOWN, exitCode, reason);
    }

    public static CheckResult error(String reason) {
        return new CheckResult(Outcome.ERROR, -2, reason);
    }
}

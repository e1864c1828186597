package org.mandos.ctl.internal;

/**
 * One command of the command line, in the order given; {@code value} is the argument of the commands
 * that take one (a String, a Long of milliseconds, or the bytes of a secret).
 */
public record Command(Kind kind, Object value) {

    /** What a command does. */
    public enum Kind {
        DUMP_JSON(null, null),
        PRINT_TABLE(null, null),
        ENABLE("Enabled", Boolean.TRUE),
        DISABLE("Enabled", Boolean.FALSE),
        BUMP_TIMEOUT("LastCheckedOK", ""),
        START_CHECKER("CheckerRunning", Boolean.TRUE),
        STOP_CHECKER("CheckerRunning", Boolean.FALSE),
        IS_ENABLED(null, null),
        REMOVE(null, null),
        SET_CHECKER("Checker", null),
        SET_TIMEOUT("Timeout", null),
        SET_EXTENDED_TIMEOUT("ExtendedTimeout", null),
        SET_INTERVAL("Interval", null),
        APPROVE_BY_DEFAULT("ApprovedByDefault", Boolean.TRUE),
        DENY_BY_DEFAULT("ApprovedByDefault", Boolean.FALSE),
        SET_APPROVAL_DELAY("ApprovalDelay", null),
        SET_APPROVAL_DURATION("ApprovalDuration", null),
        SET_HOST("Host", null),
        SET_SECRET("Secret", null),
        APPROVE(null, Boolean.TRUE),
        DENY(null, Boolean.FALSE);

        /** The client property this command sets, or null. */
        public final String property;
        /** The fixed value it sets, or null when the command line gives it. */
        public final Object fixedValue;

        Kind(String property, Object fixedValue) {
            this.property = property;
            this.fixedValue = fixedValue;
        }

        /** Whether the property is a duration in milliseconds (D-Bus type {@code t}). */
        public boolean isMilliseconds() {
            return this == SET_TIMEOUT || this == SET_EXTENDED_TIMEOUT || this == SET_INTERVAL
                    || this == SET_APPROVAL_DELAY || this == SET_APPROVAL_DURATION;
        }

        /** Every command except the dump and the table ("has_commands" in the reference). */
        public boolean isAction() {
            return this != DUMP_JSON && this != PRINT_TABLE;
        }
    }

    /** A command without an argument. */
    public static Command of(Kind kind) {
        return new Command(kind, kind.fixedValue);
    }

    /** The value to set: the fixed one or the command line's. */
    public Object valueToSet() {
        return value != null ? value : kind.fixedValue;
    }
}

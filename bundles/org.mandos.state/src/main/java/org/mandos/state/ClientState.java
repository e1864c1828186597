package org.mandos.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The persisted state of one client: its runtime attributes and the settings in force when it was
 * saved. There is deliberately no secret here: secrets come from {@code clients.conf} only.
 *
 * @param name the client's name (the {@code clients.conf} section); not empty
 * @param keyId the TLS key ID, {@code ""} if none
 * @param fingerprint the OpenPGP fingerprint, {@code ""} if none
 * @param host the host, for checkers
 * @param enabled whether the client is enabled
 * @param created when the client was first created
 * @param lastEnabled when the client was last enabled, or {@code null}
 * @param lastCheckedOk when a checker last succeeded, or {@code null} if never
 * @param lastCheckerStatus {@code -2} no checker has completed, {@code -1} killed by a signal,
 *     {@code 0..255} the exit code
 * @param expires when the client will be disabled, or {@code null} (disabled, or not yet armed)
 * @param lastApprovalRequest when the client last asked for approval, or {@code null}
 * @param timeout {@code timeout}, not negative
 * @param extendedTimeout {@code extended_timeout}, not negative
 * @param interval {@code interval}, not negative
 * @param approvalDelay {@code approval_delay}, not negative
 * @param approvalDuration {@code approval_duration}, not negative
 * @param approvedByDefault {@code approved_by_default}
 * @param checker the checker command, with its run-time {@code %(attr)s} references
 */
public record ClientState(String name, String keyId, String fingerprint, String host, boolean enabled,
        Instant created, Instant lastEnabled, Instant lastCheckedOk, int lastCheckerStatus, Instant expires,
        Instant lastApprovalRequest, Duration timeout, Duration extendedTimeout, Duration interval,
        Duration approvalDelay, Duration approvalDuration, boolean approvedByDefault, String checker) {

    /** Status meaning that no checker has completed. */
    public static final int STATUS_NONE = -2;
    /** Status meaning that the last checker was killed by a signal. */
    public static final int STATUS_SIGNAL = -1;

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a non-nullable value is {@code null}
     * @throws IllegalArgumentException if the name is empty, the status is outside {@code -2..255}
     *     or a duration is negative
     */
    public ClientState {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty client name");
        }
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(created, "created");
        if (lastCheckerStatus < STATUS_NONE || lastCheckerStatus > 255) {
            throw new IllegalArgumentException("last checker status out of range -2..255: " + lastCheckerStatus);
        }
        Durations.requireNonNegative(timeout, "timeout");
        Durations.requireNonNegative(extendedTimeout, "extendedTimeout");
        Durations.requireNonNegative(interval, "interval");
        Durations.requireNonNegative(approvalDelay, "approvalDelay");
        Durations.requireNonNegative(approvalDuration, "approvalDuration");
        Objects.requireNonNull(checker, "checker");
    }
}

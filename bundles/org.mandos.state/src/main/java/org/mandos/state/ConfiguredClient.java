package org.mandos.state;

import java.time.Duration;
import java.util.Objects;

/**
 * One client as {@code clients.conf} configures it, without its secret: the input of
 * {@link StateMerge}, and the snapshot that {@link StateFile#save(java.nio.file.Path, java.util.List,
 * java.util.List)} stores next to each client so that the next start can tell a changed
 * configuration value from a value changed at run time.
 *
 * @param name the section name; not empty
 * @param keyId {@code key_id}, {@code ""} if unset
 * @param fingerprint {@code fingerprint}, {@code ""} if unset
 * @param host {@code host}
 * @param enabled {@code enabled}
 * @param timeout {@code timeout}
 * @param extendedTimeout {@code extended_timeout}
 * @param interval {@code interval}
 * @param approvalDelay {@code approval_delay}
 * @param approvalDuration {@code approval_duration}
 * @param approvedByDefault {@code approved_by_default}
 * @param checker {@code checker}, with its run-time {@code %(attr)s} references
 */
public record ConfiguredClient(String name, String keyId, String fingerprint, String host, boolean enabled,
        Duration timeout, Duration extendedTimeout, Duration interval, Duration approvalDelay,
        Duration approvalDuration, boolean approvedByDefault, String checker) {

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a value is {@code null}
     * @throws IllegalArgumentException if the name is empty or a duration is negative
     */
    public ConfiguredClient {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty client name");
        }
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(host, "host");
        Durations.requireNonNegative(timeout, "timeout");
        Durations.requireNonNegative(extendedTimeout, "extendedTimeout");
        Durations.requireNonNegative(interval, "interval");
        Durations.requireNonNegative(approvalDelay, "approvalDelay");
        Durations.requireNonNegative(approvalDuration, "approvalDuration");
        Objects.requireNonNull(checker, "checker");
    }
}

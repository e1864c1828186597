package org.mandos.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a client that front ends (D-Bus) show besides its {@link ClientStatus}, with their
 * runtime values. Never contains the secret.
 *
 * @param name                the client's name
 * @param checker             its checker command (before runtime expansion)
 * @param extendedTimeout     how long a delivered secret keeps it enabled
 * @param approvalDelay       how long a connection waits for an approval
 * @param approvalDuration    how long an approval stays in force
 * @param approvedByDefault   what the approval delay passing means
 * @param lastApprovalRequest when a connection last needed an approval, if ever
 * @since 1.2
 */
public record ClientDetails(
        String name,
        String checker,
        Duration extendedTimeout,
        Duration approvalDelay,
        Duration approvalDuration,
        boolean approvedByDefault,
        Optional<Instant> lastApprovalRequest) {

    public ClientDetails {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastApprovalRequest, "lastApprovalRequest");
    }
}

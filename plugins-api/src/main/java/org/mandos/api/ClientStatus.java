package org.mandos.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only snapshot of one client's definition and runtime state. Never contains the secret.
 *
 * @param name             the client's name
 * @param keyId            its key_id, or ""
 * @param fingerprint      its OpenPGP fingerprint, or ""
 * @param host             its host
 * @param store            the name of the store that defines it
 * @param enabled          whether it may receive its secret
 * @param approvalPending  whether a connection is waiting for an approval
 * @param created          when the client was first seen
 * @param lastEnabled      when it was last enabled, if ever
 * @param lastCheckedOk    when a check last succeeded, if ever
 * @param expires          when it will be disabled unless checked, if it is enabled and has a deadline
 * @param timeout          its current timeout
 * @param interval         its current checker interval
 * @param checkerRunning   whether a check is running now
 * @param lastCheckerStatus the last check's exit status: 0–255, −1 when killed by a signal, −2 when no
 *                          check has completed (or the last one could not run)
 */
public record ClientStatus(
        String name,
        String keyId,
        String fingerprint,
        String host,
        String store,
        boolean enabled,
        boolean approvalPending,
        Instant created,
        Optional<Instant> lastEnabled,
        Optional<Instant> lastCheckedOk,
        Optional<Instant> expires,
        Duration timeout,
        Duration interval,
        boolean checkerRunning,
        int lastCheckerStatus) {

    public ClientStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastEnabled, "lastEnabled");
        Objects.requireNonNull(lastCheckedOk, "lastCheckedOk");
        Objects.requireNonNull(expires, "expires");
    }
}

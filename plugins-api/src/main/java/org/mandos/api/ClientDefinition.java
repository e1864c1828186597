package org.mandos.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A client as a {@link ClientStore} defines it: who it is (key_id, fingerprint), what it gets (the
 * OpenPGP-encrypted secret) and the rules that apply to it.
 *
 * @param name              the section name, unique within the server
 * @param keyId             upper-case hex SHA-256 of the client's TLS public key, or "" when absent
 * @param fingerprint       upper-case OpenPGP fingerprint (legacy identity), or "" when absent
 * @param secret            the bytes sent to the client; never logged, copied in and out
 * @param host              the host name or address checkers probe
 * @param timeout           how long the client stays enabled after a successful check
 * @param extendedTimeout   the timeout applied once after the secret is sent
 * @param interval          the checker period
 * @param checker           the shell checker command, with runtime {@code %(attr)s} placeholders
 * @param approvalDelay     how long a connection waits for an approval; zero means no wait
 * @param approvalDuration  how long an approve or deny stays in force; reserved: this release applies an
 *                          approval only to the connections waiting when it is given
 * @param approvedByDefault what happens when the approval delay passes without a decision
 * @param enabled           whether the client starts enabled
 * @param options           every option of the definition, unknown ones included, except the secret
 */
public record ClientDefinition(
        String name,
        String keyId,
        String fingerprint,
        byte[] secret,
        String host,
        Duration timeout,
        Duration extendedTimeout,
        Duration interval,
        String checker,
        Duration approvalDelay,
        Duration approvalDuration,
        boolean approvedByDefault,
        boolean enabled,
        Map<String, String> options) {

    public ClientDefinition {
        Objects.requireNonNull(name, "name");
        keyId = keyId == null ? "" : keyId;
        fingerprint = fingerprint == null ? "" : fingerprint;
        secret = Objects.requireNonNull(secret, "secret").clone();
        host = host == null ? "" : host;
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(extendedTimeout, "extendedTimeout");
        Objects.requireNonNull(interval, "interval");
        checker = checker == null ? "" : checker;
        Objects.requireNonNull(approvalDelay, "approvalDelay");
        Objects.requireNonNull(approvalDuration, "approvalDuration");
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** A copy of the secret; the caller should overwrite it when done. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientDefinition d
                && name.equals(d.name) && keyId.equals(d.keyId) && fingerprint.equals(d.fingerprint)
                && Arrays.equals(secret, d.secret) && host.equals(d.host) && timeout.equals(d.timeout)
                && extendedTimeout.equals(d.extendedTimeout) && interval.equals(d.interval)
                && checker.equals(d.checker) && approvalDelay.equals(d.approvalDelay)
                && approvalDuration.equals(d.approvalDuration) && approvedByDefault == d.approvedByDefault
                && enabled == d.enabled && options.equals(d.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, fingerprint, Arrays.hashCode(secret), host, timeout, extendedTimeout,
                interval, checker, approvalDelay, approvalDuration, approvedByDefault, enabled, options);
    }

    /** Never shows the secret, only its length. */
    @Override
    public String toString() {
        return "ClientDefinition[name=" + name + ", keyId=" + keyId + ", fingerprint=" + fingerprint
                + ", secret=<" + secret.length + " bytes>, host=" + host + ", timeout=" + timeout
                + ", extendedTimeout=" + extendedTimeout + ", interval=" + interval + ", checker=" + checker
                + ", approvalDelay=" + approvalDelay + ", approvalDuration=" + approvalDuration
                + ", approvedByDefault=" + approvedByDefault + ", enabled=" + enabled + "]";
    }
}

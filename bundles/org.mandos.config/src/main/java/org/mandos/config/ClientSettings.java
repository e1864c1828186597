package org.mandos.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One client, from one section of {@code clients.conf}, after start-time interpolation.
 *
 * <p>The secret is copied in and out and never appears in {@link #toString()}.
 *
 * @param name the section name
 * @param line the line of the section header
 * @param keyId {@code key_id}, upper-cased with spaces (U+0020 only) removed; {@code ""} if unset
 * @param fingerprint {@code fingerprint}, normalised like {@code keyId}; {@code ""} if unset
 * @param secret the secret: {@code secret} base64-decoded, or else the bytes of {@code secfile}
 * @param host {@code host}, for checkers
 * @param timeout {@code timeout}
 * @param extendedTimeout {@code extended_timeout}
 * @param interval {@code interval}
 * @param checker {@code checker}: a shell command still holding the run-time {@code %(attr)s}
 *     references (written {@code %%(attr)s} in the file)
 * @param approvalDelay {@code approval_delay}
 * @param approvalDuration {@code approval_duration}
 * @param approvedByDefault {@code approved_by_default}
 * @param enabled {@code enabled}
 * @param options every option visible in the section (built-in, inherited and own), interpolated,
 *     in the reference's order, except {@code secret}
 */
public record ClientSettings(String name, int line, String keyId, String fingerprint, byte[] secret, String host,
        Duration timeout, Duration extendedTimeout, Duration interval, String checker, Duration approvalDelay,
        Duration approvalDuration, boolean approvedByDefault, boolean enabled, Map<String, String> options) {

    /** Copies the secret and the options (dropping any {@code secret} option), so that the record is immutable. */
    public ClientSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        secret = Objects.requireNonNull(secret, "secret").clone();
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(extendedTimeout, "extendedTimeout");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(approvalDelay, "approvalDelay");
        Objects.requireNonNull(approvalDuration, "approvalDuration");
        Map<String, String> copy = new LinkedHashMap<>(Objects.requireNonNull(options, "options"));
        copy.remove("secret");
        options = Collections.unmodifiableMap(copy);
    }

    /** @return a copy of the secret */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** Compares the secret by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClientSettings c && name.equals(c.name) && line == c.line && keyId.equals(c.keyId)
                && fingerprint.equals(c.fingerprint) && Arrays.equals(secret, c.secret) && host.equals(c.host)
                && timeout.equals(c.timeout) && extendedTimeout.equals(c.extendedTimeout)
                && interval.equals(c.interval) && checker.equals(c.checker)
                && approvalDelay.equals(c.approvalDelay) && approvalDuration.equals(c.approvalDuration)
                && approvedByDefault == c.approvedByDefault && enabled == c.enabled && options.equals(c.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, fingerprint, host, checker, timeout, interval);
    }

    /** Shows the secret's length only, and option names without their values. */
    @Override
    public String toString() {
        return "ClientSettings[name=" + name + ", line=" + line + ", keyId=" + keyId + ", fingerprint=" + fingerprint
                + ", secret=<" + secret.length + " bytes>, host=" + host + ", timeout=" + timeout
                + ", extendedTimeout=" + extendedTimeout + ", interval=" + interval + ", checker=" + checker
                + ", approvalDelay=" + approvalDelay + ", approvalDuration=" + approvalDuration
                + ", approvedByDefault=" + approvedByDefault + ", enabled=" + enabled
                + ", options=" + options.keySet() + "]";
    }
}

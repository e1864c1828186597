package org.mandos.state;

import java.time.Duration;
import java.time.Instant;

final class Fixtures {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    static final Instant SAVED = Instant.parse("2024-03-01T12:00:00Z");
    static final Instant NOW = Instant.parse("2024-03-02T08:00:00Z");

    private Fixtures() {
    }

    static ConfiguredClient config(String name, boolean enabled) {
        return new ConfiguredClient(name, "KEY" + name.toUpperCase(), "FPR" + name.toUpperCase(), name + ".example",
                enabled, Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(1), true, "fping -q -- %(host)s");
    }

    /** A saved state derived from {@code c}, enabled, checked OK, expiring at {@code expires}. */
    static ClientState saved(ConfiguredClient c, boolean enabled, Instant lastCheckedOk, int status, Instant expires) {
        return new ClientState(c.name(), c.keyId(), c.fingerprint(), c.host(), enabled, T0,
                Instant.parse("2024-03-01T10:05:00Z"), lastCheckedOk, status, expires,
                Instant.parse("2024-03-01T11:00:00Z"), c.timeout(), c.extendedTimeout(), c.interval(),
                c.approvalDelay(), c.approvalDuration(), c.approvedByDefault(), c.checker());
    }

    static ClientState full() {
        return new ClientState("foo", "ABCDEF0123", "0123456789ABCDEF", "foo.example \"quoted\" é", true,
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-02T03:04:05.123456789Z"),
                Instant.parse("2024-01-03T00:00:00Z"), 0, Instant.parse("2024-01-03T00:05:00Z"),
                Instant.parse("2024-01-02T12:00:00Z"), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofMinutes(2).plusMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(1), false,
                "fping -q -- %(host)s");
    }

    static ClientState allNulls() {
        return new ClientState("bar", "", "", "", false, Instant.parse("2024-01-01T00:00:00Z"), null, null, -2,
                null, null, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, true, "");
    }
}

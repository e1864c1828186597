package org.mandos.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The start-up merge of the saved state with {@code clients.conf}: a pure function, the reference's
 * rules (behaviour spec §4) without its crashes, plus a fail-closed rule for a corrupt state file.
 * See the table in {@code docs/state-file.md}.
 */
public final class StateMerge {
    private StateMerge() {
    }

    /** Where a client's initial state came from. */
    public enum Origin {
        /** Restored from a valid state file, merged with the configuration. */
        RESTORED,
        /** Not in the (valid or missing) state file: from the configuration. */
        NEW,
        /** Restore is off ({@code --no-restore}): from the configuration. */
        CONFIG_ONLY,
        /** The state file was corrupt: from the configuration, with {@code needsCheck}. */
        AFTER_CORRUPT_STATE
    }

    /**
     * The initial state of one configured client.
     *
     * @param state the state to start from; {@code expires} is informative (the server arms expiry
     *     itself when it starts an enabled client)
     * @param needsCheck if true, the client must not be given its secret until a checker has
     *     succeeded after this start-up (fail closed)
     * @param origin where the state came from
     */
    public record InitialClient(ClientState state, boolean needsCheck, Origin origin) {
        /** Checks for nulls. */
        public InitialClient {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * The merge result.
     *
     * @param clients one per configured client, in configuration order
     * @param dropped names of saved clients that are no longer configured
     * @param warnings one-line messages for the log (disabled clients, config changes, corrupt state)
     */
    public record Result(List<InitialClient> clients, List<String> dropped, List<String> warnings) {
        /** Copies the lists. */
        public Result {
            clients = List.copyOf(clients);
            dropped = List.copyOf(dropped);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Computes the initial state of every configured client.
     *
     * @param configured the clients in {@code clients.conf}; names must be unique
     * @param saved the result of {@link StateFile#load}; ignored (may be {@code null}) if
     *     {@code restore} is false
     * @param now the current time
     * @param restore false for {@code --no-restore}: configuration only
     * @return the initial states
     * @throws IllegalArgumentException if two configured clients share a name
     */
    public static Result merge(List<ConfiguredClient> configured, StateFile.Loaded saved, Instant now,
            boolean restore) {
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(now, "now");
        Map<String, ConfiguredClient> byName = new LinkedHashMap<>();
        for (ConfiguredClient c : configured) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate configured client: " + c.name());
            }
        }
        List<InitialClient> out = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!restore) {
            for (ConfiguredClient c : configured) {
                out.add(new InitialClient(fresh(c, now), false, Origin.CONFIG_ONLY));
            }
            return new Result(out, dropped, warnings);
        }
        Objects.requireNonNull(saved, "saved");
        if (saved instanceof StateFile.Corrupt corrupt) {
            warnings.add("state file unusable (" + corrupt.reason() + "), moved to " + corrupt.movedTo()
                    + "; no client gets its secret before a successful checker");
            for (ConfiguredClient c : configured) {
                out.add(new InitialClient(fresh(c, now), true, Origin.AFTER_CORRUPT_STATE));
            }
            return new Result(out, dropped, warnings);
        }
        if (saved instanceof StateFile.Missing) {
            for (ConfiguredClient c : configured) {
                out.add(new InitialClient(fresh(c, now), false, Origin.NEW));
            }
            return new Result(out, dropped, warnings);
        }
        StateFile.Valid valid = (StateFile.Valid) saved;
        Map<String, ClientState> states = new HashMap<>();
        for (ClientState s : valid.clients()) {
            states.put(s.name(), s);
            if (!byName.containsKey(s.name())) {
                dropped.add(s.name());
            }
        }
        for (ConfiguredClient c : configured) {
            ClientState s = states.get(c.name());
            if (s == null) {
                out.add(new InitialClient(fresh(c, now), false, Origin.NEW));
            } else {
                out.add(new InitialClient(restore(c, s, valid.configAtSave().get(c.name()), now, warnings), false,
                        Origin.RESTORED));
            }
        }
        return new Result(out, dropped, warnings);
    }

    /** A client that starts from its configuration, as the reference creates one. */
    /** The state a configured client starts from when nothing was saved for it. */
    public static ClientState fresh(ConfiguredClient c, Instant now) {
        return new ClientState(c.name(), c.keyId(), c.fingerprint(), c.host(), c.enabled(), now,
                c.enabled() ? now : null, null, ClientState.STATUS_NONE, null, null, c.timeout(),
                c.extendedTimeout(), c.interval(), c.approvalDelay(), c.approvalDuration(), c.approvedByDefault(),
                c.checker());
    }

    private static <T> T pick(T config, T snapshot, T saved, boolean haveSnapshot) {
        // A setting edited in clients.conf since the save wins; otherwise the saved (run-time) value.
        if (!haveSnapshot || !Objects.equals(config, snapshot)) {
            return config;
        }
        return saved;
    }

    private static ClientState restore(ConfiguredClient c, ClientState s, ConfiguredClient o, Instant now,
            List<String> warnings) {
        boolean snap = o != null;
        var timeout = pick(c.timeout(), snap ? o.timeout() : null, s.timeout(), snap);
        var extendedTimeout = pick(c.extendedTimeout(), snap ? o.extendedTimeout() : null, s.extendedTimeout(), snap);
        var interval = pick(c.interval(), snap ? o.interval() : null, s.interval(), snap);
        var approvalDelay = pick(c.approvalDelay(), snap ? o.approvalDelay() : null, s.approvalDelay(), snap);
        var approvalDuration = pick(c.approvalDuration(), snap ? o.approvalDuration() : null, s.approvalDuration(),
                snap);
        boolean approvedByDefault = pick(c.approvedByDefault(), snap ? o.approvedByDefault() : null,
                s.approvedByDefault(), snap);
        String host = pick(c.host(), snap ? o.host() : null, s.host(), snap);
        String checker = pick(c.checker(), snap ? o.checker() : null, s.checker(), snap);

        boolean enabled = s.enabled();
        Instant lastEnabled = s.lastEnabled();
        Instant expires = s.expires();
        boolean flipped = snap && c.enabled() != o.enabled();
        if (flipped) {
            warnings.add("client " + c.name() + ": enabled changed in clients.conf to " + c.enabled()
                    + "; using the configured value");
        }
        if (flipped && !c.enabled()) {
            enabled = false;
        } else if (flipped && !enabled) {
            // Enabled by a clients.conf edit: like an Enable event; the server arms expiry.
            enabled = true;
            lastEnabled = now;
            expires = null;
        } else if (enabled && (expires == null || !expires.isAfter(now))) {
            // Expired while the server was down (or no expiry saved): as the reference, §4 rule 6.
            if (s.lastCheckedOk() == null) {
                warnings.add("disabling client " + c.name() + " - Client never performed a successful checker");
                enabled = false;
            } else if (s.lastCheckerStatus() != 0) {
                warnings.add("disabling client " + c.name() + " - Client last checker failed with error code "
                        + s.lastCheckerStatus());
                enabled = false;
            } else {
                expires = now.plus(timeout);
            }
        }
        if (!enabled) {
            expires = null;
        }
        // Identity comes from clients.conf: it cannot be changed at run time.
        return new ClientState(c.name(), c.keyId(), c.fingerprint(), host, enabled, s.created(), lastEnabled,
                s.lastCheckedOk(), s.lastCheckerStatus(), expires, s.lastApprovalRequest(), timeout,
                extendedTimeout, interval, approvalDelay, approvalDuration, approvedByDefault, checker);
    }
}

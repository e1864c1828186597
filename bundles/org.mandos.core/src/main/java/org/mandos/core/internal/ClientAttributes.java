package org.mandos.core.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mandos.api.ClientDefinition;
import org.mandos.config.Durations;

/**
 * The attributes a checker command may use as {@code %(name)s} (behaviour §3.4), written as the
 * reference writes them: durations as Python timedeltas ({@code 0:05:00}), times as naive UTC
 * ({@code 2026-01-01 00:00:00}, microseconds only when not zero) or {@code None}, booleans as
 * {@code True}/{@code False}. Quoting for the shell is the checker's job.
 */
final class ClientAttributes {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private ClientAttributes() {
    }

    static Map<String, String> of(Client client) {
        Client.Snapshot s = client.snapshot();
        ClientDefinition d = s.definition();
        Map<String, String> a = new LinkedHashMap<>();
        a.put("approval_delay", Durations.pythonTimedelta(d.approvalDelay()));
        a.put("approval_duration", Durations.pythonTimedelta(d.approvalDuration()));
        a.put("created", time(s.created()));
        a.put("enabled", s.enabled() ? "True" : "False");
        a.put("expires", time(s.expires()));
        a.put("key_id", d.keyId());
        a.put("fingerprint", d.fingerprint());
        a.put("host", d.host());
        a.put("interval", Durations.pythonTimedelta(s.interval()));
        a.put("last_approval_request", time(s.lastApprovalRequest()));
        a.put("last_checked_ok", time(s.lastCheckedOk()));
        a.put("last_enabled", time(s.lastEnabled()));
        a.put("name", d.name());
        a.put("timeout", Durations.pythonTimedelta(s.timeout()));
        a.put("extended_timeout", Durations.pythonTimedelta(d.extendedTimeout()));
        return a;
    }

    static String time(Instant instant) {
        if (instant == null) {
            return "None";
        }
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return (t.getNano() / 1000 == 0 ? SECONDS : MICROS).format(t);
    }
}

package org.mandos.dbus.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandos.api.ClientDetails;
import org.mandos.api.ClientStatus;

/** The D-Bus property values of a client (behaviour §5.3). */
final class Values {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** Properties that never change. */
    static final java.util.Set<String> CONST = java.util.Set.of("Created", "Fingerprint", "KeyID", "Name", "ObjectPath");

    private Values() {
    }

    /** Python's {@code isoformat()} of the naive UTC time: no zone, microseconds only when not zero. */
    static String time(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        int micros = local.getNano() / 1000;
        String s = SECONDS.format(local);
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }

    static String time(Optional<Instant> t) {
        return t.map(Values::time).orElse("");
    }

    /** Whole milliseconds, truncated; negative durations (never configured) show as 0. */
    static UInt64 millis(Duration d) {
        return new UInt64(Math.max(0, d.toMillis()));
    }

    /** Every readable property, sorted by name as dbus-python does. */
    static Map<String, Variant<?>> properties(ClientStatus s, ClientDetails d, String path) {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("ApprovalDelay", new Variant<>(millis(d.approvalDelay())));
        p.put("ApprovalDuration", new Variant<>(millis(d.approvalDuration())));
        p.put("ApprovalPending", new Variant<>(s.approvalPending()));
        p.put("ApprovedByDefault", new Variant<>(d.approvedByDefault()));
        p.put("Checker", new Variant<>(d.checker()));
        p.put("CheckerRunning", new Variant<>(s.checkerRunning()));
        p.put("Created", new Variant<>(time(s.created())));
        p.put("Enabled", new Variant<>(s.enabled()));
        p.put("Expires", new Variant<>(s.enabled() ? time(s.expires()) : ""));
        p.put("ExtendedTimeout", new Variant<>(millis(d.extendedTimeout())));
        p.put("Fingerprint", new Variant<>(s.fingerprint() == null ? "" : s.fingerprint().toUpperCase()));
        p.put("Host", new Variant<>(s.host() == null ? "" : s.host()));
        p.put("Interval", new Variant<>(millis(s.interval())));
        p.put("KeyID", new Variant<>(s.keyId() == null ? "" : s.keyId().toUpperCase()));
        p.put("LastApprovalRequest", new Variant<>(time(d.lastApprovalRequest())));
        p.put("LastCheckedOK", new Variant<>(time(s.lastCheckedOk())));
        p.put("LastCheckerStatus", new Variant<>((short) s.lastCheckerStatus()));
        p.put("LastEnabled", new Variant<>(time(s.lastEnabled())));
        p.put("Name", new Variant<>(s.name()));
        p.put("ObjectPath", new Variant<>(new DBusPath(path)));
        p.put("Timeout", new Variant<>(millis(s.timeout())));
        return p;
    }

    /** A value written with Set, unwrapped from its variant. */
    static Object unwrap(Object value) {
        return value instanceof Variant<?> v ? v.getValue() : value;
    }

    static boolean bool(Object value) {
        Object v = unwrap(value);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        throw new IllegalArgumentException("not a boolean");
    }

    static Duration duration(Object value) {
        Object v = unwrap(value);
        if (v instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        throw new IllegalArgumentException("not a number of milliseconds");
    }

    static String string(Object value) {
        Object v = unwrap(value);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("not a string");
    }
}

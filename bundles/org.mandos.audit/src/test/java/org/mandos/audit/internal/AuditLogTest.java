package org.mandos.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientEvent.Type;

class AuditLogTest {

    private static final String KEY = "AB".repeat(32);
    private static final String PEER = "('::1', 35650)";
    private static final String OTHER = "('127.0.0.1', 40000)";

    private final List<String> lines = new ArrayList<>();
    private final AuditLog audit = new AuditLog(lines::add);

    private void event(Type type, String client, String peer, String detail) {
        audit.clientEvent(new ClientEvent(type, Instant.EPOCH, client, client.isEmpty() ? "CD".repeat(32) : KEY, peer,
                detail));
    }

    private String id(String client, String key, String peer) {
        return " client=\"" + client + "\" key_id=\"" + key + "\" peer=\"" + peer + "\"";
    }

    @Test
    void itAsksForExactlyTheTypesThatMakeAuditLines() {
        // Events of the types it does not ask for never reach it (the registry does not queue them): so every
        // type that makes a line must be asked for, and the checker's frequent events should not be.
        for (Type type : Type.values()) {
            lines.clear();
            event(type, "web", "", type == Type.REJECTED ? "Denied" : "");
            assertEquals(!lines.isEmpty(), audit.eventTypes().contains(type), type.toString());
        }
    }

    @Test
    void oneLinePerAuditedEvent() {
        event(Type.SECRET_SENT, "demo", PEER, "");
        event(Type.REJECTED, "demo-disabled", PEER, "Disabled");
        event(Type.CLIENT_NOT_FOUND, "", PEER, "");
        event(Type.ENABLED, "demo", "", "");
        event(Type.DISABLED, "demo", "", "timed out");
        event(Type.CHECKER_STARTED, "demo", "", "");
        event(Type.CHECKER_COMPLETED, "demo", "", "ALIVE 0: checked OK");
        event(Type.ADDED, "demo", "", "demo");
        event(Type.PROPERTY_CHANGED, "demo", "", "timeout=PT5M");
        event(Type.REMOVED, "demo", "", "removed by an operator");
        assertEquals(List.of(
                "Audit: secret-sent" + id("demo", KEY, PEER),
                "Audit: refused" + id("demo-disabled", KEY, PEER) + " reason=\"Disabled\"",
                "Audit: client-not-found" + id("", "CD".repeat(32), PEER),
                "Audit: enabled" + id("demo", KEY, "") + " cause=\"\"",
                "Audit: disabled" + id("demo", KEY, "") + " cause=\"timed out\"",
                "Audit: removed" + id("demo", KEY, "") + " cause=\"removed by an operator\""), lines);
    }

    @Test
    void approvalsAreFollowedToTheirDecision() {
        event(Type.NEED_APPROVAL, "gated", PEER, "delay=PT2S default=true");
        event(Type.NEED_APPROVAL, "gated", OTHER, "delay=PT2S default=true");
        event(Type.SECRET_SENT, "gated", OTHER, "");
        event(Type.REJECTED, "gated", "", "Approval timed out");
        event(Type.NEED_APPROVAL, "gated", PEER, "delay=PT2S default=true");
        event(Type.NEED_APPROVAL, "gated", OTHER, "delay=PT2S default=true");
        event(Type.REJECTED, "gated", "", "Denied");
        event(Type.REJECTED, "gated", PEER, "Denied");
        assertEquals(List.of(
                "Audit: approval-requested" + id("gated", KEY, PEER) + " detail=\"delay=PT2S default=true\"",
                "Audit: approval-requested" + id("gated", KEY, OTHER) + " detail=\"delay=PT2S default=true\"",
                "Audit: secret-sent" + id("gated", KEY, OTHER) + " approval=\"approved\"",
                "Audit: approval-denied" + id("gated", KEY, PEER) + " reason=\"Approval timed out\"",
                "Audit: approval-requested" + id("gated", KEY, PEER) + " detail=\"delay=PT2S default=true\"",
                "Audit: approval-requested" + id("gated", KEY, OTHER) + " detail=\"delay=PT2S default=true\"",
                "Audit: approval-denied" + id("gated", KEY, PEER) + " reason=\"Denied\"",
                "Audit: approval-denied" + id("gated", KEY, OTHER) + " reason=\"Denied\"",
                "Audit: refused" + id("gated", KEY, PEER) + " reason=\"Denied\""), lines);
    }

    @Test
    void disablingEndsOpenRequestsAndValuesAreQuoted() {
        event(Type.NEED_APPROVAL, "gated", PEER, "");
        event(Type.DISABLED, "gated", "", "said \"no\"\\\nnow");
        event(Type.SECRET_SENT, "gated", PEER, "");
        assertEquals("Audit: disabled" + id("gated", KEY, "") + " cause=\"said \\\"no\\\"\\\\\\nnow\"", lines.get(1));
        assertEquals("Audit: secret-sent" + id("gated", KEY, PEER), lines.get(2));
    }
}

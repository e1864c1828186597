package org.mandos.audit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientListener;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per security-relevant {@link ClientEvent} to the logger {@code mandos.audit}, at INFO:
 *
 * <pre>
 * Audit: secret-sent client="demo" key_id="D43F…" peer="('::1', 35650)"
 * Audit: secret-sent client="gated" key_id="…" peer="('::1', 35652)" approval="approved"
 * Audit: approval-requested client="gated" key_id="…" peer="('::1', 35652)" detail="delay=PT30S default=false"
 * Audit: approval-denied client="gated" key_id="…" peer="('::1', 35652)" reason="Approval timed out"
 * Audit: refused client="demo-disabled" key_id="…" peer="('::1', 35654)" reason="Disabled"
 * Audit: enabled client="demo" key_id="…" peer="" cause="enabled by an operator"
 * Audit: disabled client="demo" key_id="…" peer="" cause="timed out"
 * Audit: client-not-found client="" key_id="…" peer="('::1', 35656)"
 * Audit: removed client="old" key_id="…" peer="" cause="removed by an operator"
 * </pre>
 *
 * Values are quoted, with {@code "} and {@code \} escaped and line breaks written as {@code \n}. The
 * events carry no secret, so no line can contain one. A refusal that ends an approval wait carries no
 * peer in its event; the peer of the oldest open approval request of that client is used. An approval
 * that lets the secret go has no event of its own: the {@code secret-sent} line for the waiting peer
 * says {@code approval="approved"}.
 */
@Component(service = ClientListener.class)
public final class AuditLog implements ClientListener {

    /** The logger name; route or silence the audit lines with it in {@code logback.xml}. */
    public static final String LOGGER = "mandos.audit";
    /** Open approval requests remembered per client (a connection that went away leaves one behind). */
    static final int MAX_OPEN_REQUESTS = 64;

    private final Consumer<String> sink;
    private final Map<String, Deque<String>> openRequests = new HashMap<>();

    public AuditLog() {
        Logger log = LoggerFactory.getLogger(LOGGER);
        this.sink = log::info;
    }

    AuditLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** The events that make audit lines (see {@link #lines}); the checker's frequent ones do not. */
    static final Set<ClientEvent.Type> AUDITED = Collections.unmodifiableSet(EnumSet.of(ClientEvent.Type.SECRET_SENT,
            ClientEvent.Type.ENABLED, ClientEvent.Type.CLIENT_NOT_FOUND, ClientEvent.Type.NEED_APPROVAL,
            ClientEvent.Type.REJECTED, ClientEvent.Type.DISABLED, ClientEvent.Type.REMOVED));

    @Override
    public Set<ClientEvent.Type> eventTypes() {
        return AUDITED;
    }

    @Override
    public void clientEvent(ClientEvent event) {
        lines(event).forEach(sink);
    }

    /**
     * The audit lines for {@code event}: usually one, none for events that are not audited. Called on
     * every connection's thread: the common events take no lock, or hold it only for the bookkeeping.
     */
    List<String> lines(ClientEvent event) {
        String name = event.clientName();
        switch (event.type()) {
            case SECRET_SENT: {
                boolean approved;
                synchronized (this) {
                    Deque<String> open = openRequests.get(name);
                    approved = open != null && open.remove(event.peer());
                }
                return List.of(head("secret-sent", event, event.peer()) + (approved ? field("approval", "approved") : ""));
            }
            case ENABLED:
                return List.of(head("enabled", event, event.peer()) + field("cause", event.detail()));
            case CLIENT_NOT_FOUND:
                return List.of(head("client-not-found", event, event.peer()));
            default:
                synchronized (this) {
                    return bookkept(event, name);
                }
        }
    }

    /** The events that change the open requests. */
    private List<String> bookkept(ClientEvent event, String name) {
        switch (event.type()) {
            case NEED_APPROVAL: {
                Deque<String> open = openRequests(name);
                if (open.size() >= MAX_OPEN_REQUESTS) {
                    open.removeFirst();
                }
                open.addLast(event.peer());
                return List.of(head("approval-requested", event, event.peer()) + field("detail", event.detail()));
            }
            case REJECTED: {
                Deque<String> open = openRequests(name);
                if (event.peer().isEmpty() && !open.isEmpty()) {
                    // The end of an approval wait: by timeout (one event per waiting connection) or by a
                    // denial (one event for all the client's waiting connections).
                    if (event.detail().equals("Denied")) {
                        List<String> lines = new ArrayList<>();
                        while (!open.isEmpty()) {
                            lines.add(head("approval-denied", event, open.removeFirst())
                                    + field("reason", event.detail()));
                        }
                        return lines;
                    }
                    return List.of(head("approval-denied", event, open.removeFirst()) + field("reason", event.detail()));
                }
                return List.of(head("refused", event, event.peer()) + field("reason", event.detail()));
            }
            case DISABLED:
                // Waiting connections are refused; their requests are over.
                openRequests.remove(name);
                return List.of(head("disabled", event, event.peer()) + field("cause", event.detail()));
            case REMOVED:
                openRequests.remove(name);
                return List.of(head("removed", event, event.peer()) + field("cause", event.detail()));
            default:
                return List.of();
        }
    }

    private Deque<String> openRequests(String client) {
        return openRequests.computeIfAbsent(client, c -> new ArrayDeque<>());
    }

    private static String head(String what, ClientEvent event, String peer) {
        return "Audit: " + what + field("client", event.clientName()) + field("key_id", event.keyId()) + field("peer", peer);
    }

    private static String field(String key, String value) {
        StringBuilder b = new StringBuilder(" ").append(key).append("=\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"':
                case '\\':
                    b.append('\\').append(c);
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                default:
                    b.append(c < 0x20 ? ' ' : c);
            }
        }
        return b.append('"').toString();
    }
}

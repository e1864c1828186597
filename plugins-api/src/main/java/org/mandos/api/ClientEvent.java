package org.mandos.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a client, delivered to every {@link ClientListener}.
 *
 * @param type       what happened
 * @param time       when it happened, by the server's clock
 * @param clientName the client, or "" when no client matched ({@link Type#CLIENT_NOT_FOUND})
 * @param keyId      the key_id presented by the peer, or "" when not relevant
 * @param peer       the peer's address as text, or "" when not relevant
 * @param detail     more information (a refusal reason, a checker result), or ""
 */
public record ClientEvent(Type type, Instant time, String clientName, String keyId, String peer, String detail) {

    /** The kinds of event. */
    public enum Type {
        CLIENT_NOT_FOUND,
        SECRET_SENT,
        REJECTED,
        NEED_APPROVAL,
        ENABLED,
        DISABLED,
        CHECKER_STARTED,
        CHECKER_COMPLETED,
        ADDED,
        REMOVED,
        /** A runtime setting changed (timeout, interval); the detail says which and to what. */
        PROPERTY_CHANGED
    }

    public ClientEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        clientName = clientName == null ? "" : clientName;
        keyId = keyId == null ? "" : keyId;
        peer = peer == null ? "" : peer;
        detail = detail == null ? "" : detail;
    }
}

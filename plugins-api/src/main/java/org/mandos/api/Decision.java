package org.mandos.api;

import java.util.Objects;

/**
 * What the registry decided for one connection: send a client its secret, or refuse.
 */
public final class Decision {

    /** Why a connection gets no secret. */
    public enum Refusal {
        /** No enabled or disabled client has the presented key_id (or it is the blacklisted one). */
        NOT_FOUND,
        /** The client exists but is disabled. */
        DISABLED,
        /** An operator denied the request, or the client is denied by default without a delay. */
        DENIED,
        /** The approval delay passed and the client is denied by default. */
        APPROVAL_TIMED_OUT,
        /**
         * The client's saved state could not be read at start-up, so it gets nothing until a check has
         * succeeded for it since (fail closed, self-healing).
         */
        UNVERIFIED,
        /** The server is stopping, or the request was abandoned. */
        CANCELLED
    }

    private final String clientName;
    private final byte[] secret;
    private final Refusal refusal;

    private Decision(String clientName, byte[] secret, Refusal refusal) {
        this.clientName = clientName;
        this.secret = secret;
        this.refusal = refusal;
    }

    public static Decision send(String clientName, byte[] secret) {
        return new Decision(Objects.requireNonNull(clientName), Objects.requireNonNull(secret).clone(), null);
    }

    public static Decision refuse(String clientName, Refusal refusal) {
        return new Decision(clientName == null ? "" : clientName, null, Objects.requireNonNull(refusal));
    }

    public boolean granted() {
        return refusal == null;
    }

    /** The client's name, or "" when no client matched. */
    public String clientName() {
        return clientName;
    }

    /** Why the connection is refused; {@code null} when granted. */
    public Refusal refusal() {
        return refusal;
    }

    /**
     * A copy of the secret to send.
     *
     * @throws IllegalStateException when the decision is a refusal
     */
    public byte[] secret() {
        if (secret == null) {
            throw new IllegalStateException("refused connections have no secret");
        }
        return secret.clone();
    }

    @Override
    public String toString() {
        return granted() ? "Decision[send to " + clientName + "]" : "Decision[refuse " + clientName + ": " + refusal + "]";
    }
}

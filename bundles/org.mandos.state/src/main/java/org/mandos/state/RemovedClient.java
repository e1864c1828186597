package org.mandos.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A client an operator removed from the running server (D-Bus {@code RemoveClient}, {@code mandos-ctl -r},
 * the shell's {@code remove}). It stays removed, across reloads and restarts, while its store still gives
 * it the same identity (name, key_id, fingerprint and secret); a new key or secret, or a store that no
 * longer defines it, ends the removal.
 *
 * @param name the client's name
 * @param store the name of the store that defined it
 * @param definition a digest of the identity it had when removed (hex SHA-256; it reveals nothing
 *     about the secret)
 * @param removed when it was removed
 */
public record RemovedClient(String name, String store, String definition, Instant removed) {
    /**
     * Checks the values.
     *
     * @throws NullPointerException if a value is {@code null}
     * @throws IllegalArgumentException if the name or the digest is empty
     */
    public RemovedClient {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(removed, "removed");
        if (name.isEmpty() || definition.isEmpty()) {
            throw new IllegalArgumentException("a removed client needs a name and a definition digest");
        }
    }
}

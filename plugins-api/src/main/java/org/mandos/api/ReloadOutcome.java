package org.mandos.api;

import java.util.Objects;

/**
 * What an explicit reload did for one {@link ReloadableClientStore}.
 *
 * @param store   the store's {@link ClientStore#NAME}
 * @param changed whether its definitions changed
 * @param error   why it could not reload (its previous definitions stay in force), or "" on success
 */
public record ReloadOutcome(String store, boolean changed, String error) {

    public ReloadOutcome {
        Objects.requireNonNull(store, "store");
        error = error == null ? "" : error;
    }

    /** Whether the store reloaded (changed or not). */
    public boolean ok() {
        return error.isEmpty();
    }
}

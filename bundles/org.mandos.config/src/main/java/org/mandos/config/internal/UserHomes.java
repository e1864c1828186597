package org.mandos.config.internal;

import java.util.Optional;

/** Looks up a user's home directory, for {@code ~user} in paths. */
@FunctionalInterface
public interface UserHomes {

    /** @return the home directory of {@code user}, or empty if there is no such user */
    Optional<String> home(String user);
}

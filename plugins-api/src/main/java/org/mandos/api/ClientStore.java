package org.mandos.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of client definitions, such as {@code clients.conf}. Several stores may be active at once;
 * a client name belongs to the first store that defines it.
 *
 * <p>Register implementations as OSGi services. A store announces that its definitions changed by
 * modifying its service properties (for example by incrementing {@link #GENERATION}); the registry then
 * calls {@link #clients()} again. Clients whose definition did not change keep their runtime state.
 *
 * <p>Failure contract: a store that throws from {@link #clients()} keeps its previously loaded clients
 * in force; a store that goes away takes its clients with it, so they get no secret.
 */
@ConsumerType
public interface ClientStore {

    /** Service property: a short name for the store, used in log lines and by operators. */
    String NAME = StoreName.PROPERTY;

    /** Service property: a number the store changes whenever its definitions change. */
    String GENERATION = "mandos.store.generation";

    /**
     * The current definitions, in the order the store wants them looked up. Called from any thread;
     * must not block for long.
     *
     * @return an immutable snapshot
     * @throws Exception when the definitions cannot be read; the previous snapshot stays in force
     */
    List<ClientDefinition> clients() throws Exception;
}

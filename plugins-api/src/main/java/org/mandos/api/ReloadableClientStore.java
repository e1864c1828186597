package org.mandos.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link ClientStore} that can be told to read its source again at once, for an explicit reload
 * (SIGHUP, {@link ClientRegistry#reload()}, the shell) rather than waiting for its own change
 * detection.
 *
 * <p>Threading: called from any thread, never concurrently for one store; may block while it reads.
 * Failure contract: when the source cannot be read or does not parse, the store throws, keeps its
 * previous definitions in force and does not change {@link ClientStore#GENERATION}.
 */
@ConsumerType
public interface ReloadableClientStore extends ClientStore {

    /**
     * Reads the source now; when the definitions changed, announces them as usual by changing the
     * service's {@link ClientStore#GENERATION}.
     *
     * @return whether the definitions changed
     * @throws Exception why the source could not be used; its message names the file (and line) at fault
     */
    boolean reload() throws Exception;
}

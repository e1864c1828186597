package org.mandos.core.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mandos.api.CheckResult;
import org.mandos.api.ClientDefinition;

/** How a client starts one check: the registry picks the client's checker plugin and guards the call. */
interface Checks {

    /**
     * Starts a check. Never throws: a missing checker, or one that throws, gives a completed
     * {@link CheckResult.Outcome#ERROR} result. Cancelling the returned future stops the check.
     */
    CompletableFuture<CheckResult> start(ClientDefinition client, Map<String, String> attributes);
}

package org.mandos.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether a client is up. A client selects a checker by the {@link #TYPE} service property (the
 * {@code checker_type} option; the shell command in {@code checker} is the default).
 *
 * <p>Threading: {@link #check} is called on a thread the core keeps for this checker and should return at
 * once; the work happens asynchronously (a {@code check} that blocks holds up only this checker's
 * clients). The definition passed has an empty secret: a checker never sees a client's secret. The core owns the schedule and the deadline: when the deadline passes,
 * the client is disabled, or the checker is stopped, the core cancels the returned stage
 * ({@code toCompletableFuture().cancel(true)}), and the checker must then stop its work, killing any
 * process it started.
 *
 * <p>Failure contract: an exception, an exceptionally completed stage, a cancelled stage or a missing
 * checker never counts as alive.
 */
@ConsumerType
public interface Checker {

    /** Service property: the checker's name as clients select it, e.g. {@code shell}, {@code ssh}. */
    String TYPE = CheckerType.PROPERTY;

    /**
     * Starts one check of a client.
     *
     * @param client     the client's definition, including its {@code options}
     * @param attributes the client's runtime attributes as strings, for placeholder expansion
     * @return a stage that completes with the result
     */
    CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attributes);
}

package org.mandos.api;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one place to query and control clients. The network server, the shell and D-Bus front ends call
 * this and nothing else. Implemented by the core; thread-safe.
 */
@ProviderType
public interface ClientRegistry {

    /** Snapshots of every client, in lookup order. */
    List<ClientStatus> clients();

    /** A snapshot of one client. */
    Optional<ClientStatus> client(String name);

    /**
     * Decides what a connection presenting {@code keyId} gets. The stage completes at once unless the
     * client needs an approval, in which case it completes when an operator decides, the client is
     * disabled, or the approval delay passes. Cancelling the stage withdraws the request (the peer went
     * away). The stage never completes exceptionally with a secret pending: any doubt is a refusal.
     *
     * @param keyId the upper-case hex SHA-256 of the peer's public key
     * @param peer  the peer's address, for log lines and events
     */
    CompletionStage<Decision> decide(String keyId, InetSocketAddress peer);

    /** Reports that a granted secret was written; listeners get a {@link ClientEvent.Type#SECRET_SENT} event. */
    void delivered(Decision decision, InetSocketAddress peer);

    /** Enables a client. @return false when there is no such client */
    boolean enable(String name);

    /** Disables a client, rejecting every connection waiting for its approval. @return false when unknown */
    boolean disable(String name);

    /**
     * Records a successful check now, as a checker that exited with status 0 would: the client's
     * timeout starts again. @return false when there is no such client
     */
    boolean checkedOk(String name);

    /**
     * Changes a client's timeout at runtime: an enabled client's expiry moves by the difference, and
     * a client whose new expiry has passed is disabled at once. @return false when there is no such client
     */
    boolean setTimeout(String name, java.time.Duration timeout);

    /**
     * Changes a client's checker interval at runtime: an enabled client's schedule restarts with the
     * new period, starting with a check now. @return false when there is no such client
     */
    boolean setInterval(String name, java.time.Duration interval);

    /** Starts a check now (even for a disabled client) unless one runs. @return false when unknown */
    boolean startChecker(String name);

    /** Stops a running check, killing what it started; it reports no result. @return false when unknown */
    boolean stopChecker(String name);

    /**
     * Approves ({@code true}) or denies ({@code false}) every connection now waiting for the client's
     * approval. @return false when there is no such client
     */
    boolean approve(String name, boolean approve);

    /**
     * Asks every {@link ReloadableClientStore} to read its source again now (what SIGHUP does). A store
     * that fails keeps its previous definitions in force; clients whose definition did not change keep
     * their runtime state. Blocks until every store has answered.
     *
     * @return one outcome per reloadable store, in lookup order
     */
    List<ReloadOutcome> reload();

    /**
     * The runtime settings of one client besides its status. The default (for older implementations)
     * knows none. @since 1.2
     */
    default Optional<ClientDetails> details(String name) {
        return Optional.empty();
    }

    /** Changes a client's host at runtime (saved with its state). @return false when unknown @since 1.2 */
    default boolean setHost(String name, String host) {
        return false;
    }

    /** Changes a client's checker command at runtime. @return false when unknown @since 1.2 */
    default boolean setChecker(String name, String checker) {
        return false;
    }

    /** Changes a client's extended timeout at runtime. @return false when unknown @since 1.2 */
    default boolean setExtendedTimeout(String name, java.time.Duration extendedTimeout) {
        return false;
    }

    /** Changes a client's approval delay at runtime. @return false when unknown @since 1.2 */
    default boolean setApprovalDelay(String name, java.time.Duration approvalDelay) {
        return false;
    }

    /** Changes a client's approval duration at runtime. @return false when unknown @since 1.2 */
    default boolean setApprovalDuration(String name, java.time.Duration approvalDuration) {
        return false;
    }

    /** Changes whether a client is approved by default, at runtime. @return false when unknown @since 1.2 */
    default boolean setApprovedByDefault(String name, boolean approvedByDefault) {
        return false;
    }

    /**
     * Replaces a client's secret at runtime (copied; never logged). It is not written to the state file,
     * so it lasts until the server restarts or the client's definition changes. @return false when unknown
     * @since 1.2
     */
    default boolean setSecret(String name, byte[] secret) {
        return false;
    }

    /**
     * Removes a client from the running server, as {@code RemoveClient} on D-Bus: it is disabled, every
     * connection waiting for its approval is refused, and listeners get a {@link ClientEvent.Type#REMOVED}
     * event. The removal is saved with the state: the client stays removed across reloads and restarts
     * until its store gives it a new key_id, fingerprint or secret, or stops defining it. The default (for older
     * implementations) removes nothing. @return false when there is no such client @since 1.3
     */
    default boolean remove(String name) {
        return false;
    }
}

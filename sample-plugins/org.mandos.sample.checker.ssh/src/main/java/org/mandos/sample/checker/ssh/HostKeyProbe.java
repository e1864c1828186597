package org.mandos.sample.checker.ssh;

import java.security.PublicKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.mandos.api.CheckResult;

/**
 * One check of one client: its result, and the connection attempt and session to close when the result
 * is known, the check times out or the core cancels it.
 *
 * <p>The connect future and the session are published here from other threads than the one that ends
 * the check; each side writes its own field before it reads the other's state, so whichever comes last
 * closes them.
 */
final class HostKeyProbe {

    /** How a session finds its probe: in the connection context given to {@code connect}. */
    static final AttributeKey<HostKeyProbe> KEY = new AttributeKey<>();

    /** The exit code reported with a DOWN result, as a failing shell checker's would be. */
    static final int DOWN_EXIT_CODE = 1;

    private final SshCheckOptions options;
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private final AtomicReference<ConnectFuture> connecting = new AtomicReference<>();
    private final AtomicReference<ClientSession> session = new AtomicReference<>();
    private volatile String problem;

    HostKeyProbe(SshCheckOptions options) {
        this.options = options;
    }

    CompletableFuture<CheckResult> result() {
        return result;
    }

    SshCheckOptions options() {
        return options;
    }

    /**
     * Judges the host key the server proved it holds (MINA SSHD calls the verifier after checking the
     * server's signature of the key exchange).
     *
     * @return whether the key is one of the expected ones
     */
    boolean hostKey(PublicKey key) {
        if (key instanceof OpenSshCertificate) {
            complete(CheckResult.down(DOWN_EXIT_CODE, options.target() + " offered a host certificate, not a plain"
                    + " host key"));
            return false;
        }
        String type = KeyUtils.getKeyType(key);
        String fingerprint;
        try {
            ByteArrayBuffer blob = new ByteArrayBuffer();
            blob.putRawPublicKey(key);
            fingerprint = Fingerprints.sha256(blob.getCompactData());
        } catch (RuntimeException e) {
            complete(CheckResult.down(DOWN_EXIT_CODE, "cannot encode the " + type + " host key of "
                    + options.target() + ": " + e));
            return false;
        }
        if (options.fingerprints().contains(fingerprint)) {
            complete(CheckResult.alive());
            return true;
        }
        complete(CheckResult.down(DOWN_EXIT_CODE, "host key of " + options.target() + " is " + type + " "
                + fingerprint + ", expected " + String.join(" or ", options.fingerprints().stream().sorted().toList())));
        return false;
    }

    /** The TCP connection could not be made, or failed before an SSH session existed. */
    void connectFailed(Throwable e) {
        complete(CheckResult.down(DOWN_EXIT_CODE, "cannot connect to " + options.target() + ": " + describe(e)));
    }

    /** The session reported a problem; kept for the reason of a session that then closes. */
    void sessionProblem(String text) {
        if (problem == null) {
            problem = text;
        }
    }

    /** The session closed: if the server had not shown an expected key by then, the client is down. */
    void sessionClosed() {
        String why = problem;
        complete(CheckResult.down(DOWN_EXIT_CODE, "SSH session with " + options.target() + " ended before a host"
                + " key was verified" + (why == null ? "" : ": " + why)));
    }

    void timedOut() {
        String why = problem;
        complete(CheckResult.down(DOWN_EXIT_CODE, "no SSH host key from " + options.target() + " within "
                + options.timeout().toSeconds() + " s" + (why == null ? "" : " (" + why + ")")));
    }

    void complete(CheckResult r) {
        result.complete(r);
    }

    void attach(ConnectFuture future) {
        connecting.set(future);
        if (result.isDone()) {
            release();
        }
    }

    void attach(ClientSession s) {
        session.set(s);
        if (result.isDone()) {
            release();
        }
    }

    /**
     * Closes the session at once, if there is one yet (idempotent). A connection still being made is not
     * cancelled: MINA SSHD 2.20 can lose the socket of a connect it is told to cancel just as the TCP
     * connection completes, leaving it open. Instead the session is closed as soon as it exists (see the
     * {@code attach} methods), and a connection that never completes is given up by MINA SSHD after
     * {@link SshHostKeyChecker#CONNECT_LIMIT}.
     */
    void release() {
        ClientSession s = session.get();
        if (s == null) {
            ConnectFuture future = connecting.get();
            if (future != null && future.isConnected()) {
                s = future.getClientSession();
            }
        }
        if (s != null) {
            s.close(true);
        }
    }

    /** The innermost message in the chain of causes (MINA SSHD wraps exceptions and repeats their names). */
    static String describe(Throwable e) {
        String message = null;
        Throwable last = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            last = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message != null ? message : last.getClass().getSimpleName();
    }
}

package org.mandos.sample.checker.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.kex.extension.KexExtensionHandler;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.CheckerType;
import org.mandos.api.ClientDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client is alive when its SSH server proves that it holds a host key with one of the expected
 * fingerprints. Select it with {@code checker_type = ssh}; options {@code ssh_fingerprint} (required),
 * {@code ssh_port} (default 22) and {@code ssh_timeout} (seconds, default 10).
 *
 * <p>A check connects with the MINA SSHD client, runs the key exchange up to the server's signature with
 * its host key, compares the key's SHA256 fingerprint and closes the connection without authenticating.
 * One {@link SshClient} serves every check while the component is active; deactivation stops it, with
 * its threads, and ends any check still running. Cancelling a check closes its connection.
 */
@Component(service = Checker.class)
@CheckerType("ssh")
public final class SshHostKeyChecker implements Checker {

    private static final Logger LOG = LoggerFactory.getLogger(SshHostKeyChecker.class);

    /** Never sent: the check ends before authentication. */
    private static final String USER = "mandos-checker";

    /**
     * How long MINA SSHD tries to make a TCP connection. A check ends at its own {@code ssh_timeout}
     * whatever this is; this bounds the attempt that may go on after a check has ended or been cancelled.
     */
    static final Duration CONNECT_LIMIT = Duration.ofSeconds(30);

    private final Set<HostKeyProbe> running = ConcurrentHashMap.newKeySet();
    /** Set while active. */
    private volatile Engine engine;

    /**
     * What runs while the component is active.
     *
     * @param ssh     the one SSH client
     * @param timer   check deadlines, and closing connections after a check
     * @param starter starts connections: resolving a host name may block, never on the core's thread
     */
    private record Engine(SshClient ssh, ScheduledThreadPoolExecutor timer, ExecutorService starter) {
    }

    @Activate
    void activate() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads("mandos-ssh-checker-timer"));
        timer.setRemoveOnCancelPolicy(true);
        ExecutorService starter = Executors.newCachedThreadPool(threads("mandos-ssh-checker-connect"));
        SshClient ssh = SshLibrary.withBundleClassLoader(() -> {
            if (!SshLibrary.configure()) {
                LOG.warn("MINA SSHD chose its security providers before this checker configured it;"
                        + " Ed25519 host keys may not work");
            }
            SshClient client = SshClient.setUpDefaultClient();
            // Chosen explicitly: MINA SSHD would otherwise look for one with ServiceLoader.
            client.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
            // Nothing from ~/.ssh: no client config, no identities (there is no authentication anyway).
            client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.setSignatureFactories(SshLibrary.hostKeyAlgorithms());
            client.setServerKeyVerifier(SshHostKeyChecker::verifyServerKey);
            CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, CONNECT_LIMIT);
            // No SSH extension negotiation (RFC 8308): it only serves authentication, which never happens.
            client.setKexExtensionHandler(new NoKexExtensions());
            client.addSessionListener(new ProbeListener());
            client.start();
            return client;
        });
        engine = new Engine(ssh, timer, starter);
        LOG.debug("SSH host key checker started; host key algorithms {}", ssh.getSignatureFactoriesNames());
    }

    @Deactivate
    void deactivate() {
        Engine e = engine;
        engine = null;
        if (e == null) {
            return;
        }
        for (HostKeyProbe probe : running) {
            probe.complete(CheckResult.error("the ssh checker was stopped"));
        }
        e.starter().shutdownNow();
        e.timer().shutdownNow();
        for (HostKeyProbe probe : running) {
            probe.release();
        }
        running.clear();
        // Closes every session and stops MINA SSHD's threads.
        e.ssh().stop();
    }

    @Override
    public CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attributes) {
        SshCheckOptions options;
        try {
            options = SshCheckOptions.of(client);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.error(e.getMessage()));
        }
        Engine e = engine;
        if (e == null) {
            return CompletableFuture.completedFuture(CheckResult.error("the ssh checker is not active"));
        }
        HostKeyProbe probe = new HostKeyProbe(options);
        CompletableFuture<CheckResult> result = probe.result();
        running.add(probe);
        try {
            ScheduledFuture<?> deadline = e.timer().schedule(probe::timedOut, options.timeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            // However the check ends (result, deadline, or the core cancelling the stage returned here),
            // its connection is closed at once. On the timer's thread: results are completed inside MINA
            // SSHD's callbacks, where closing the session is best avoided.
            result.whenCompleteAsync((r, x) -> {
                deadline.cancel(false);
                running.remove(probe);
                probe.release();
            }, e.timer());
            e.starter().execute(() -> start(e.ssh(), probe));
        } catch (RejectedExecutionException x) {
            // Deactivated meanwhile.
            running.remove(probe);
            probe.complete(CheckResult.error("the ssh checker is not active"));
            probe.release();
        }
        return result;
    }

    private static void start(SshClient sshClient, HostKeyProbe probe) {
        if (probe.result().isDone()) {
            return;
        }
        SshCheckOptions options = probe.options();
        SocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (((InetSocketAddress) address).isUnresolved()) {
            probe.complete(CheckResult.down(HostKeyProbe.DOWN_EXIT_CODE, "cannot resolve host " + options.host()));
            return;
        }
        ConnectFuture future;
        try {
            future = SshLibrary.withBundleClassLoader(() -> {
                try {
                    return sshClient.connect(USER, address, AttributeRepository.ofKeyValuePair(HostKeyProbe.KEY, probe),
                            null);
                } catch (IOException e) {
                    throw new ConnectException(e);
                }
            });
        } catch (ConnectException | IllegalStateException e) {
            probe.connectFailed(e.getCause() == null ? e : e.getCause());
            return;
        }
        probe.attach(future);
        future.addListener(f -> {
            if (f.isConnected()) {
                ClientSession session = f.getClientSession();
                session.addCloseFutureListener(c -> probe.sessionClosed());
                // Closes the session at once if the check is already over.
                probe.attach(session);
            } else {
                Throwable e = f.getException();
                probe.connectFailed(e == null ? new IOException("connection failed") : e);
            }
        });
    }

    private static boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        HostKeyProbe probe = probeOf(session);
        // A session that is not one of our checks is never trusted.
        return probe != null && probe.hostKey(key);
    }

    private static HostKeyProbe probeOf(Session session) {
        if (session instanceof ClientSession clientSession) {
            AttributeRepository context = clientSession.getConnectionContext();
            return context == null ? null : context.getAttribute(HostKeyProbe.KEY);
        }
        return null;
    }

    /** Keeps the reason a session fails, for the result when it then closes. */
    private static final class ProbeListener implements SessionListener {
        @Override
        public void sessionException(Session session, Throwable t) {
            HostKeyProbe probe = probeOf(session);
            if (probe != null) {
                probe.sessionProblem(HostKeyProbe.describe(t));
            }
        }

        @Override
        public void sessionDisconnect(Session session, int reason, String msg, String language, boolean initiator) {
            HostKeyProbe probe = probeOf(session);
            if (probe != null && msg != null && !msg.isBlank()) {
                probe.sessionProblem((initiator ? "disconnected: " : "server disconnected: ") + msg);
            }
        }
    }

    private static final class NoKexExtensions implements KexExtensionHandler {
        @Override
        public boolean isKexExtensionsAvailable(Session session, AvailabilityPhase phase) {
            return false;
        }
    }

    /** Carries an IOException out of a lambda. */
    private static final class ConnectException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectException(IOException cause) {
            super(cause);
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

package org.mandos.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.mandos.api.ClientRegistry;
import org.mandos.api.Decision;
import org.mandos.tls.PeerSession;
import org.mandos.tls.RawKeyTlsClient;
import org.mandos.tls.TlsFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, protocol version 1: the version line, the TLS handshake in which this server
 * is the TLS client, the registry's decision, then the secret (or nothing) and close_notify.
 * Every refusal is logged once, with the peer's address.
 */
final class Connection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** How often a connection waiting for an approval checks that its peer is still there. */
    private static final java.time.Duration PEER_CHECK = java.time.Duration.ofMillis(250);

    private final Socket socket;
    private final ClientRegistry registry;
    private final ServerSettings settings;
    private final ScheduledExecutorService timer;
    private final Supplier<SecureRandom> random;
    private final HandshakeSlots slots;

    /**
     * @param random the randomness for the handshake, asked for on the connection's own thread
     * @param slots  the server's bound on handshakes computing at once
     */
    Connection(Socket socket, ClientRegistry registry, ServerSettings settings, ScheduledExecutorService timer,
            Supplier<SecureRandom> random, HandshakeSlots slots) {
        this.socket = socket;
        this.registry = registry;
        this.settings = settings;
        this.timer = timer;
        this.random = random;
        this.slots = slots;
    }

    @Override
    public void run() {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        String who = AddressText.peer(peer);
        try (socket; Deadline deadline = new Deadline(timer, socket)) {
            LOG.info("TCP connection from: {}", who);
            serve(peer, who, deadline);
        } catch (IOException e) {
            LOG.debug("Closing connection from {}: {}", who, e.toString());
        }
    }

    private void serve(InetSocketAddress peer, String who, Deadline deadline) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();

        deadline.arm(settings.lineTimeout(), "the protocol version line");
        try {
            int version = VersionLine.read(in);
            LOG.debug("Protocol version: {} from {}", version, who);
        } catch (VersionLine.Rejected e) {
            LOG.warn("Rejected connection from {}: {}", who, e.getMessage());
            return;
        } catch (IOException e) {
            rejectedByFailure(who, deadline, "while reading the protocol version line", e);
            return;
        }

        deadline.arm(settings.handshakeTimeout(), "the TLS handshake");
        PeerSession session;
        try (HandshakeSlots.Pass pass = slots.pass()) {
            pass.acquire();
            session = RawKeyTlsClient.handshake(pass.gate(in), out, settings.policy(), random.get());
        } catch (TlsFailure e) {
            String expired = deadline.expired();
            LOG.warn("Handshake failed with {}: {}", who, expired != null ? expired : e.getMessage());
            return;
        }
        deadline.disarm();
        LOG.debug("Key ID: {} from {} ({}, {})", session.keyId(), who, session.cipherSuite(),
                session.keyExchangeGroup());

        Decision decision = await(registry.decide(session.keyId(), peer).toCompletableFuture(), session, who);

        deadline.arm(settings.sendTimeout(), "sending the reply");
        if (!decision.granted()) {
            LOG.info("No secret for {}: {}{}", who, decision.refusal(),
                    decision.clientName().isEmpty() ? "" : " (client " + decision.clientName() + ")");
            closeQuietly(session, who, deadline);
            return;
        }
        byte[] secret = decision.secret();
        try {
            LOG.info("Sending secret to {}", decision.clientName());
            session.sendAndClose(secret);
            registry.delivered(decision, peer);
        } catch (TlsFailure e) {
            String expired = deadline.expired();
            String reason = expired != null ? expired : e.getMessage();
            if (e.kind() == TlsFailure.Kind.CLOSE_INCOMPLETE) {
                // Every byte and our close_notify went out; only the peer's close_notify is missing.
                // The reference counts this as sent too (a failed bye is only a warning).
                LOG.warn("Sent the secret to {} at {}, but the closing exchange failed: {}",
                        decision.clientName(), who, reason);
                registry.delivered(decision, peer);
            } else {
                LOG.warn("Sending the secret to {} at {} failed: {}", decision.clientName(), who, reason);
            }
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Waits for the registry, watching the peer meanwhile: a client that goes away while it waits for
     * an approval stops waiting (the reference waited on). Any failure to decide is a refusal.
     */
    private Decision await(CompletableFuture<Decision> pending, PeerSession session, String who) throws IOException {
        int readTimeout = socket.getSoTimeout();
        try {
            while (true) {
                try {
                    return pending.get(PEER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillUndecided) {
                    socket.setSoTimeout((int) PEER_CHECK.toMillis());
                    if (!session.peerIsWaiting()) {
                        pending.cancel(true);
                        LOG.info("Connection from {} went away while waiting for approval", who);
                        return Decision.refuse("", Decision.Refusal.CANCELLED);
                    }
                }
            }
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            LOG.error("No decision for {}: {}", who, e.toString());
        } finally {
            socket.setSoTimeout(readTimeout);
        }
        return Decision.refuse("", Decision.Refusal.CANCELLED);
    }

    private static void closeQuietly(PeerSession session, String who, Deadline deadline) {
        try {
            session.closeWithoutData();
        } catch (TlsFailure e) {
            String expired = deadline.expired();
            LOG.debug("Closing TLS with {}: {}", who, expired != null ? expired : e.getMessage());
        }
    }

    private static void rejectedByFailure(String who, Deadline deadline, String phase, IOException e) {
        String expired = deadline.expired();
        if (expired != null) {
            LOG.warn("Rejected connection from {}: {}", who, expired);
        } else {
            LOG.warn("Rejected connection from {}: {} {}", who, e.getMessage() == null ? e.toString() : e.getMessage(), phase);
        }
    }
}

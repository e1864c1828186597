package org.mandos.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mandos.api.ClientRegistry;
import org.mandos.api.Decision;
import org.mandos.tls.RawKeyTlsClient;
import org.mandos.tls.TlsClientExchange;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, protocol version 1, as a state machine on its {@link Worker}'s thread: the version
 * line, the TLS handshake in which this server is the TLS client, the registry's decision, then the secret (or
 * nothing), close_notify and the peer's close_notify. Nothing here blocks: each step runs when bytes arrive,
 * the socket can take more, the decision is made, or a deadline passes. Every refusal is logged once, with
 * the peer's address.
 */
final class Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private enum State { LINE, HANDSHAKE, DECIDING, CLOSING, DONE }

    private final Worker worker;
    private final SocketChannel channel;
    private final ClientRegistry registry;
    private final ServerSettings settings;
    private final Runnable onClose;
    private final InetSocketAddress peer;
    private final String who;
    private SelectionKey key;
    private State state = State.LINE;
    private VersionLine.Accumulator line = new VersionLine.Accumulator();
    private TlsClientExchange exchange;
    private CompletableFuture<Decision> pending;
    private Decision decision;
    /** Output the socket did not take yet; null when everything went out. */
    private ByteBuffer unsent;
    private String phaseName;
    private Duration phaseLimit;
    /** The current phase's deadline ({@link System#nanoTime} scale), kept by the worker. */
    long deadline;
    /** The worker's set this connection's deadline is in, or null when it has none. */
    java.util.Set<Connection> deadlines;

    /**
     * @param onClose run once when the connection is closed, on the worker's thread
     */
    Connection(Worker worker, SocketChannel channel, ClientRegistry registry, ServerSettings settings,
            Runnable onClose) {
        this.worker = worker;
        this.channel = channel;
        this.registry = registry;
        this.settings = settings;
        this.onClose = onClose;
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            remote = null;
        }
        this.peer = remote;
        this.who = AddressText.peer(remote);
    }

    String who() {
        return who;
    }

    /** Runs on the worker's thread once it adopted the connection. */
    void start() {
        LOG.info("TCP connection from: {}", who);
        try {
            key = worker.register(channel, this);
        } catch (IOException e) {
            LOG.debug("Closing connection from {}: {}", who, e.toString());
            close();
            return;
        }
        arm(settings.lineTimeout(), "the protocol version line");
    }

    void ready(SelectionKey readyKey) {
        if (state == State.DONE) {
            return;
        }
        if (readyKey.isWritable() && !flush()) {
            return;
        }
        if (state != State.DONE && readyKey.isReadable()) {
            readable();
        }
    }

    private void readable() {
        ByteBuffer buffer = worker.readBuffer();
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            readFailed(e);
            return;
        }
        if (n < 0) {
            ended();
        } else if (n > 0) {
            received(buffer.array(), 0, n);
        }
    }

    private void received(byte[] data, int offset, int length) {
        switch (state) {
            case LINE -> lineBytes(data, offset, length);
            case HANDSHAKE -> {
                try {
                    exchange.received(data, offset, length);
                } catch (TlsFailure e) {
                    handshakeFailed(e.getMessage());
                    return;
                }
                if (flush() && exchange.handshakeComplete()) {
                    if (exchange.peerGone()) {
                        // Data, close_notify or EOF right behind its Finished: nobody is left to decide for.
                        LOG.info("Connection from {} went away right after the TLS handshake; no secret", who);
                        close();
                        return;
                    }
                    handshakeDone();
                }
            }
            case DECIDING -> {
                try {
                    exchange.received(data, offset, length);
                } catch (TlsFailure e) {
                    LOG.debug("TLS failure from {} while waiting for approval: {}", who, e.getMessage());
                }
                if (exchange.peerGone()) {
                    wentAway();
                }
            }
            case CLOSING -> {
                try {
                    exchange.received(data, offset, length);
                } catch (TlsFailure e) {
                    closingFailed(e.getMessage());
                    return;
                }
                if (flush() && exchange.peerClosed()) {
                    closed();
                }
            }
            case DONE -> {
                // Nothing more to do.
            }
        }
    }

    private void ended() {
        switch (state) {
            case LINE -> {
                // What came before the end is the line, as the reference reads it.
                lineComplete(new byte[0], 0, 0);
                if (state == State.HANDSHAKE) {
                    ended();
                }
            }
            case HANDSHAKE -> {
                try {
                    exchange.inputEnded();
                    handshakeFailed("peer closed the connection during the TLS handshake");
                } catch (TlsFailure e) {
                    handshakeFailed(e.getMessage());
                }
            }
            case DECIDING -> wentAway();
            case CLOSING -> {
                try {
                    exchange.inputEnded();
                } catch (TlsFailure e) {
                    closingFailed(e.getMessage());
                    return;
                }
                closed();
            }
            case DONE -> {
                // Nothing more to do.
            }
        }
    }

    private void readFailed(IOException e) {
        switch (state) {
            case LINE -> {
                LOG.warn("Rejected connection from {}: {} while reading the protocol version line",
                        who, e.getMessage() == null ? e.toString() : e.getMessage());
                close();
            }
            case HANDSHAKE -> handshakeFailed(exchange.transportFailed(e, false).getMessage());
            case DECIDING -> wentAway();
            case CLOSING -> closingFailed(exchange.transportFailed(e, false).getMessage());
            case DONE -> {
                // Nothing more to do.
            }
        }
    }

    // The version line.

    private void lineBytes(byte[] data, int offset, int length) {
        int taken;
        try {
            taken = line.take(data, offset, length);
        } catch (VersionLine.Rejected e) {
            LOG.warn("Rejected connection from {}: {}", who, e.getMessage());
            close();
            return;
        }
        if (line.complete()) {
            lineComplete(data, offset + taken, length - taken);
        }
    }

    /** The line is in; {@code rest} (normally nothing: the peer waits for our hello) is TLS input. */
    private void lineComplete(byte[] rest, int offset, int length) {
        byte[] text = line.line();
        line = null;
        try {
            int version = VersionLine.parse(text);
            LOG.debug("Protocol version: {} from {}", version, who);
        } catch (VersionLine.Rejected e) {
            LOG.warn("Rejected connection from {}: {}", who, e.getMessage());
            close();
            return;
        }
        arm(settings.handshakeTimeout(), "the TLS handshake");
        try {
            exchange = RawKeyTlsClient.start(settings.policy(), worker.random());
        } catch (TlsFailure e) {
            handshakeFailed(e.getMessage());
            return;
        }
        state = State.HANDSHAKE;
        if (!flush()) {
            return;
        }
        if (length > 0) {
            received(rest, offset, length);
        }
    }

    // The handshake and the decision.

    private void handshakeFailed(String reason) {
        LOG.warn("Handshake failed with {}: {}", who, reason);
        sendAlertAndClose();
    }

    private void handshakeDone() {
        disarm();
        TlsPeer session = exchange.peer();
        LOG.debug("Key ID: {} from {} ({}, {})", session.keyId(), who, session.cipherSuite(),
                session.keyExchangeGroup());
        state = State.DECIDING;
        try {
            pending = registry.decide(session.keyId(), peer).toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.error("No decision for {}: {}", who, e.toString());
            decided(Decision.refuse("", Decision.Refusal.CANCELLED));
            return;
        }
        if (pending.isDone()) {
            decisionArrived();
        } else {
            // An approval delay: the peer's bytes (or its going away) are watched meanwhile.
            pending.whenComplete((d, e) -> worker.execute(this::decisionArrived));
        }
    }

    private void decisionArrived() {
        if (state != State.DECIDING) {
            return;
        }
        Decision result;
        try {
            result = pending.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            LOG.error("No decision for {}: {}", who, (e.getCause() != null ? e.getCause() : e).toString());
            result = Decision.refuse("", Decision.Refusal.CANCELLED);
        }
        decided(result);
    }

    /** A client that goes away while it waits for an approval stops the wait (the reference waited on). */
    private void wentAway() {
        if (pending != null) {
            pending.cancel(true);
        }
        LOG.info("Connection from {} went away while waiting for approval", who);
        LOG.info("No secret for {}: {}", who, Decision.Refusal.CANCELLED);
        close();
    }

    private void decided(Decision result) {
        decision = result;
        state = State.CLOSING;
        arm(settings.sendTimeout(), "sending the reply");
        if (!result.granted()) {
            LOG.info("No secret for {}: {}{}", who, result.refusal(),
                    result.clientName().isEmpty() ? "" : " (client " + result.clientName() + ")");
            try {
                exchange.closeWithoutData();
            } catch (TlsFailure e) {
                closingFailed(e.getMessage());
                return;
            }
        } else {
            byte[] secret = result.secret();
            try {
                LOG.info("Sending secret to {}", result.clientName());
                exchange.sendAndClose(secret);
            } catch (TlsFailure e) {
                LOG.warn("Sending the secret to {} at {} failed: {}", result.clientName(), who, e.getMessage());
                close();
                return;
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        flush();
    }

    // The close.

    /** The peer's close_notify came after ours: the reply was delivered, if all of it went out. */
    private void closed() {
        if (!allSent()) {
            closingFailed("peer closed the connection before the reply was sent");
            return;
        }
        if (decision.granted()) {
            registry.delivered(decision, peer);
        }
        close();
    }

    /**
     * The close did not complete. When every byte and our close_notify went out and only the peer's
     * close_notify is missing, the secret counts as sent (the reference counts it too: a failed bye is only
     * a warning).
     */
    private void closingFailed(String reason) {
        boolean allSent = allSent();
        if (!decision.granted()) {
            LOG.debug("Closing TLS with {}: {}", who, reason);
        } else if (allSent) {
            LOG.warn("Sent the secret to {} at {}, but the closing exchange failed: {}", decision.clientName(), who,
                    reason);
            registry.delivered(decision, peer);
        } else {
            LOG.warn("Sending the secret to {} at {} failed: {}", decision.clientName(), who, reason);
        }
        close();
    }

    private boolean allSent() {
        return unsent == null && exchange.outputAvailable() == 0;
    }

    // Deadlines.

    private void arm(Duration limit, String name) {
        phaseName = name;
        phaseLimit = limit;
        worker.arm(this, limit);
    }

    private void disarm() {
        phaseName = null;
        worker.disarm(this);
    }

    /** Runs when the current phase's deadline passed (the worker has removed it). */
    void expire() {
        String reason = phaseName + " took longer than " + phaseLimit.toMillis() / 1000.0 + " s";
        phaseName = null;
        switch (state) {
            case LINE -> {
                LOG.warn("Rejected connection from {}: {}", who, reason);
                close();
            }
            case HANDSHAKE -> {
                LOG.warn("Handshake failed with {}: {}", who, reason);
                close();
            }
            case CLOSING -> closingFailed(reason);
            case DECIDING, DONE -> close();
        }
    }

    // Output and closing.

    /**
     * Sends what the TLS exchange has for the peer. Returns false when the connection was closed because the
     * write failed; when the socket takes only part, the rest waits for the socket to become writable.
     */
    private boolean flush() {
        try {
            if (unsent != null) {
                channel.write(unsent);
                if (unsent.hasRemaining()) {
                    return true;
                }
                unsent = null;
                key.interestOps(SelectionKey.OP_READ);
            }
            ByteBuffer buffer = worker.writeBuffer();
            while (exchange != null && exchange.outputAvailable() > 0) {
                buffer.clear();
                exchange.takeOutput(buffer);
                buffer.flip();
                channel.write(buffer);
                if (buffer.hasRemaining()) {
                    unsent = ByteBuffer.allocate(buffer.remaining() + exchange.outputAvailable());
                    unsent.put(buffer);
                    exchange.takeOutput(unsent);
                    unsent.flip();
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return true;
                }
            }
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    private void writeFailed(IOException e) {
        switch (state) {
            case HANDSHAKE -> handshakeFailed(exchange.transportFailed(e, true).getMessage());
            case CLOSING -> closingFailed(exchange.transportFailed(e, true).getMessage());
            default -> {
                LOG.debug("Closing connection from {}: {}", who, e.toString());
                close();
            }
        }
    }

    /** After a handshake failure: the alert goes out if the socket takes it at once, then the close. */
    private void sendAlertAndClose() {
        if (exchange != null && exchange.outputAvailable() > 0 && unsent == null) {
            ByteBuffer buffer = worker.writeBuffer();
            buffer.clear();
            exchange.takeOutput(buffer);
            buffer.flip();
            try {
                channel.write(buffer);
            } catch (IOException e) {
                LOG.debug("Sending the alert to {}: {}", who, e.toString());
            }
        }
        close();
    }

    /** Closes at once, without telling the peer anything more (internal error, shutdown). */
    void abort() {
        if (pending != null) {
            pending.cancel(true);
        }
        close();
    }

    private void close() {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        disarm();
        unsent = null;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing connection from {}: {}", who, e.toString());
        }
        onClose.run();
    }
}

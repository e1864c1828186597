package org.mandos.server.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mandos.api.ClientRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Mandos client connections on the listening sockets the launcher bound (registered as
 * {@link ServerSocketChannel} services with {@code mandos.listen=true}) and serves each one on a
 * connection thread, at most {@code mandos.max_connections} at a time.
 *
 * <p>Once it accepts on every socket it registers itself with {@value #ACCEPTING}{@code =true}, which is
 * how the launcher knows the server is ready.
 */
@Component(service = {}, immediate = true)
public final class MandosServer {

    static final String ACCEPTING = "mandos.accepting";

    private static final Logger LOG = LoggerFactory.getLogger(MandosServer.class);

    private final ClientRegistry registry;
    private final ServerSettings settings;
    /**
     * One DRBG per connection thread: the default NativePRNG funnels every thread through two global
     * locks, which with many connections on few cores became the main point of contention.
     */
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(MandosServer::newRandom);
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor connections;
    private final HandshakeSlots handshakeSlots;
    private final Map<ServerSocketChannel, Thread> acceptors = new ConcurrentHashMap<>();
    private final AtomicInteger threadCount = new AtomicInteger();
    private ServiceRegistration<MandosServer> readiness;

    @Activate
    public MandosServer(BundleContext context, @Reference ClientRegistry registry) {
        this.registry = registry;
        this.settings = ServerSettings.from(context::getProperty);
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, daemon("mandos-deadlines"));
        deadlines.setRemoveOnCancelPolicy(true);
        this.timer = deadlines;
        this.handshakeSlots = new HandshakeSlots(settings.handshakeSlots());
        this.connections = new ThreadPoolExecutor(0, settings.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "mandos-connection-" + threadCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Activate
    void activate(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ACCEPTING, Boolean.TRUE);
        readiness = context.registerService(MandosServer.class, this, properties);
    }

    @Deactivate
    void deactivate() {
        if (readiness != null) {
            readiness.unregister();
        }
        acceptors.values().forEach(Thread::interrupt);
        connections.shutdownNow();
        timer.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(mandos.listen=true)")
    void addListenSocket(ServerSocketChannel channel) {
        Thread acceptor = new Thread(() -> accept(channel), "mandos-accept-" + describe(channel));
        acceptor.setDaemon(true);
        acceptors.put(channel, acceptor);
        acceptor.start();
    }

    void removeListenSocket(ServerSocketChannel channel) {
        Thread acceptor = acceptors.remove(channel);
        if (acceptor != null) {
            acceptor.interrupt();
        }
    }

    private void accept(ServerSocketChannel channel) {
        LOG.debug("Accepting connections on {}", describe(channel));
        while (acceptors.containsKey(channel) && channel.isOpen()) {
            Socket socket;
            try {
                socket = channel.accept().socket();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.error("Accepting a connection on {} failed: {}", describe(channel), e.toString());
                pauseAfterAcceptFailure();
                continue;
            }
            try {
                // Without it, each small TLS record waits for a delayed ACK (about 40 ms on loopback).
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                LOG.debug("TCP_NODELAY: {}", e.toString());
            }
            try {
                connections.execute(new Connection(socket, registry, settings, timer, random::get, handshakeSlots));
            } catch (RejectedExecutionException e) {
                LOG.warn("Rejected connection from {}: {} connections already open",
                        AddressText.peer((java.net.InetSocketAddress) socket.getRemoteSocketAddress()),
                        settings.maxConnections());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Nothing more to do for a connection we refuse.
                }
            }
        }
    }

    static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** Out of file descriptors, say: back off briefly rather than spin. */
    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(ServerSocketChannel channel) {
        try {
            return String.valueOf(channel.getLocalAddress());
        } catch (IOException e) {
            return channel.toString();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

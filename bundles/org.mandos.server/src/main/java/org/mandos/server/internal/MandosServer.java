package org.mandos.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@link ServerSocketChannel} services with {@code mandos.listen=true}) and serves them on the connection
 * threads ({@link Worker}s, one per processor by default), at most {@code mandos.max_connections} at a time and {@code mandos.max_connections_per_peer} from one
 * address ({@link Admission}).
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
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicInteger nextWorker = new AtomicInteger();
    private final Admission admission;
    private final Map<ServerSocketChannel, Thread> acceptors = new ConcurrentHashMap<>();
    private ServiceRegistration<MandosServer> readiness;

    @Activate
    public MandosServer(BundleContext context, @Reference ClientRegistry registry) throws IOException {
        this.registry = registry;
        this.settings = ServerSettings.from(context::getProperty);
        this.admission = new Admission(settings.maxConnections(), settings.maxConnectionsPerPeer(), System::nanoTime);
        try {
            for (int i = 1; i <= settings.connectionThreads(); i++) {
                // Each thread has its own DRBG: one shared generator would be a point of contention.
                Worker worker = new Worker(System::nanoTime, newRandom());
                Thread thread = new Thread(worker, "mandos-connections-" + i);
                thread.setDaemon(true);
                workers.add(worker);
                thread.start();
            }
        } catch (IOException e) {
            workers.forEach(Worker::stop);
            throw e;
        }
    }

    @Activate
    void activate(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ACCEPTING, Boolean.TRUE);
        readiness = context.registerService(MandosServer.class, this, properties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (readiness != null) {
            readiness.unregister();
        }
        acceptors.values().forEach(Thread::interrupt);
        workers.forEach(Worker::stop);
        for (Worker worker : workers) {
            worker.join(5_000);
        }
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
            SocketChannel socket;
            try {
                socket = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.error("Accepting a connection on {} failed: {}", describe(channel), e.toString());
                pauseAfterAcceptFailure();
                continue;
            }
            InetSocketAddress peer;
            try {
                peer = (InetSocketAddress) socket.getRemoteAddress();
            } catch (IOException e) {
                // Gone before we looked: nothing to serve.
                closeQuietly(socket);
                continue;
            }
            Admission.Refusal refusal = admission.admit(peer.getAddress());
            if (refusal != null) {
                closeQuietly(socket);
                String why = admission.report(refusal);
                if (why != null) {
                    LOG.warn("Rejected connection from {}: {}", AddressText.peer(peer), why);
                }
                continue;
            }
            try {
                // Without it, each small TLS record waits for a delayed ACK (about 40 ms on loopback).
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                LOG.debug("TCP_NODELAY: {}", e.toString());
            }
            Worker worker = workers.get(Math.floorMod(nextWorker.getAndIncrement(), workers.size()));
            worker.adopt(new Connection(worker, socket, registry, settings, () -> admission.release(peer.getAddress())));
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do for a connection we refuse.
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
}

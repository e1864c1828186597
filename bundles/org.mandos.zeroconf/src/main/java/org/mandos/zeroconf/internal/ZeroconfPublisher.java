package org.mandos.zeroconf.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mandos.api.Announcer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the server with Zeroconf: follows the listening sockets the launcher registered
 * ({@link ServerSocketChannel} services with {@code mandos.listen=true}) and the {@link Announcer}
 * services, and lets {@link Publication} decide what to announce through which announcer. Its settings
 * are framework properties ({@link PublisherSettings}). Every call to an announcer is made from this
 * component's single thread ({@code mandos-zeroconf}), never concurrently.
 */
@Component(service = {}, immediate = true)
public final class ZeroconfPublisher {

    /** The longest deactivation waits for the announcement to be withdrawn. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(ZeroconfPublisher.class);

    private final ExecutorService thread;
    private final Publication publication;

    @Activate
    public ZeroconfPublisher(BundleContext context) {
        this(PublisherSettings.from(context::getProperty), Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mandos-zeroconf");
            t.setDaemon(true);
            return t;
        }));
    }

    ZeroconfPublisher(PublisherSettings settings, ExecutorService thread) {
        this.thread = thread;
        this.publication = new Publication(settings);
    }

    @Deactivate
    void deactivate() {
        run(publication::close);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The Zeroconf announcement is still being withdrawn after {} s; not waiting any longer",
                        STOP_WAIT.toSeconds());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(mandos.listen=true)")
    void addListenSocket(ServerSocketChannel channel) {
        int port = port(channel);
        if (port > 0) {
            run(() -> publication.listenerAdded(channel, port));
        } else {
            LOG.warn("A listening socket has no port; it is not announced");
        }
    }

    void removeListenSocket(ServerSocketChannel channel) {
        run(() -> publication.listenerRemoved(channel));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAnnouncer(Announcer announcer, Map<String, Object> properties) {
        String name = name(properties.get(Announcer.NAME));
        run(() -> publication.announcerAdded(announcer, name));
    }

    void removeAnnouncer(Announcer announcer) {
        run(() -> publication.announcerRemoved(announcer));
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Zeroconf announcement: unexpected failure", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("The Zeroconf publisher is stopped");
        }
    }

    static int port(ServerSocketChannel channel) {
        try {
            SocketAddress local = channel.getLocalAddress();
            return local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String name(Object property) {
        if (property instanceof String s) {
            return s;
        }
        if (property instanceof String[] a) {
            return a.length > 0 ? a[0] : null;
        }
        return property == null ? null : property.toString();
    }
}

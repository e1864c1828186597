package org.mandos.store.file.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientStore;
import org.mandos.config.ConfigException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ClientStore}: {@code <configdir>/clients.conf}, watched for changes. The
 * configuration directory comes from the framework property {@value #CONFIGDIR_PROPERTY}, set by the
 * launcher. After an edit (settled for {@link #SETTLE_MILLIS} ms) the file is read again; a changed
 * client list is announced by a new {@link ClientStore#GENERATION}, and the registry keeps the runtime
 * state of every client whose definition did not change.
 *
 * <p>The store registers its service itself (rather than through Declarative Services) because it
 * changes its service properties to announce a reload.
 */
@Component(service = {}, immediate = true)
public final class ClientsConfStore implements ClientStore {

    static final String CONFIGDIR_PROPERTY = "mandos.configdir";
    /** Editors write in several steps; wait for the file to settle before reading it. */
    static final long SETTLE_MILLIS = 300;

    private static final Logger LOG = LoggerFactory.getLogger(ClientsConfStore.class);

    private final FileClientStore store;
    private final AtomicLong generation = new AtomicLong();
    private final ServiceRegistration<ClientStore> registration;
    private final WatchService watcher;
    private final Thread watching;

    @Activate
    public ClientsConfStore(BundleContext context) throws ConfigException, IOException {
        String dir = context.getProperty(CONFIGDIR_PROPERTY);
        Path configdir = Path.of(dir == null || dir.isEmpty() ? "/etc/mandos" : dir).toAbsolutePath();
        this.store = new FileClientStore(configdir.resolve("clients.conf"), System.getenv());
        this.registration = context.registerService(ClientStore.class, this, properties());
        this.watcher = FileSystems.getDefault().newWatchService();
        configdir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.watching = new Thread(this::watch, "mandos-clients-conf-watch");
        watching.setDaemon(true);
        watching.start();
    }

    private Dictionary<String, Object> properties() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(ClientStore.NAME, "clients.conf");
        p.put(ClientStore.GENERATION, generation.get());
        return p;
    }

    @Deactivate
    void deactivate() throws IOException {
        watcher.close();
        watching.interrupt();
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The framework is stopping and took the registration down first.
        }
    }

    private void watch() {
        String name = store.file().getFileName().toString();
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = key.pollEvents().stream().anyMatch(e -> name.equals(String.valueOf(e.context())));
                key.reset();
                if (!ours) {
                    continue;
                }
                // Let the editor finish: swallow the burst of events one save makes.
                WatchKey more;
                while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    more.reset();
                }
                reload();
            }
        } catch (InterruptedException | ClosedWatchServiceException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the file again and, if the clients changed, tells the registry. */
    void reload() {
        if (store.reload()) {
            generation.incrementAndGet();
            try {
                registration.setProperties(properties());
            } catch (IllegalStateException stopping) {
                LOG.debug("Not announcing a reload while stopping");
            }
        }
    }

    @Override
    public List<ClientDefinition> clients() {
        return store.clients();
    }
}

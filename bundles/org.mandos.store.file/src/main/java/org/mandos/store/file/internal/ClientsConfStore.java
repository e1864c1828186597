package org.mandos.store.file.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientStore;
import org.mandos.api.ReloadableClientStore;
import org.mandos.config.ClientsFile;
import org.mandos.config.ConfigException;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ClientStore}: {@code <configdir>/clients.conf} and {@code <configdir>/clients.d/*.conf},
 * watched for changes. The configuration directory comes from the framework property
 * {@value #CONFIGDIR_PROPERTY}, set by the launcher. After an edit (settled for {@link #SETTLE_MILLIS} ms)
 * the files are read again; a changed client list is announced by a new {@link ClientStore#GENERATION},
 * and the registry keeps the runtime state of every client whose definition did not change. An explicit
 * {@link #reload()} (SIGHUP, the shell) does the same at once.
 *
 * <p>The store registers its service itself (rather than through Declarative Services) because it
 * changes its service properties to announce a reload.
 */
@Component(service = {}, immediate = true)
@Header(name = "Mandos-Start-Rank", value = "1") // started before the other Mandos bundles: see the launcher
public final class ClientsConfStore implements ReloadableClientStore {

    static final String CONFIGDIR_PROPERTY = "mandos.configdir";
    /** Editors write in several steps; wait for the files to settle before reading them. */
    static final long SETTLE_MILLIS = 300;

    private static final Logger LOG = LoggerFactory.getLogger(ClientsConfStore.class);

    private final FileClientStore store;
    private final Path configdir;
    private final AtomicLong generation = new AtomicLong();
    private final ServiceRegistration<?> registration;
    private final WatchService watcher;
    private final Thread watching;
    /** The key of the clients.d watch, or null while that directory does not exist. */
    private volatile WatchKey dropInKey;

    @Activate
    public ClientsConfStore(BundleContext context) throws ConfigException, IOException {
        String dir = context.getProperty(CONFIGDIR_PROPERTY);
        this.configdir = Path.of(dir == null || dir.isEmpty() ? "/etc/mandos" : dir).toAbsolutePath();
        FileClientStore loaded;
        try {
            loaded = new FileClientStore(configdir, System.getenv());
        } catch (ConfigException e) {
            // This first load is the start-up check of clients.conf: during start-up the launcher reports
            // it as the one line of the failed start and stops; afterwards the activation fails as usual.
            if (!StartupProblems.report(context, e.getMessage())) {
                throw e;
            }
            this.store = null;
            this.registration = null;
            this.watcher = null;
            this.watching = null;
            return;
        }
        this.store = loaded;
        this.registration = context.registerService(
                new String[] {ClientStore.class.getName(), ReloadableClientStore.class.getName()}, this, properties());
        this.watcher = FileSystems.getDefault().newWatchService();
        configdir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        watchDropIns();
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

    /** Starts watching clients.d if it exists and is not watched yet. */
    private synchronized void watchDropIns() {
        Path dropIns = configdir.resolve(ClientsFile.DROP_IN_DIRECTORY);
        if ((dropInKey == null || !dropInKey.isValid()) && Files.isDirectory(dropIns)) {
            try {
                dropInKey = dropIns.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            } catch (IOException | ClosedWatchServiceException e) {
                LOG.warn("Cannot watch {} for changes: {}", dropIns, e.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (store == null) {
            return; // the first load failed and was reported to the launcher
        }
        watcher.close();
        watching.interrupt();
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // The framework is stopping and took the registration down first.
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean relevant = relevant(key);
                key.reset();
                if (!relevant) {
                    continue;
                }
                // Let the editor finish: swallow the burst of events one save makes.
                WatchKey more;
                while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    relevant(more);
                    more.reset();
                }
                watchDropIns();
                try {
                    announce(store.reload());
                } catch (ConfigException e) {
                    LOG.error("Rejected the edited client configuration; the previous one stays in force: {}",
                            e.getMessage());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the events of a key concern clients.conf, the clients.d directory or a file in it. */
    private boolean relevant(WatchKey key) {
        boolean inDropIns = key == dropInKey;
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            String name = String.valueOf(event.context());
            relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                    || (inDropIns ? name.endsWith(".conf") && !name.startsWith(".")
                            : name.equals("clients.conf") || name.equals(ClientsFile.DROP_IN_DIRECTORY));
        }
        return relevant;
    }

    private void announce(boolean changed) {
        if (changed) {
            generation.incrementAndGet();
            try {
                registration.setProperties(properties());
            } catch (IllegalStateException stopping) {
                LOG.debug("Not announcing a reload while stopping");
            }
        }
    }

    /** Reads the files again now; a file that does not parse is thrown, the previous clients staying. */
    @Override
    public boolean reload() throws ConfigException {
        watchDropIns();
        boolean changed = store.reload();
        announce(changed);
        return changed;
    }

    @Override
    public List<ClientDefinition> clients() {
        return store.clients();
    }
}

package org.mandos.sample.store.directory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.mandos.api.ClientDefinition;
import org.mandos.api.ClientStore;
import org.mandos.api.ReloadableClientStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReloadableClientStore} whose clients are the files {@code NAME.conf} of one directory, each in
 * the option syntax of a {@code clients.conf} section (see {@link ClientFileParser}). Configured through
 * Configuration Admin under the PID {@value #PID} (see {@link DirectoryStoreConfig}); without a
 * configuration the component does not start. The directory is watched: after changes have settled for
 * {@code settle_millis} it is read again, and changed definitions are announced by a new
 * {@link ClientStore#GENERATION}.
 *
 * <p>The component registers its service itself, rather than through Declarative Services, because it
 * changes its service properties to announce new definitions.
 */
@Component(configurationPid = DirectoryClientStore.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = DirectoryStoreConfig.class)
public final class DirectoryClientStore implements ReloadableClientStore {

    /** The Configuration Admin PID, also the component's name. */
    public static final String PID = "org.mandos.sample.store.directory";

    /** How often the watcher checks that the directory is (still) there when nothing happens. */
    static final long RECHECK_MILLIS = 2_000;
    private static final long STOP_WAIT_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryClientStore.class);

    /** A validated configuration. */
    record Settings(Path directory, String name, long settleMillis) {

        static Settings of(DirectoryStoreConfig config) {
            String dir = config.directory();
            if (dir == null || dir.isBlank()) {
                throw new IllegalArgumentException("the configuration property \"directory\" is not set");
            }
            Path path;
            try {
                path = Path.of(dir.strip());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("directory " + Text.quote(dir) + " is not a valid path");
            }
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("directory " + Text.quote(dir) + " is not an absolute path");
            }
            String name = config.name() == null ? "" : config.name().strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("the configuration property \"name\" is empty");
            }
            long settle = config.settle__millis();
            if (settle < 0) {
                throw new IllegalArgumentException("settle_millis must not be negative: " + settle);
            }
            return new Settings(path.normalize(), name, settle);
        }
    }

    private final BundleContext context;
    private final ClientFileParser parser;
    private final long recheckMillis;
    private final Object lock = new Object();

    private volatile ClientDirectory clients;
    // Guarded by lock:
    private Settings settings;
    private long generation;
    private ServiceRegistration<?> registration;
    private DirectoryWatcher watcher;

    @Activate
    public DirectoryClientStore(BundleContext context, DirectoryStoreConfig config) throws IOException {
        this(context, config, new ClientFileParser(System.getenv(), Path.of("/etc/passwd")), RECHECK_MILLIS);
    }

    /** @param recheckMillis how often the watcher looks for the directory; 0: no watcher (for tests) */
    DirectoryClientStore(BundleContext context, DirectoryStoreConfig config, ClientFileParser parser,
            long recheckMillis) throws IOException {
        this.context = context;
        this.parser = parser;
        this.recheckMillis = recheckMillis;
        Settings s;
        try {
            s = Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Directory client store ({}) not started: {}", PID, e.getMessage());
            throw e;
        }
        synchronized (lock) {
            settings = s;
            clients = new ClientDirectory(s.directory(), parser, ClientDirectory.SLF4J);
            clients.reloadOrReport();
            DirectoryWatcher w = newWatcher(s, clients);
            registration = context.registerService(
                    new String[] {ClientStore.class.getName(), ReloadableClientStore.class.getName()}, this,
                    properties());
            watcher = w;
            if (w != null) {
                w.start();
            }
        }
        LOG.info("Directory client store {} serves {} client(s) from {}", s.name(), clients.clients().size(),
                s.directory());
    }

    private DirectoryWatcher newWatcher(Settings s, ClientDirectory source) throws IOException {
        if (recheckMillis <= 0) {
            return null;
        }
        return new DirectoryWatcher(s.directory(), s.settleMillis(), recheckMillis, () -> changed(source));
    }

    /** A new configuration: another directory is read at once, a new name re-registers the service. */
    @Modified
    void modified(DirectoryStoreConfig config) {
        Settings next;
        try {
            next = Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Ignoring the new configuration of the directory client store ({}): {}", PID, e.getMessage());
            return;
        }
        DirectoryWatcher old;
        synchronized (lock) {
            if (next.equals(settings) || registration == null) {
                return;
            }
            old = watcher;
            watcher = null;
        }
        if (old != null) {
            old.stop(STOP_WAIT_MILLIS);
        }
        synchronized (lock) {
            Settings before = settings;
            settings = next;
            boolean changed = false;
            if (!next.directory().equals(before.directory())) {
                ClientDirectory fresh = new ClientDirectory(next.directory(), parser, ClientDirectory.SLF4J);
                fresh.reloadOrReport();
                changed = !fresh.clients().equals(clients.clients());
                clients = fresh;
            }
            if (!next.name().equals(before.name())) {
                // The registry knows a store by the name it had when it appeared.
                unregister();
                registration = context.registerService(
                        new String[] {ClientStore.class.getName(), ReloadableClientStore.class.getName()}, this,
                        properties());
            } else if (changed) {
                announce();
            }
            try {
                watcher = newWatcher(next, clients);
                if (watcher != null) {
                    watcher.start();
                }
            } catch (IOException e) {
                LOG.error("Directory client store {}: cannot watch {}, changes are read only on reload: {}",
                        next.name(), next.directory(), e.getMessage());
            }
            LOG.info("Directory client store {} reconfigured: {} client(s) from {}", next.name(),
                    clients.clients().size(), next.directory());
        }
    }

    @Deactivate
    void deactivate() {
        DirectoryWatcher w;
        synchronized (lock) {
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.stop(STOP_WAIT_MILLIS);
        }
        synchronized (lock) {
            unregister();
        }
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework is stopping and took the registration down first.
            }
            registration = null;
        }
    }

    /** The watcher saw the directory change. */
    private void changed(ClientDirectory source) {
        synchronized (lock) {
            if (source != clients || registration == null) {
                return; // a watcher of a directory we no longer serve
            }
            if (source.reloadOrReport()) {
                announce();
            }
        }
    }

    /** Guarded by lock. */
    private void announce() {
        generation++;
        if (registration != null) {
            try {
                registration.setProperties(properties());
            } catch (IllegalStateException stopping) {
                LOG.debug("Not announcing new definitions while stopping");
            }
        }
    }

    /** Guarded by lock. */
    private Dictionary<String, Object> properties() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(ClientStore.NAME, settings.name());
        p.put(ClientStore.GENERATION, generation);
        return p;
    }

    @Override
    public List<ClientDefinition> clients() {
        return clients.clients();
    }

    /**
     * Reads the directory now.
     *
     * @throws IOException when the directory itself cannot be read; the message names it. A file that
     *                     cannot be used is logged instead, and its previous definition stays in force.
     */
    @Override
    public boolean reload() throws IOException {
        synchronized (lock) {
            boolean changed = clients.reload();
            if (changed) {
                announce();
            }
            return changed;
        }
    }

    /** The generation last announced. */
    long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    @Override
    public String toString() {
        ClientDirectory c = clients;
        return "DirectoryClientStore[" + (c == null ? "" : c.directory()) + "]";
    }
}

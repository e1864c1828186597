package org.mandos.dbus.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandos.api.ClientEvent;
import org.mandos.api.ClientListener;
import org.mandos.api.ClientRegistry;
import org.mandos.api.ClientStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.mandos.config.SystemBusAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The D-Bus control interface (behaviour §5): on the system bus, unless the framework property
 * {@code mandos.use_dbus} is {@code false}, it owns {@code se.recompile.Mandos} and
 * {@code se.bsnet.fukt.Mandos}, exports {@code /} and one object per client, and turns the registry's
 * events into signals. When the bus or a name is not available it logs one warning and the server runs
 * without D-Bus. Everything it does with the bus happens on its one thread, {@code mandos-dbus};
 * method calls from the bus arrive on dbus-java's threads and go straight to the registry.
 */
@Component(service = ClientListener.class, immediate = true)
public final class DbusControl implements ClientListener, ServerObject.Clients {

    private static final Logger LOG = LoggerFactory.getLogger(DbusControl.class);
    static final String NAME = "se.recompile.Mandos";
    static final String LEGACY_NAME = "se.bsnet.fukt.Mandos";
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final Pattern PEER_ADDRESS = Pattern.compile("^\\('([^']*)'");

    private final ClientRegistry registry;
    private final ObjectPaths paths = new ObjectPaths();
    private final ExecutorService executor;
    /** Confined to the executor's thread (read by bus threads through {@link #objects()}, a copy). */
    private final Map<String, ClientObject> objects = new LinkedHashMap<>();
    private final Map<String, Map<String, Variant<?>>> lastProperties = new LinkedHashMap<>();
    private volatile DBusConnection connection;

    @Activate
    public DbusControl(BundleContext context, @Reference ClientRegistry registry) {
        this.registry = registry;
        if ("false".equalsIgnoreCase(String.valueOf(context.getProperty("mandos.use_dbus")).strip())) {
            LOG.debug("D-Bus control interface disabled");
            executor = null;
            return;
        }
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mandos-dbus");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::connect);
    }

    @Deactivate
    void deactivate() {
        if (executor == null) {
            return;
        }
        try {
            executor.submit(this::disconnect).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Stopping the D-Bus interface: {}", String.valueOf(e));
        }
        executor.shutdownNow();
        DBusConnection c = connection;
        if (c != null) {
            closeQuietly(c);
        }
    }

    private void connect() {
        List<String> addresses = SystemBusAddress.fromEnvironment();
        String problem = "";
        DBusConnection c = null;
        for (String address : addresses) {
            try {
                SystemBusAddress.requireSocket(address);
                c = DBusConnectionBuilder.forAddress(address).withShared(false)
                        .transportConfig()
                        .withServiceLoaderClassLoader(DbusControl.class.getClassLoader())
                        .withTimeout(CONNECT_TIMEOUT_MILLIS)
                        .back()
                        .build();
                break;
            } catch (DBusException | IOException | RuntimeException e) {
                problem = address + ": " + e.getMessage();
            }
        }
        if (c == null) {
            LOG.warn("Disabling D-Bus: cannot connect to the system bus ({}); the server runs without it", problem);
            return;
        }
        try {
            c.requestBusName(NAME);
            c.requestBusName(LEGACY_NAME);
            c.exportObject("/", new ServerObject(this));
            c.addFallback("/clients", new ClientsFallback(this::byPath));
        } catch (DBusException | RuntimeException e) {
            LOG.warn("Disabling D-Bus: cannot own {} and {} on the system bus ({}); the server runs without it",
                    NAME, LEGACY_NAME, e.getMessage());
            closeQuietly(c);
            return;
        }
        connection = c;
        LOG.info("D-Bus control interface on the system bus as {}", NAME);
        sync(true);
    }

    private void disconnect() {
        DBusConnection c = connection;
        if (c == null) {
            return;
        }
        for (ClientObject o : new ArrayList<>(objects.values())) {
            send(interfacesRemoved(o.getObjectPath()));
        }
        connection = null;
        closeQuietly(c);
    }

    private static void closeQuietly(DBusConnection c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the D-Bus connection: {}", e.getMessage());
        }
    }

    @Override
    public Set<ClientEvent.Type> eventTypes() {
        // With D-Bus off (use_dbus = no) nothing is exported: no event needs to reach this listener.
        return executor == null ? EnumSet.noneOf(ClientEvent.Type.class) : EnumSet.allOf(ClientEvent.Type.class);
    }

    @Override
    public void clientEvent(ClientEvent event) {
        if (executor == null || connection == null) {
            return;
        }
        try {
            executor.execute(() -> handle(event));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Exports and unexports client objects to match the registry, then announces changed properties. */
    private void sync(boolean startup) {
        DBusConnection c = connection;
        if (c == null) {
            return;
        }
        List<ClientStatus> clients = registry.clients();
        // A set: looking up each exported object in a list made every sync quadratic in the number of clients.
        java.util.Set<String> names = clients.stream().map(ClientStatus::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        for (String gone : new ArrayList<>(objects.keySet())) {
            if (!names.contains(gone)) {
                ClientObject o = objects.remove(gone);
                lastProperties.remove(gone);
                paths.release(gone);
                send(interfacesRemoved(o.getObjectPath()));
                DBusPath p = new DBusPath(o.getObjectPath());
                send(() -> new MandosServerInterface.ClientRemoved("/", p, gone));
                send(() -> new LegacyMandosServerInterface.ClientRemoved("/", p, gone));
            }
        }
        for (String name : names) {
            if (objects.containsKey(name)) {
                continue;
            }
            String path = paths.assign(name);
            ClientObject o = new ClientObject(registry, name, path);
            objects.put(name, o);
            Map<String, Variant<?>> p = o.properties();
            lastProperties.put(name, p);
            DBusPath dp = new DBusPath(path);
            send(() -> new ObjectManager.InterfacesAdded("/", dp, ServerObject.interfaces(p)));
            send(() -> new MandosServerInterface.ClientAdded("/", dp));
            send(() -> new LegacyMandosServerInterface.ClientAdded("/", dp));
        }
        if (!startup) {
            for (String name : names) {
                propertiesChanged(name);
            }
        }
    }

    private Sending interfacesRemoved(String path) {
        DBusPath p = new DBusPath(path);
        return () -> new ObjectManager.InterfacesRemoved("/", p,
                List.of("org.freedesktop.DBus.Properties", "org.freedesktop.DBus.Introspectable", ClientObject.IFACE,
                        ClientObject.LEGACY_IFACE));
    }

    /** Emits PropertyChanged (twice) and PropertiesChanged for each non-const property that changed. */
    private void propertiesChanged(String name) {
        ClientObject o = objects.get(name);
        if (o == null) {
            return;
        }
        Map<String, Variant<?>> now = o.properties();
        if (now.isEmpty()) {
            return;
        }
        Map<String, Variant<?>> before = lastProperties.getOrDefault(name, Map.of());
        lastProperties.put(name, now);
        String path = o.getObjectPath();
        for (var e : now.entrySet()) {
            if (Values.CONST.contains(e.getKey()) || Objects.equals(before.get(e.getKey()), e.getValue())) {
                continue;
            }
            String property = e.getKey();
            Variant<?> value = e.getValue();
            send(() -> new MandosClientInterface.PropertyChanged(path, property, value));
            send(() -> new LegacyMandosClientInterface.PropertyChanged(path, property, value));
            send(() -> new Properties.PropertiesChanged(path, ClientObject.IFACE, Map.of(property, value), List.of()));
        }
    }

    private void handle(ClientEvent event) {
        if (connection == null) {
            return;
        }
        switch (event.type()) {
            case CLIENT_NOT_FOUND -> {
                String address = address(event.peer());
                send(() -> new MandosServerInterface.ClientNotFound("/", event.keyId(), address));
                send(() -> new LegacyMandosServerInterface.ClientNotFound("/", event.keyId(), address));
                return;
            }
            case ADDED, REMOVED -> {
                sync(false);
                return;
            }
            default -> {
            }
        }
        String name = event.clientName();
        ClientObject o = objects.get(name);
        if (o == null) {
            sync(false);
            return;
        }
        propertiesChanged(name);
        String path = o.getObjectPath();
        switch (event.type()) {
            case SECRET_SENT -> {
                send(() -> new MandosClientInterface.GotSecret(path));
                send(() -> new LegacyMandosClientInterface.GotSecret(path));
            }
            case REJECTED -> {
                String reason = event.detail();
                send(() -> new MandosClientInterface.Rejected(path, reason));
                send(() -> new LegacyMandosClientInterface.Rejected(path, reason));
            }
            case NEED_APPROVAL -> registry.details(name).ifPresent(d -> {
                UInt64 delay = Values.millis(d.approvalDelay());
                boolean byDefault = d.approvedByDefault();
                send(() -> new MandosClientInterface.NeedApproval(path, delay, byDefault));
                send(() -> new LegacyMandosClientInterface.NeedApproval(path, delay, byDefault));
            });
            case CHECKER_STARTED -> registry.details(name).ifPresent(d -> {
                String command = d.checker();
                send(() -> new MandosClientInterface.CheckerStarted(path, command));
                send(() -> new LegacyMandosClientInterface.CheckerStarted(path, command));
            });
            case PROPERTY_CHANGED -> {
                if (event.detail().startsWith("secret=")) {
                    send(() -> new Properties.PropertiesChanged(path, ClientObject.IFACE, Map.of(), List.of("Secret")));
                }
            }
            case CHECKER_COMPLETED -> registry.client(name).ifPresent(s -> {
                short status = (short) s.lastCheckerStatus();
                long waitStatus = status >= 0 ? (long) status << 8 : status;
                String command = registry.details(name).map(d -> d.checker()).orElse("");
                send(() -> new MandosClientInterface.CheckerCompleted(path, status, waitStatus, command));
                send(() -> new LegacyMandosClientInterface.CheckerCompleted(path, status, waitStatus, command));
            });
            default -> {
            }
        }
    }

    /** The IP address in a peer as events show it ({@code ('::1', 4711)}), or the text itself. */
    static String address(String peer) {
        Matcher m = PEER_ADDRESS.matcher(peer);
        return m.find() ? m.group(1) : peer;
    }

    /** A signal to build and send; building can fail, which is logged. */
    private interface Sending {
        DBusSignal signal() throws DBusException;
    }

    private void send(Sending sending) {
        DBusConnection c = connection;
        if (c == null) {
            return;
        }
        try {
            c.sendMessage(sending.signal());
        } catch (DBusException | RuntimeException e) {
            LOG.warn("Cannot send a D-Bus signal: {}", e.getMessage());
        }
    }

    // ---- ServerObject.Clients, called on dbus-java's threads ----

    @Override
    public List<ClientObject> objects() {
        List<ClientObject> list = new ArrayList<>();
        for (ClientStatus s : registry.clients()) {
            paths.path(s.name()).ifPresent(p -> list.add(new ClientObject(registry, s.name(), p)));
        }
        return list;
    }

    /** The client object of a path, for calls on dbus-java's threads. */
    ClientObject byPath(String path) {
        return paths.name(path).filter(n -> registry.client(n).isPresent())
                .map(n -> new ClientObject(registry, n, path)).orElse(null);
    }

    @Override
    public boolean remove(String path) {
        // The registry's REMOVED event unexports the object and sends InterfacesRemoved and ClientRemoved.
        return paths.name(path).map(registry::remove).orElse(false);
    }
}

package org.mandos.zeroconf.avahi.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.mandos.config.SystemBusAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the D-Bus system bus and what it tells about Avahi. On one thread of its own
 * ({@code mandos-avahi}) it connects (again every {@code retry} while there is no bus), follows
 * {@code NameOwnerChanged} of {@code org.freedesktop.Avahi} and Avahi's {@code StateChanged} signals,
 * feeds them to the {@link AvahiPublication}, and tells its {@link Availability} when Avahi becomes
 * usable (on the bus and RUNNING) and when it stops being so. It never starts Avahi: it calls Avahi only
 * once the name has an owner, so D-Bus activation is not triggered.
 */
final class AvahiLink {

    /** Told on the link's thread when the Avahi announcer can be offered, and when no longer. */
    interface Availability {
        void available();

        void unavailable();
    }

    private static final Logger LOG = LoggerFactory.getLogger(AvahiLink.class);
    private static final String DBUS_NAME = "org.freedesktop.DBus";
    private static final String DBUS_PATH = "/org/freedesktop/DBus";
    /** How long dbus-java tries to connect to a socket that refuses (it retries every 500 ms). */
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final List<String> addresses;
    private final Duration retry;
    private final AvahiPublication publication;
    private final Availability availability;
    private final ScheduledExecutorService executor;
    private volatile boolean stopped;
    private volatile int connectAttempts;

    // Confined to the executor's thread:
    private DBusConnection connection;
    /** Counts connections, so that callbacks of a closed one are ignored. */
    private long epoch;
    private boolean avahiPresent;
    private boolean available;
    private boolean missingBusReported;
    private boolean missingAvahiReported;

    AvahiLink(List<String> addresses, Duration retry, AvahiPublication publication, Availability availability) {
        this.addresses = List.copyOf(addresses);
        this.retry = retry;
        this.publication = publication;
        this.availability = availability;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mandos-avahi");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects in the background. */
    void start() {
        executor.execute(this::connect);
    }

    /**
     * Withdraws the announcement, makes the announcer unavailable and closes the connection, in that
     * order (so that another announcer taking over never overlaps with ours), then ends the thread.
     */
    void stop() {
        stopped = true;
        Future<?> closing = executor.submit(() -> {
            publication.close();
            setAvailable(false, "stopping");
            closeConnection();
        });
        try {
            closing.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("Stopping the Avahi announcer failed: {}", String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            LOG.warn("Stopping the Avahi announcer timed out; closing its D-Bus connection anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                closeConnection();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many times the link tried to connect to the bus (for tests). */
    int connectAttempts() {
        return connectAttempts;
    }

    /** Runs a task on the link's thread, unless the connection it belongs to is gone by then. */
    private void post(long taskEpoch, Runnable task) {
        try {
            executor.execute(() -> {
                if (!stopped && taskEpoch == epoch && connection != null) {
                    guarded(task);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // stop() ended the thread; nothing is followed any more
        }
    }

    private void schedule(Runnable task, Duration delay) {
        if (stopped) {
            return;
        }
        try {
            executor.schedule(() -> guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stop() ended the thread
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Avahi announcer: unexpected failure", e);
        }
    }

    private void connect() {
        if (stopped || connection != null) {
            return;
        }
        connectAttempts++;
        DBusConnection c = null;
        Exception failure = null;
        long connecting = epoch + 1;
        for (String address : addresses) {
            try {
                c = open(address, connecting);
                break;
            } catch (DBusException | IOException | RuntimeException e) {
                failure = e;
            }
        }
        if (c == null) {
            String message = "No D-Bus system bus at " + String.join(";", addresses) + " (" + failure.getMessage()
                    + "); Avahi is not used for Zeroconf, trying again every " + seconds(retry);
            if (missingBusReported) {
                LOG.debug(message);
            } else {
                LOG.info(message);
                missingBusReported = true;
            }
            schedule(this::connect, retry);
            return;
        }
        missingBusReported = false;
        epoch = connecting;
        connection = c;
        long mine = epoch;
        try {
            // Closing the connection removes these handlers and their match rules.
            c.addSigHandler(DBus.NameOwnerChanged.class, s -> post(mine, () -> ownerChanged(s)));
            c.addSigHandler(AvahiServerDbus.StateChanged.class, s -> post(mine, () -> serverState(s.state, s.error)));
            c.addSigHandler(AvahiEntryGroupDbus.StateChanged.class,
                    s -> post(mine, () -> publication.groupState(s.getPath(), s.state, s.error)));
            DBus bus = c.getRemoteObject(DBUS_NAME, DBUS_PATH, DBus.class);
            if (bus.NameHasOwner(AvahiServerDbus.BUS_NAME)) {
                avahiAppeared();
            } else if (!missingAvahiReported) {
                missingAvahiReported = true;
                LOG.info("Avahi is not on the D-Bus system bus; the Avahi announcer is offered once it is");
            }
        } catch (DBusException | RuntimeException e) {
            lost("cannot follow Avahi on the D-Bus system bus: " + e.getMessage());
        }
    }

    /** A private (not shared) connection whose transport is found through this bundle's class loader. */
    private DBusConnection open(String address, long connecting) throws DBusException, IOException {
        // dbus-java retries a failed connect for its whole timeout: a missing socket is known at once.
        SystemBusAddress.requireSocket(address);
        return DBusConnectionBuilder.forAddress(address)
                .withShared(false)
                .withDisconnectCallback(new IDisconnectCallback() {
                    @Override
                    public void disconnectOnError(IOException e) {
                        post(connecting, () -> lost("lost the D-Bus system bus connection: " + e.getMessage()));
                    }

                    @Override
                    public void exceptionOnTerminate(IOException e) {
                        disconnectOnError(e);
                    }
                })
                .transportConfig()
                .withServiceLoaderClassLoader(AvahiLink.class.getClassLoader())
                .withTimeout(CONNECT_TIMEOUT_MILLIS)
                .back()
                .build();
    }

    private void ownerChanged(DBus.NameOwnerChanged signal) {
        if (!AvahiServerDbus.BUS_NAME.equals(signal.name)) {
            return;
        }
        if (signal.oldOwner != null && !signal.oldOwner.isEmpty() && avahiPresent) {
            avahiPresent = false;
            publication.detach();
            setAvailable(false, "Avahi left the D-Bus system bus");
        }
        if (signal.newOwner != null && !signal.newOwner.isEmpty()) {
            avahiAppeared();
        }
    }

    private void avahiAppeared() {
        missingAvahiReported = false;
        DbusAvahi avahi;
        int state;
        try {
            avahi = new DbusAvahi(connection);
            state = avahi.state();
        } catch (DBusException | AvahiException e) {
            LOG.warn("Avahi is on the D-Bus system bus but does not answer ({}); trying again in {}",
                    e.getMessage(), seconds(retry));
            long mine = epoch;
            schedule(() -> {
                if (!stopped && mine == epoch && connection != null && !avahiPresent) {
                    recheck();
                }
            }, retry);
            return;
        }
        avahiPresent = true;
        publication.attach(avahi);
        serverState(state, "");
    }

    private void recheck() {
        try {
            DBus bus = connection.getRemoteObject(DBUS_NAME, DBUS_PATH, DBus.class);
            if (bus.NameHasOwner(AvahiServerDbus.BUS_NAME)) {
                avahiAppeared();
            }
        } catch (DBusException | RuntimeException e) {
            lost("cannot follow Avahi on the D-Bus system bus: " + e.getMessage());
        }
    }

    /**
     * Avahi's server state. RUNNING offers the announcer (the publisher then announces through it); any
     * other state withdraws the service before the announcer goes away.
     */
    private void serverState(int state, String error) {
        if (!avahiPresent) {
            return;
        }
        if (state == AvahiPublication.SERVER_RUNNING) {
            setAvailable(true, null);
            publication.serverState(state, error);
        } else {
            publication.serverState(state, error);
            setAvailable(false, "Avahi server state " + state);
        }
    }

    private void lost(String reason) {
        avahiPresent = false;
        publication.detach();
        setAvailable(false, reason);
        closeConnection();
        LOG.info("Avahi announcer: {}; connecting again in {}", reason, seconds(retry));
        schedule(this::connect, retry);
    }

    private void setAvailable(boolean now, String reason) {
        if (now == available) {
            return;
        }
        available = now;
        if (now) {
            LOG.info("Avahi is running: the Avahi announcer is available");
            availability.available();
        } else {
            LOG.info("The Avahi announcer is unavailable: {}", reason);
            publication.suspend();
            availability.unavailable();
        }
    }

    private void closeConnection() {
        epoch++;
        DBusConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the D-Bus connection failed: {}", e.getMessage());
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}

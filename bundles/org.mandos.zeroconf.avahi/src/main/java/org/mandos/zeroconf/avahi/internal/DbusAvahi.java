package org.mandos.zeroconf.avahi.internal;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

/** {@link Avahi} over a D-Bus connection: calls to {@code org.freedesktop.Avahi} (its current owner). */
final class DbusAvahi implements Avahi {

    private static final UInt32 NO_FLAGS = new UInt32(0);
    private static final String DBUS_JAVA_ERRORS = "org.freedesktop.dbus.errors.";

    private final DBusConnection connection;
    private final AvahiServerDbus server;

    DbusAvahi(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.server = connection.getRemoteObject(AvahiServerDbus.BUS_NAME, AvahiServerDbus.PATH,
                AvahiServerDbus.class);
    }

    int state() throws AvahiException {
        return call(server::getState);
    }

    @Override
    public EntryGroup newEntryGroup() throws AvahiException {
        DBusPath path = call(server::entryGroupNew);
        try {
            return new Group(path.getPath(), connection.getRemoteObject(AvahiServerDbus.BUS_NAME, path.getPath(),
                    AvahiEntryGroupDbus.class));
        } catch (DBusException e) {
            throw new AvahiException(null, e.getMessage(), e);
        }
    }

    @Override
    public String alternativeServiceName(String name) throws AvahiException {
        return call(() -> server.getAlternativeServiceName(name));
    }

    private interface Call<T> {
        T call();
    }

    private static <T> T call(Call<T> call) throws AvahiException {
        try {
            return call.call();
        } catch (DBusExecutionException e) {
            throw new AvahiException(errorName(e), String.valueOf(e.getMessage()), e);
        }
    }

    /**
     * The D-Bus error name of a failed call, as far as dbus-java keeps it: the name of the exception's
     * class ({@link org.freedesktop.Avahi.CollisionError} for Avahi's collision, dbus-java's own
     * {@code org.freedesktop.dbus.errors} classes for the standard errors), or null when dbus-java knew no
     * class for it.
     */
    static String errorName(DBusExecutionException e) {
        if (e.getClass() == DBusExecutionException.class) {
            return null;
        }
        String type = e.getClass().getName();
        return type.startsWith(DBUS_JAVA_ERRORS)
                ? "org.freedesktop.DBus.Error." + type.substring(DBUS_JAVA_ERRORS.length()) : type;
    }

    private static void run(Runnable call) throws AvahiException {
        call(() -> {
            call.run();
            return null;
        });
    }

    private record Group(String path, AvahiEntryGroupDbus remote) implements EntryGroup {

        @Override
        public void addService(int interfaceIndex, int protocol, String name, String type, int port)
                throws AvahiException {
            run(() -> remote.addService(interfaceIndex, protocol, NO_FLAGS, name, type, "", "", new UInt16(port),
                    List.of()));
        }

        @Override
        public void commit() throws AvahiException {
            run(remote::commit);
        }

        @Override
        public void reset() throws AvahiException {
            run(remote::reset);
        }

        @Override
        public void free() throws AvahiException {
            run(remote::free);
        }
    }
}

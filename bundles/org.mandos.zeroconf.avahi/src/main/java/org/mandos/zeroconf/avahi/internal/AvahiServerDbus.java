package org.mandos.zeroconf.avahi.internal;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/** The methods and the signal of {@code org.freedesktop.Avahi.Server} (object {@code /}) that we use. */
@DBusInterfaceName("org.freedesktop.Avahi.Server")
public interface AvahiServerDbus extends DBusInterface {

    /** Avahi's well-known bus name. */
    String BUS_NAME = "org.freedesktop.Avahi";
    /** The server object's path. */
    String PATH = "/";

    @DBusMemberName("GetState")
    int getState();

    @DBusMemberName("EntryGroupNew")
    DBusPath entryGroupNew();

    @DBusMemberName("GetAlternativeServiceName")
    String getAlternativeServiceName(String name);

    /** {@code StateChanged(i state, s error)}. */
    class StateChanged extends DBusSignal {

        public final int state;
        public final String error;

        public StateChanged(String path, int state, String error) throws DBusException {
            super(path, state, error);
            this.state = state;
            this.error = error;
        }
    }
}

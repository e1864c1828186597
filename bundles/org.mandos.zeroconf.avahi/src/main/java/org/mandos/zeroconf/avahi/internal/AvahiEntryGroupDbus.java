package org.mandos.zeroconf.avahi.internal;

import java.util.List;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;

/** The methods and the signal of {@code org.freedesktop.Avahi.EntryGroup} that we use. */
@DBusInterfaceName("org.freedesktop.Avahi.EntryGroup")
public interface AvahiEntryGroupDbus extends DBusInterface {

    /** {@code AddService(i interface, i protocol, u flags, s name, s type, s domain, s host, q port, aay txt)}. */
    @DBusMemberName("AddService")
    void addService(int interfaceIndex, int protocol, UInt32 flags, String name, String type, String domain,
            String host, UInt16 port, List<byte[]> txt);

    @DBusMemberName("Commit")
    void commit();

    @DBusMemberName("Reset")
    void reset();

    @DBusMemberName("Free")
    void free();

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

package org.mandos.dbus.internal;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

/** The server object's interface {@code se.recompile.Mandos} (behaviour §5.2). */
@DBusInterfaceName("se.recompile.Mandos")
public interface MandosServerInterface extends DBusInterface {

    List<DBusPath> GetAllClients();

    Map<DBusPath, Map<String, Variant<?>>> GetAllClientsWithProperties();

    void RemoveClient(DBusPath objectPath);

    /** {@code ClientNotFound(s key_id, s address)}. */
    class ClientNotFound extends DBusSignal {
        public ClientNotFound(String path, String keyId, String address) throws DBusException {
            super(path, keyId, address);
        }
    }

    /** {@code ClientAdded(o objpath)}. */
    class ClientAdded extends DBusSignal {
        public ClientAdded(String path, DBusPath objectPath) throws DBusException {
            super(path, objectPath);
        }
    }

    /** {@code ClientRemoved(o objpath, s name)}. */
    class ClientRemoved extends DBusSignal {
        public ClientRemoved(String path, DBusPath objectPath, String name) throws DBusException {
            super(path, objectPath, name);
        }
    }
}

package org.mandos.dbus.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.types.Variant;

/** The object {@code /}: both copies of the server interface and the ObjectManager. */
public final class ServerObject implements MandosServerInterface, LegacyMandosServerInterface, ObjectManager {

    /** What the server object needs from its owner. */
    interface Clients {
        /** The exported client objects, in the registry's order. */
        List<ClientObject> objects();

        /** Removes the client with this path; false when there is none. */
        boolean remove(String path);
    }

    private final Clients clients;

    ServerObject(Clients clients) {
        this.clients = clients;
    }

    @Override
    public String getObjectPath() {
        return "/";
    }

    @Override
    public List<DBusPath> GetAllClients() {
        List<DBusPath> paths = new ArrayList<>();
        for (ClientObject c : clients.objects()) {
            paths.add(new DBusPath(c.getObjectPath()));
        }
        return paths;
    }

    @Override
    public Map<DBusPath, Map<String, Variant<?>>> GetAllClientsWithProperties() {
        Map<DBusPath, Map<String, Variant<?>>> all = new LinkedHashMap<>();
        for (ClientObject c : clients.objects()) {
            Map<String, Variant<?>> p = c.properties();
            if (!p.isEmpty()) {
                all.put(new DBusPath(c.getObjectPath()), p);
            }
        }
        return all;
    }

    @Override
    public void RemoveClient(DBusPath objectPath) {
        if (!clients.remove(objectPath.getPath())) {
            throw ClientObject.error("org.freedesktop.DBus.Python.KeyError", objectPath.getPath());
        }
    }

    @Override
    public Map<DBusPath, Map<String, Map<String, Variant<?>>>> GetManagedObjects() {
        Map<DBusPath, Map<String, Map<String, Variant<?>>>> all = new LinkedHashMap<>();
        for (ClientObject c : clients.objects()) {
            Map<String, Variant<?>> p = c.properties();
            if (!p.isEmpty()) {
                all.put(new DBusPath(c.getObjectPath()), interfaces(p));
            }
        }
        return all;
    }

    /** The four interfaces of a client object, as GetManagedObjects and InterfacesAdded list them. */
    static Map<String, Map<String, Variant<?>>> interfaces(Map<String, Variant<?>> properties) {
        Map<String, Map<String, Variant<?>>> i = new LinkedHashMap<>();
        i.put("org.freedesktop.DBus.Properties", Map.of());
        i.put("org.freedesktop.DBus.Introspectable", Map.of());
        i.put(ClientObject.IFACE, properties);
        i.put(ClientObject.LEGACY_IFACE, properties);
        return i;
    }
}

package org.mandos.ctl.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Error;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.mandos.config.SystemBusAddress;

/**
 * {@link MandosBus} over dbus-java on the system bus ({@code DBUS_SYSTEM_BUS_ADDRESS}, else the default
 * socket), with generic messages so that dictionaries keep the server's order. With {@code --debug} it
 * logs the same lines as the reference (which goes through dbus-python): {@code D-Bus: Connect to: …}
 * the first time an object is used, then each call with Python {@code repr()}s of its arguments.
 */
public final class DbusMandosBus implements MandosBus {

    private static final long REPLY_TIMEOUT_MS = 25_000;
    private static final String NO_REPLY = "Did not receive a reply. Possible causes include: the remote application"
            + " did not send a reply, the message bus security policy blocked the reply, the reply timeout expired,"
            + " or the network connection was broken.";

    private final Consumer<String> debug;
    private final Set<String> objects = new HashSet<>();
    private DBusConnection connection;

    /** {@code debug} receives the {@code --debug} lines, or is null. */
    public DbusMandosBus(Consumer<String> debug) {
        this.debug = debug;
    }

    private void log(String line) {
        if (debug != null) {
            debug.accept(line);
        }
    }

    private DBusConnection connection() throws ConnectFailed {
        if (connection != null) {
            return connection;
        }
        String failure = "";
        for (String address : SystemBusAddress.fromEnvironment()) {
            try {
                SystemBusAddress.requireSocket(address);
                connection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
                return connection;
            } catch (NoSuchFileException e) {
                failure = "Failed to connect to socket " + e.getFile() + ": No such file or directory";
            } catch (IOException | DBusException | RuntimeException e) {
                failure = SystemBusAddress.socketPath(address)
                        .map(p -> "Failed to connect to socket " + p + ": " + reason(e))
                        .orElse(reason(e));
            }
        }
        throw new ConnectFailed(failure);
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.toString();
        if (m.contains("Connection refused")) {
            return "Connection refused";
        }
        if (m.contains("Permission denied")) {
            return "Permission denied";
        }
        return m;
    }

    /** dbus-python's get_object: the first use of a path checks that the server's name has an owner. */
    private void object(String path) throws ConnectFailed {
        if (objects.contains(path)) {
            return;
        }
        DBusConnection c = connection();
        log("D-Bus: Connect to: (busname=" + PythonText.repr(BUS_NAME) + ", path=" + PythonText.repr(path) + ")");
        try {
            call(c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner", "s",
                    BUS_NAME);
        } catch (BusError e) {
            try {
                call(c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "StartServiceByName",
                        "su", BUS_NAME, new org.freedesktop.dbus.types.UInt32(0));
                call(c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner", "s",
                        BUS_NAME);
            } catch (BusError e2) {
                throw new ConnectFailed(e2.getMessage());
            }
        }
        objects.add(path);
    }

    private static Object[] call(DBusConnection c, String destination, String path, String iface, String member,
            String signature, Object... args) throws BusError {
        try {
            MethodCall call = c.getMessageFactory().createMethodCall(destination, path, iface, member, (byte) 0,
                    signature, args);
            c.sendMessage(call);
            Message reply = call.getReply(REPLY_TIMEOUT_MS);
            if (reply == null) {
                throw new BusError(NO_REPLY);
            }
            Object[] parameters = reply.getParameters();
            if (reply instanceof Error) {
                if (parameters != null && parameters.length > 0 && parameters[0] instanceof String m) {
                    throw new BusError(m);
                }
                throw new BusError(reply.getName());
            }
            return parameters == null ? new Object[0] : parameters;
        } catch (DBusException e) {
            throw new BusError(e.getMessage());
        }
    }

    private Object[] mandosCall(String path, String iface, String member, String signature, List<Object> reprArgs,
            Object... args) throws ConnectFailed, BusError {
        object(path);
        log("D-Bus: " + BUS_NAME + ":" + path + ":" + iface + "." + member + "("
                + reprArgs.stream().map(PythonText::reprValue).collect(Collectors.joining(", ")) + ")");
        return call(connection(), BUS_NAME, path, iface, member, signature, args);
    }

    @Override
    public LinkedHashMap<String, Map<String, Object>> clientsAndProperties() throws ConnectFailed, BusError {
        Object[] reply = mandosCall(SERVER_PATH, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", "",
                List.of());
        LinkedHashMap<String, Map<String, Object>> clients = new LinkedHashMap<>();
        if (reply.length == 0 || !(reply[0] instanceof Map<?, ?> objects)) {
            return clients;
        }
        for (Map.Entry<?, ?> object : objects.entrySet()) {
            if (object.getValue() instanceof Map<?, ?> interfaces
                    && interfaces.get(CLIENT_INTERFACE) instanceof Map<?, ?> properties) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (Map.Entry<?, ?> p : properties.entrySet()) {
                    values.put(String.valueOf(p.getKey()), plain(p.getValue()));
                }
                clients.put(String.valueOf(plain(object.getKey())), values);
            }
        }
        return clients;
    }

    /** A D-Bus value as the reference sees it after its type filter. */
    static Object plain(Object value) {
        Object v = value instanceof Variant<?> variant ? variant.getValue() : value;
        if (v instanceof UInt64 u) {
            return u.value().bitLength() < 64 ? (Object) u.longValue() : u.value();
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof org.freedesktop.dbus.types.UInt32 || v instanceof org.freedesktop.dbus.types.UInt16) {
            return ((Number) v).longValue();
        }
        if (v instanceof DBusPath p) {
            return p.getPath();
        }
        return v;
    }

    @Override
    public void setClientProperty(String path, String property, Object value) throws ConnectFailed, BusError {
        Variant<?> variant;
        if (value instanceof Long ms) {
            variant = ms >= 0 ? new Variant<>(new UInt64(ms)) : new Variant<>(ms);
        } else if (value instanceof byte[] bytes) {
            variant = new Variant<>(bytes, "ay");
        } else {
            variant = new Variant<>(value);
        }
        mandosCall(path, "org.freedesktop.DBus.Properties", "Set", "ssv", List.of(CLIENT_INTERFACE, property, value),
                CLIENT_INTERFACE, property, variant);
    }

    @Override
    public void callClientMethod(String path, String method, Object... args) throws ConnectFailed, BusError {
        mandosCall(path, CLIENT_INTERFACE, method, signature(args), List.of(args), args);
    }

    @Override
    public void callServerMethod(String method, Object... args) throws ConnectFailed, BusError {
        Object[] wire = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            wire[i] = args[i] instanceof String s && s.startsWith("/") ? new DBusPath(s) : args[i];
        }
        mandosCall(SERVER_PATH, SERVER_INTERFACE, method, signature(wire), List.of(args), wire);
    }

    private static String signature(Object[] args) {
        StringBuilder b = new StringBuilder();
        for (Object a : args) {
            b.append(a instanceof Boolean ? "b" : a instanceof DBusPath ? "o" : a instanceof Long ? "x" : "s");
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.disconnect();
            connection = null;
        }
    }
}

package org.mandos.dbus.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.mandos.api.ClientRegistry;

/**
 * The object {@code /clients/<escaped name>}: both copies of the client interface and Properties,
 * every call going to the {@link ClientRegistry}. Holds nothing but the name and path.
 */
public final class ClientObject implements MandosClientInterface, LegacyMandosClientInterface, Properties {

    static final String IFACE = "se.recompile.Mandos.Client";
    static final String LEGACY_IFACE = "se.bsnet.fukt.Mandos.Client";

    private final ClientRegistry registry;
    private final String name;
    private final String path;

    ClientObject(ClientRegistry registry, String name, String path) {
        this.registry = registry;
        this.name = name;
        this.path = path;
    }

    @Override
    public String getObjectPath() {
        return path;
    }

    /** Every readable property now (empty when the client is gone). */
    Map<String, Variant<?>> properties() {
        var status = registry.client(name);
        var details = registry.details(name);
        if (status.isEmpty() || details.isEmpty()) {
            return Map.of();
        }
        return Values.properties(status.get(), details.get(), path);
    }

    private void known(boolean found) {
        if (!found) {
            throw error("org.freedesktop.DBus.Python.KeyError", name);
        }
    }

    private static byte[] bytes(Object value) {
        Object v = Values.unwrap(value);
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof java.util.List<?> list) {
            byte[] b = new byte[list.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = ((Number) list.get(i)).byteValue();
            }
            return b;
        }
        throw new IllegalArgumentException("not an array of bytes");
    }

    /** dbus-java sends an exception's class name as the error name. */
    static DBusExecutionException error(String type, String message) {
        return switch (type) {
            case "org.freedesktop.DBus.Python.KeyError" -> new org.freedesktop.DBus.Python.KeyError(message);
            case "org.freedesktop.DBus.Python.DBusPropertyAccessException" ->
                new org.freedesktop.DBus.Python.DBusPropertyAccessException(message);
            case "org.freedesktop.DBus.Python.DBusPropertyNotFound" ->
                new org.freedesktop.DBus.Python.DBusPropertyNotFound(message);
            case "org.freedesktop.DBus.Error.NotSupported" -> new org.freedesktop.DBus.Error.NotSupported(message);
            case "org.freedesktop.DBus.Error.InvalidArgs" -> new org.freedesktop.DBus.Error.InvalidArgs(message);
            case "org.freedesktop.DBus.Error.UnknownObject" -> new org.freedesktop.DBus.Error.UnknownObject(message);
            default -> new DBusExecutionException(message);
        };
    }

    @Override
    public void Approve(boolean value) {
        known(registry.approve(name, value));
    }

    @Override
    public void CheckedOK() {
        known(registry.checkedOk(name));
    }

    @Override
    public void Enable() {
        known(registry.enable(name));
    }

    @Override
    public void Disable() {
        known(registry.disable(name));
    }

    @Override
    public void StartChecker() {
        known(registry.startChecker(name));
    }

    @Override
    public void StopChecker() {
        known(registry.stopChecker(name));
    }

    private void checkInterface(String iface, String property) {
        if (!iface.isEmpty() && !IFACE.equals(iface) && !LEGACY_IFACE.equals(iface)) {
            throw error("org.freedesktop.DBus.Python.DBusPropertyNotFound", path + ":" + iface + "." + property);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String property) {
        checkInterface(iface, property);
        if ("Secret".equals(property)) {
            throw error("org.freedesktop.DBus.Python.DBusPropertyAccessException", property);
        }
        Variant<?> v = properties().get(property);
        if (v == null) {
            throw error("org.freedesktop.DBus.Python.DBusPropertyNotFound", path + ":" + iface + "." + property);
        }
        return (A) v;
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        if (!iface.isEmpty() && !IFACE.equals(iface) && !LEGACY_IFACE.equals(iface)) {
            return Map.of();
        }
        return new LinkedHashMap<>(properties());
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
        checkInterface(iface, property);
        boolean found;
        try {
            found = switch (property) {
                case "Enabled" -> Values.bool(value) ? registry.enable(name) : registry.disable(name);
                case "CheckerRunning" -> Values.bool(value) ? registry.startChecker(name) : registry.stopChecker(name);
                case "LastCheckedOK" -> registry.checkedOk(name);
                case "Checker" -> registry.setChecker(name, Values.string(value));
                case "Host" -> registry.setHost(name, Values.string(value));
                case "Timeout" -> registry.setTimeout(name, Values.duration(value));
                case "Interval" -> registry.setInterval(name, Values.duration(value));
                case "ExtendedTimeout" -> registry.setExtendedTimeout(name, Values.duration(value));
                case "ApprovalDelay" -> registry.setApprovalDelay(name, Values.duration(value));
                case "ApprovalDuration" -> registry.setApprovalDuration(name, Values.duration(value));
                case "ApprovedByDefault" -> registry.setApprovedByDefault(name, Values.bool(value));
                case "Secret" -> registry.setSecret(name, bytes(value));
                default -> {
                    if (properties().containsKey(property)) {
                        throw error("org.freedesktop.DBus.Python.DBusPropertyAccessException", property);
                    }
                    throw error("org.freedesktop.DBus.Python.DBusPropertyNotFound",
                            path + ":" + iface + "." + property);
                }
            };
        } catch (IllegalArgumentException e) {
            throw error("org.freedesktop.DBus.Error.InvalidArgs", property + ": " + e.getMessage());
        }
        known(found);
    }
}

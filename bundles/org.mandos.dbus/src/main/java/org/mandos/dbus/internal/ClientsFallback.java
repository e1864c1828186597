package org.mandos.dbus.internal;

import java.util.Map;
import java.util.function.Function;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * Every {@code /clients/…} object at once, as a dbus-java fallback on {@code /clients}: each call goes
 * to the {@link ClientObject} of the path it was sent to. (dbus-java 5.2.2 cannot export two sibling
 * objects when one's name is a prefix of the other's, such as {@code /clients/demo} and
 * {@code /clients/demo_disabled}; a fallback avoids its object tree.)
 */
public final class ClientsFallback implements MandosClientInterface, LegacyMandosClientInterface, Properties,
        TypedSetters {

    private final Function<String, ClientObject> byPath;

    ClientsFallback(Function<String, ClientObject> byPath) {
        this.byPath = byPath;
    }

    private ClientObject target() {
        DBusCallInfo info = AbstractConnection.getCallInfo();
        String path = info == null ? null : info.getObjectPath();
        ClientObject o = path == null ? null : byPath.apply(path);
        if (o == null) {
            throw ClientObject.error("org.freedesktop.DBus.Error.UnknownObject", "No such object: " + path);
        }
        return o;
    }

    @Override
    public String getObjectPath() {
        return "/clients";
    }

    @Override
    public void Approve(boolean value) {
        target().Approve(value);
    }

    @Override
    public void CheckedOK() {
        target().CheckedOK();
    }

    @Override
    public void Enable() {
        target().Enable();
    }

    @Override
    public void Disable() {
        target().Disable();
    }

    @Override
    public void StartChecker() {
        target().StartChecker();
    }

    @Override
    public void StopChecker() {
        target().StopChecker();
    }

    @Override
    public <A> A Get(String iface, String property) {
        return target().Get(iface, property);
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        return target().GetAll(iface);
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
        target().Set(iface, property, value);
    }

    @Override
    public void SetBoolean(String iface, String property, boolean value) {
        target().Set(iface, property, value);
    }

    @Override
    public void SetUInt64(String iface, String property, org.freedesktop.dbus.types.UInt64 value) {
        target().Set(iface, property, value);
    }

    @Override
    public void SetString(String iface, String property, String value) {
        target().Set(iface, property, value);
    }

    @Override
    public void SetBytes(String iface, String property, byte[] value) {
        target().Set(iface, property, value);
    }

    @Override
    public void SetInt32(String iface, String property, int value) {
        target().Set(iface, property, value);
    }

    @Override
    public void SetInt64(String iface, String property, long value) {
        target().Set(iface, property, value);
    }
}

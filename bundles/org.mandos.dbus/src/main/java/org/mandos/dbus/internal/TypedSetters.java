package org.mandos.dbus.internal;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt64;

/**
 * {@code org.freedesktop.DBus.Properties.Set} with the value's own type instead of a variant. dbus-java
 * 5.2.2 introspects a fallback object without its {@code <node>} element, so dbus-python (mandos-ctl)
 * cannot read the signature {@code ssv} and sends {@code ssb}, {@code ssi}, {@code ssx}, {@code sst}, {@code sss} or {@code ssay}
 * as it guesses from the Python value; these methods accept those calls too.
 */
@DBusInterfaceName("org.freedesktop.DBus.Properties")
public interface TypedSetters extends DBusInterface {

    @DBusMemberName("Set")
    void SetBoolean(String iface, String property, boolean value);

    @DBusMemberName("Set")
    void SetUInt64(String iface, String property, UInt64 value);

    @DBusMemberName("Set")
    void SetString(String iface, String property, String value);

    @DBusMemberName("Set")
    void SetBytes(String iface, String property, byte[] value);

    @DBusMemberName("Set")
    void SetInt32(String iface, String property, int value);

    @DBusMemberName("Set")
    void SetInt64(String iface, String property, long value);
}

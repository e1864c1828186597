package org.freedesktop.DBus.Error;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The standard D-Bus error {@code org.freedesktop.DBus.Error.UnknownObject} (dbus-java names errors by class). */
public class UnknownObject extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public UnknownObject(String message) {
        super(message);
    }
}

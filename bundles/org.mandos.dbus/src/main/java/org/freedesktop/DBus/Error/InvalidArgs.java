package org.freedesktop.DBus.Error;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The standard D-Bus error {@code org.freedesktop.DBus.Error.InvalidArgs} (dbus-java names errors by class). */
public class InvalidArgs extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public InvalidArgs(String message) {
        super(message);
    }
}

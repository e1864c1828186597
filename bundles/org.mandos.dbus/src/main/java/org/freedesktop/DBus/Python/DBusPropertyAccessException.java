package org.freedesktop.DBus.Python;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The D-Bus error {@code org.freedesktop.DBus.Python.DBusPropertyAccessException}, named as the reference (dbus-python) names it. */
public class DBusPropertyAccessException extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public DBusPropertyAccessException(String message) {
        super(message);
    }
}

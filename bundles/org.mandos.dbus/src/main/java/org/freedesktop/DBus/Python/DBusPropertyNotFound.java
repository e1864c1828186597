package org.freedesktop.DBus.Python;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The D-Bus error {@code org.freedesktop.DBus.Python.DBusPropertyNotFound}, named as the reference (dbus-python) names it. */
public class DBusPropertyNotFound extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public DBusPropertyNotFound(String message) {
        super(message);
    }
}

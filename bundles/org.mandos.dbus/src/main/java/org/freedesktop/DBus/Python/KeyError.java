package org.freedesktop.DBus.Python;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The D-Bus error {@code org.freedesktop.DBus.Python.KeyError}, named as the reference (dbus-python) names it. */
public class KeyError extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public KeyError(String message) {
        super(message);
    }
}

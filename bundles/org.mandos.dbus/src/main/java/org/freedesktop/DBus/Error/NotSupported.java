package org.freedesktop.DBus.Error;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** The standard D-Bus error {@code org.freedesktop.DBus.Error.NotSupported} (dbus-java names errors by class). */
public class NotSupported extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public NotSupported(String message) {
        super(message);
    }
}

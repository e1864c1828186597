package org.freedesktop.Avahi;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * Avahi's D-Bus error {@code org.freedesktop.Avahi.CollisionError} (a name that a local entry group
 * already uses). dbus-java turns a D-Bus error into an instance of the class named like the error, when it
 * finds one (by {@code Class.forName} from its own class loader, which is this bundle's); otherwise into
 * a plain {@link DBusExecutionException} that has lost the error's name. Hence this class, in the
 * (private) package the error name dictates.
 */
public class CollisionError extends DBusExecutionException {

    private static final long serialVersionUID = 1L;

    public CollisionError(String message) {
        super(message);
    }
}

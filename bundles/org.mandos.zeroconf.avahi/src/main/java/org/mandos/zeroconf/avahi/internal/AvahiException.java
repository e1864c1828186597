package org.mandos.zeroconf.avahi.internal;

/** A failed Avahi call, with the D-Bus error name when Avahi (or the bus) answered with one. */
final class AvahiException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Avahi's answer to {@code AddService} with a name that a local entry group already uses. */
    static final String COLLISION_ERROR = "org.freedesktop.Avahi.CollisionError";

    private final String errorName;

    AvahiException(String errorName, String message, Throwable cause) {
        super(errorName == null ? message : errorName + ": " + message, cause);
        this.errorName = errorName;
    }

    /** The D-Bus error name, or null. */
    String errorName() {
        return errorName;
    }

    boolean isCollision() {
        return COLLISION_ERROR.equals(errorName);
    }
}

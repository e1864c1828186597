package org.mandos.zeroconf.avahi.internal;

/**
 * The part of Avahi's D-Bus API that {@link AvahiPublication} uses, without D-Bus: the real one is
 * {@link DbusAvahi}, tests use a fake. Every call may block briefly (one D-Bus round trip).
 */
interface Avahi {

    /** {@code org.freedesktop.Avahi.Server.EntryGroupNew}: a new, empty entry group. */
    EntryGroup newEntryGroup() throws AvahiException;

    /** {@code org.freedesktop.Avahi.Server.GetAlternativeServiceName}: {@code Mandos} gives {@code Mandos #2}. */
    String alternativeServiceName(String name) throws AvahiException;

    /** An {@code org.freedesktop.Avahi.EntryGroup}. */
    interface EntryGroup {

        /** The group's object path: its {@code StateChanged} signals come from there. */
        String path();

        /**
         * {@code AddService(interface, protocol, flags 0, name, type, domain "", host "", port, no TXT)}.
         * A name that another local group already uses fails with {@link AvahiException#COLLISION_ERROR}.
         */
        void addService(int interfaceIndex, int protocol, String name, String type, int port) throws AvahiException;

        /** {@code Commit}: starts probing and announcing what was added. */
        void commit() throws AvahiException;

        /** {@code Reset}: removes every entry of the group; the group remains. */
        void reset() throws AvahiException;

        /** {@code Free}: removes the group and its entries. */
        void free() throws AvahiException;
    }
}

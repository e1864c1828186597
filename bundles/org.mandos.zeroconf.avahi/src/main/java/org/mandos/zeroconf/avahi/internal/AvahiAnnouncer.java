package org.mandos.zeroconf.avahi.internal;

import java.net.NetworkInterface;
import java.net.SocketException;
import org.mandos.api.Announcement;
import org.mandos.api.Announcer;

/** The {@link Announcer} service object: registered while Avahi runs, backed by the publication. */
final class AvahiAnnouncer implements Announcer {

    /** The value of {@link Announcer#NAME} ({@code mandos.announcer.name}). */
    static final String NAME = "avahi";

    private final AvahiPublication publication;

    AvahiAnnouncer(AvahiPublication publication) {
        this.publication = publication;
    }

    @Override
    public void announce(Announcement announcement) throws Exception {
        publication.announce(announcement);
    }

    @Override
    public void withdraw() {
        publication.withdraw();
    }

    /** {@code if_nametoindex}: the index of a network interface. */
    static int interfaceIndex(String name) {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            throw new IllegalArgumentException("cannot look up network interface " + name + ": " + e.getMessage(), e);
        }
        if (nif == null) {
            throw new IllegalArgumentException("no network interface named " + name);
        }
        int index = nif.getIndex();
        return index > 0 ? index : AvahiPublication.IF_UNSPEC;
    }

    @Override
    public String toString() {
        return "Avahi announcer";
    }
}

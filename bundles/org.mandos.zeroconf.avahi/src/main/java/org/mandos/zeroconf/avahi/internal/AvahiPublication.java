package org.mandos.zeroconf.avahi.internal;

import java.util.function.ToIntFunction;
import org.mandos.api.Announcement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The announcement's life in Avahi, as the reference server handles it (mandos-behaviour §6.4), with no
 * D-Bus in it: the wanted {@link Announcement}, the entry group that publishes it, renames after
 * collisions, and Avahi's server state. {@link AvahiLink} feeds it Avahi's signals; the registered
 * {@code Announcer} calls {@link #announce} and {@link #withdraw}. Every method is synchronized: the
 * calls come from the core's thread and from the link's thread.
 *
 * <ul>
 *   <li>Publishing: {@code EntryGroupNew} (once per group), {@code AddService}, {@code Commit}.</li>
 *   <li>Collision, either the group's state COLLISION (another host uses the name) or a
 *       {@code CollisionError} from {@code AddService} (another program on this host does): the name
 *       becomes {@code GetAlternativeServiceName(name)} ({@code Mandos #2}, {@code #3}, …), INFO
 *       {@code Changing Zeroconf service name to '<n>' ...}, and the group is reset and filled again.
 *       After {@link #DEFAULT_MAX_RENAMES} renames (the reference's limit) the publication gives up
 *       with an ERROR and the server keeps serving unannounced, as the reference does in practice.</li>
 *   <li>Server states: RUNNING adds the wanted service (again); REGISTERING withdraws it silently;
 *       COLLISION, FAILURE and INVALID withdraw it with an ERROR. A new Avahi ({@link #attach}) starts
 *       with no group; its RUNNING adds the service again.</li>
 *   <li>{@link #suspend}: when the link stops offering the announcer (Avahi gone or not RUNNING), the
 *       publisher may hand the announcement to another announcer; the service is then added again only
 *       when {@link #announce} asks for it again, never by itself, so that two announcers never
 *       publish the name at once.</li>
 * </ul>
 */
final class AvahiPublication {

    // org.freedesktop.Avahi.Server states (avahi-common/defs.h: AvahiServerState)
    static final int SERVER_INVALID = 0;
    static final int SERVER_REGISTERING = 1;
    static final int SERVER_RUNNING = 2;
    static final int SERVER_COLLISION = 3;
    static final int SERVER_FAILURE = 4;

    // org.freedesktop.Avahi.EntryGroup states (AvahiEntryGroupState)
    static final int GROUP_UNCOMMITED = 0;
    static final int GROUP_REGISTERING = 1;
    static final int GROUP_ESTABLISHED = 2;
    static final int GROUP_COLLISION = 3;
    static final int GROUP_FAILURE = 4;

    /** AVAHI_IF_UNSPEC: every interface. */
    static final int IF_UNSPEC = -1;
    /** AVAHI_PROTO_INET: IPv4 addresses. */
    static final int PROTO_INET = 0;
    /** AVAHI_PROTO_INET6: IPv6 addresses. */
    static final int PROTO_INET6 = 1;

    /** The reference server's limit on renames after collisions. */
    static final int DEFAULT_MAX_RENAMES = 32768;

    private static final Logger LOG = LoggerFactory.getLogger(AvahiPublication.class);

    private final int maxRenames;
    private final ToIntFunction<String> interfaceIndex;

    /** The Avahi on the bus now, or null. */
    private Avahi avahi;
    /** Whether {@link #avahi}'s last known state is RUNNING. */
    private boolean running;
    /** What to announce, or null after withdraw(). */
    private Announcement wanted;
    /** Whether {@link #wanted} is to be published now: announce() asked for it since the last suspend(). */
    private boolean confirmed;
    private int wantedInterface;
    /** The name announced (after renames). */
    private String name;
    private int renames;
    private boolean gaveUp;
    /** The entry group holding the service, or null when nothing is published. */
    private Avahi.EntryGroup group;
    private boolean closed;

    /**
     * @param maxRenames     how many renames after collisions before giving up
     * @param interfaceIndex the index of a network interface by name ({@code if_nametoindex}); throws
     *                       {@link IllegalArgumentException} for an unknown name
     */
    AvahiPublication(int maxRenames, ToIntFunction<String> interfaceIndex) {
        if (maxRenames < 0) {
            throw new IllegalArgumentException("maxRenames < 0");
        }
        this.maxRenames = maxRenames;
        this.interfaceIndex = interfaceIndex;
    }

    /**
     * Publishes the announcement, replacing a different previous one. While Avahi is not RUNNING it is
     * only remembered, and added when Avahi is. The same announcement again keeps the name that renames
     * reached, and adds it again if it is not published (after {@link #suspend}).
     */
    synchronized void announce(Announcement announcement) throws AvahiException {
        if (closed) {
            throw new IllegalStateException("the Avahi announcer is closed");
        }
        int index = announcement.interfaceName().isEmpty() ? IF_UNSPEC
                : interfaceIndex.applyAsInt(announcement.interfaceName());
        if (announcement.equals(wanted)) {
            if (gaveUp || (confirmed && group != null)) {
                return;         // published (maybe renamed) or given up: as asked
            }
        } else {
            wanted = announcement;
            wantedInterface = index;
            name = announcement.serviceName();
            renames = 0;
            gaveUp = false;
        }
        confirmed = true;
        if (running) {
            try {
                publish();
            } catch (AvahiException | RuntimeException e) {
                discardGroup();
                throw e;
            }
        }
    }

    /**
     * The announcer stopped being offered (Avahi gone or not RUNNING): the service is withdrawn, and
     * added again only when {@link #announce} asks for it again, since meanwhile the server may be
     * announced by another announcer. The announcement and the name renames reached are kept for that.
     */
    synchronized void suspend() {
        confirmed = false;
        discardGroup();
    }

    /** Withdraws the announcement (frees the entry group) and forgets it. */
    synchronized void withdraw() {
        wanted = null;
        confirmed = false;
        name = null;
        renames = 0;
        gaveUp = false;
        discardGroup();
    }

    /** Withdraws and refuses further announcements (deactivation). */
    synchronized void close() {
        withdraw();
        closed = true;
    }

    /** A (new) Avahi is on the bus; its state is not known yet. Whatever belonged to the previous one is gone. */
    synchronized void attach(Avahi newAvahi) {
        this.avahi = newAvahi;
        this.running = false;
        this.group = null;
    }

    /** Avahi left the bus, or the bus connection is lost: its entry groups went with it. */
    synchronized void detach() {
        this.avahi = null;
        this.running = false;
        this.group = null;
    }

    /** Whether an Avahi is attached and RUNNING. */
    synchronized boolean running() {
        return avahi != null && running;
    }

    /** The name being announced (after renames), or null when nothing is published. */
    synchronized String publishedName() {
        return group == null ? null : name;
    }

    /** Whether the publication gave up after too many renames. */
    synchronized boolean gaveUp() {
        return gaveUp;
    }

    synchronized int renames() {
        return renames;
    }

    /** Avahi's server state, from {@code GetState} or its {@code StateChanged} signal. */
    synchronized void serverState(int state, String error) {
        if (avahi == null) {
            return;
        }
        LOG.debug("Avahi server state change: {}", state);
        String detail = error == null || error.isEmpty() ? "" : ": " + error;
        switch (state) {
            case SERVER_RUNNING -> {
                running = true;
                if (wanted != null && confirmed && !gaveUp && group == null) {
                    try {
                        publish();
                    } catch (AvahiException | RuntimeException e) {
                        LOG.error("Cannot announce the server through Avahi: {}", e.getMessage());
                        discardGroup();
                    }
                }
            }
            case SERVER_REGISTERING -> {
                running = false;
                discardGroup();
            }
            case SERVER_COLLISION -> badServerState("Zeroconf server name collision" + detail);
            case SERVER_FAILURE -> badServerState("Zeroconf server failure" + detail);
            case SERVER_INVALID -> badServerState("Zeroconf server invalid" + detail);
            default -> badServerState("Zeroconf server in unknown state " + state + detail);
        }
    }

    private void badServerState(String message) {
        LOG.error(message);
        running = false;
        discardGroup();
    }

    /** An entry group's {@code StateChanged} signal; signals of other groups (freed ones) are ignored. */
    synchronized void groupState(String path, int state, String error) {
        if (group == null || !group.path().equals(path)) {
            return;
        }
        LOG.debug("Avahi entry group state change: {}", state);
        switch (state) {
            case GROUP_ESTABLISHED -> LOG.info("Zeroconf service '{}' of type '{}' established through Avahi", name,
                    Announcement.SERVICE_TYPE);
            case GROUP_COLLISION -> {
                LOG.info("Zeroconf service name collision.");
                try {
                    if (rename()) {
                        fill(false);
                    }
                } catch (AvahiException | RuntimeException e) {
                    LOG.error("Cannot announce the server through Avahi: {}", e.getMessage());
                    discardGroup();
                }
            }
            case GROUP_FAILURE -> {
                LOG.error("Avahi: error in group state changed{}",
                        error == null || error.isEmpty() ? "" : ": " + error);
                discardGroup();
            }
            default -> {
                // UNCOMMITED, REGISTERING: on the way
            }
        }
    }

    /** Puts the wanted service into a (new or reset) entry group. */
    private void publish() throws AvahiException {
        boolean fresh = group == null;
        if (fresh) {
            group = avahi.newEntryGroup();
        }
        fill(fresh);
    }

    /** Adds and commits the service, renaming after local collisions; the group exists. */
    private void fill(boolean fresh) throws AvahiException {
        boolean empty = fresh;
        while (true) {
            if (!empty) {
                group.reset();
            }
            empty = false;
            try {
                LOG.debug("Adding Zeroconf service '{}' of type '{}' ...", name, Announcement.SERVICE_TYPE);
                group.addService(wantedInterface, wanted.ipv6() ? PROTO_INET6 : PROTO_INET, name,
                        Announcement.SERVICE_TYPE, wanted.port());
                group.commit();
                return;
            } catch (AvahiException e) {
                if (!e.isCollision()) {
                    throw e;
                }
                LOG.info("Local Zeroconf service name collision.");
                if (!rename()) {
                    return;
                }
            }
        }
    }

    /** Takes the next alternative name; false (and the group discarded) after too many renames. */
    private boolean rename() throws AvahiException {
        if (renames >= maxRenames) {
            LOG.error("No suitable Zeroconf service name found after {} retries; the server is not announced",
                    renames);
            gaveUp = true;
            discardGroup();
            return false;
        }
        name = avahi.alternativeServiceName(name);
        renames++;
        LOG.info("Changing Zeroconf service name to '{}' ...", name);
        return true;
    }

    /** Frees the entry group, if any (best effort: an Avahi that is going away may not answer). */
    private void discardGroup() {
        Avahi.EntryGroup g = group;
        group = null;
        if (g != null) {
            try {
                g.free();
            } catch (AvahiException | RuntimeException e) {
                LOG.debug("Freeing the Avahi entry group {} failed: {}", g.path(), e.getMessage());
            }
        }
    }
}

package org.mandos.zeroconf.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mandos.api.Announcement;
import org.mandos.api.Announcer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to announce and through which {@link Announcer}, as the listening sockets and the
 * announcers come and go:
 * <ul>
 * <li>the port is that of the listening sockets (the first one's, should they differ);</li>
 * <li>with {@code announcer = auto} the {@code avahi} announcer is used while there is one, else
 *     {@code jmdns}; with a name, only the announcer of that name (a warning while it is missing);</li>
 * <li>a change withdraws the announcement from the announcer used so far (unless that one went away:
 *     it is not called again, and withdraws its own announcement when it stops) and announces on the
 *     new one; a new port is announced again on the same announcer.</li>
 * </ul>
 * A failing announcer is logged and otherwise ignored: the server keeps serving clients that know its
 * address.
 *
 * <p>Not thread-safe: {@link ZeroconfPublisher} calls it from its single thread, so announcers are never
 * called concurrently.
 */
final class Publication {

    private static final Logger LOG = LoggerFactory.getLogger(Publication.class);

    private record Candidate(Announcer announcer, String name) {
    }

    private final PublisherSettings settings;
    private final Map<Object, Integer> ports = new LinkedHashMap<>();
    private final List<Candidate> announcers = new ArrayList<>();
    private Candidate active;
    private Announcement announced;
    private boolean warnedMissing;
    private boolean warnedPorts;
    private boolean closed;

    Publication(PublisherSettings settings) {
        this.settings = settings;
        if (!settings.zeroconf()) {
            LOG.debug("Zeroconf is off (zeroconf = no, or --no-zeroconf): the server is not announced");
        }
    }

    /** A listening socket (identified by {@code key}) on {@code port}. */
    void listenerAdded(Object key, int port) {
        ports.put(key, port);
        reconcile();
    }

    void listenerRemoved(Object key) {
        ports.remove(key);
        reconcile();
    }

    /** An announcer with the service property {@code mandos.announcer.name} = {@code name}. */
    void announcerAdded(Announcer announcer, String name) {
        Objects.requireNonNull(announcer, "announcer");
        announcers.add(new Candidate(announcer, name == null ? "" : name));
        LOG.debug("Zeroconf announcer '{}' is available", name);
        reconcile();
    }

    void announcerRemoved(Announcer announcer) {
        announcers.removeIf(c -> c.announcer() == announcer);
        reconcile();
    }

    /** Withdraws the announcement for good (the component is going away). */
    void close() {
        if (active != null) {
            stopActive();
        }
        closed = true;
    }

    /** The announcer in use now, by name, or {@code null}. */
    String activeAnnouncer() {
        return active == null ? null : active.name();
    }

    /** What was announced last, or {@code null}. */
    Announcement announced() {
        return announced;
    }

    private void reconcile() {
        if (!settings.zeroconf() || closed) {
            return;
        }
        Candidate target = select();
        Announcement wanted = wanted();
        if (active != null && (target == null || target.announcer() != active.announcer() || wanted == null)) {
            stopActive();
        }
        if (target == null) {
            if (!settings.announcer().equals(PublisherSettings.AUTO) && !warnedMissing) {
                LOG.warn("Zeroconf announcer '{}' (announcer = {} in mandos.conf) is not available; the server is not"
                        + " announced until it appears", settings.announcer(), settings.announcer());
                warnedMissing = true;
            }
            return;
        }
        if (warnedMissing) {
            LOG.info("Zeroconf announcer '{}' is available", target.name());
            warnedMissing = false;
        }
        if (wanted != null && (active == null || !wanted.equals(announced))) {
            start(target, wanted);
        }
    }

    private Candidate select() {
        if (settings.announcer().equals(PublisherSettings.AUTO)) {
            Candidate avahi = named(PublisherSettings.AVAHI);
            return avahi != null ? avahi : named(PublisherSettings.JMDNS);
        }
        return named(settings.announcer());
    }

    private Candidate named(String name) {
        return announcers.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private Announcement wanted() {
        if (ports.isEmpty()) {
            return null;
        }
        int port = ports.values().iterator().next();
        if (!warnedPorts && ports.values().stream().distinct().count() > 1) {
            LOG.warn("The listening sockets have different ports {}; announcing port {}", ports.values(), port);
            warnedPorts = true;
        }
        return new Announcement(settings.serviceName(), port, settings.interfaceName(), settings.ipv6());
    }

    private void start(Candidate target, Announcement wanted) {
        LOG.info("Announcing the server with Zeroconf as '{}' on port {} through the {} announcer",
                wanted.serviceName(), wanted.port(), target.name());
        active = target;
        announced = wanted;
        try {
            target.announcer().announce(wanted);
        } catch (Exception e) {
            interruptedAgain(e);
            LOG.warn("Zeroconf announcement through the {} announcer failed: {}; the server keeps serving clients"
                    + " that know its address", target.name(), e.toString());
            LOG.debug("Zeroconf announcement failure", e);
        }
    }

    private void stopActive() {
        Candidate stopping = active;
        active = null;
        announced = null;
        if (announcers.stream().noneMatch(c -> c.announcer() == stopping.announcer())) {
            LOG.info("Zeroconf announcer '{}' went away", stopping.name());
            return;
        }
        try {
            stopping.announcer().withdraw();
        } catch (Exception e) {
            interruptedAgain(e);
            LOG.warn("Withdrawing the Zeroconf announcement through the {} announcer failed: {}", stopping.name(),
                    e.toString());
            LOG.debug("Zeroconf withdrawal failure", e);
        }
    }

    private static void interruptedAgain(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}

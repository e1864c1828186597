package org.mandos.zeroconf.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.mandos.api.Announcement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one announcement up on the addresses there are now: one {@link Responder} per address,
 * opened when the address appears and closed when it goes away ({@link #rescan()}), all under the same
 * service name, which moves on to {@code Mandos #2}, {@code #3}, … when a responder reports that the
 * name is taken ({@link #checkNames()}), up to {@link ServiceNames#MAX_TRIES} names.
 *
 * <p>Not thread-safe: every method runs on the announcer's own thread. Closing a responder takes
 * seconds (goodbye packets), so it is handed to {@code closer}. Nothing here throws: a failure is
 * logged and retried on the next scan, and the server keeps serving.
 */
final class AnnouncementKeeper {

    /** The network interfaces of the machine, as they are now. */
    @FunctionalInterface
    interface Network {
        List<LocalAddress.Interface> interfaces() throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AnnouncementKeeper.class);

    private final Network network;
    private final Responder.Factory factory;
    private final Supplier<String> hostNames;
    private final Executor closer;

    private final Map<LocalAddress, Responder> responders = new LinkedHashMap<>();
    /** Whether the responders loop their packets back to this host; see {@link Responder#maintain}. */
    private boolean loopback;
    /** Addresses whose responder failed to open; reported once until they work or go away. */
    private final Set<LocalAddress> failed = new HashSet<>();
    private Announcement desired;
    private String name;
    /** How many names have been tried, the current one included. */
    private int tries;
    private boolean gaveUp;
    private boolean warnedNoInterface;
    private boolean warnedScan;
    private String hostName;

    /**
     * @param hostNames the machine's host name (asked at every new announcement)
     * @param closer    runs the closing of responders
     */
    AnnouncementKeeper(Network network, Responder.Factory factory, Supplier<String> hostNames, Executor closer) {
        this.network = network;
        this.factory = factory;
        this.hostNames = hostNames;
        this.closer = closer;
    }

    /** Publishes {@code announcement}, replacing the previous one (unless it is the same). */
    void announce(Announcement announcement) {
        if (announcement.equals(desired) && !gaveUp) {
            return;
        }
        stopAll();
        desired = announcement;
        hostName = hostNames.get();
        name = announcement.serviceName();
        tries = 1;
        gaveUp = false;
        warnedNoInterface = false;
        warnedScan = false;
        failed.clear();
        LOG.info("Announcing Zeroconf service '{}' ({}, port {}) on {}, {}", name, Announcement.SERVICE_TYPE,
                announcement.port(),
                announcement.interfaceName().isEmpty() ? "every interface" : "interface " + announcement.interfaceName(),
                announcement.ipv6() ? "IPv6 and IPv4" : "IPv4 only");
        rescan();
    }

    /**
     * Withdraws the announcement.
     *
     * @return completes when every responder has closed
     */
    CompletableFuture<Void> withdraw() {
        if (desired != null) {
            LOG.info("Withdrawing Zeroconf service '{}'", name);
        }
        desired = null;
        gaveUp = false;
        return stopAll();
    }

    /** Opens responders on new addresses and closes those whose address went away. */
    void rescan() {
        if (desired == null || gaveUp) {
            return;
        }
        List<LocalAddress> wanted;
        try {
            wanted = LocalAddress.select(network.interfaces(), desired.interfaceName(), desired.ipv6());
            warnedScan = false;
        } catch (IOException | RuntimeException e) {
            if (!warnedScan) {
                LOG.warn("Cannot list the network interfaces: {}; retrying", e.toString());
                warnedScan = true;
            }
            return;
        }
        List<LocalAddress> gone = new ArrayList<>(responders.keySet());
        gone.removeAll(wanted);
        for (LocalAddress address : gone) {
            LOG.info("No longer announcing Zeroconf service '{}' on {}: the address went away", name, address);
            close(responders.remove(address));
        }
        failed.retainAll(wanted);
        if (wanted.isEmpty()) {
            if (!warnedNoInterface) {
                LOG.warn("No network interface to announce the Zeroconf service on{}; retrying when one appears",
                        desired.interfaceName().isEmpty() ? "" : " (interface " + desired.interfaceName() + ")");
                warnedNoInterface = true;
            }
            return;
        }
        warnedNoInterface = false;
        long v6 = wanted.stream().filter(a -> a.address() instanceof java.net.Inet6Address).count();
        loopback = v6 <= 1 && wanted.size() - v6 <= 1;
        for (LocalAddress address : wanted) {
            if (!responders.containsKey(address)) {
                open(address);
            }
        }
        responders.values().forEach(r -> r.maintain(loopback));
    }

    private void open(LocalAddress address) {
        Responder responder = null;
        try {
            responder = factory.open(address, hostName);
            responder.maintain(loopback);
            responder.register(name, desired.port());
            responders.put(address, responder);
            failed.remove(address);
            LOG.info("Announcing Zeroconf service '{}' on {}", name, address);
        } catch (IOException | RuntimeException e) {
            if (responder != null) {
                close(responder);
            }
            if (failed.add(address)) {
                LOG.warn("Cannot announce the Zeroconf service on {}: {}; retrying", address, e.toString());
            } else {
                LOG.debug("Still cannot announce the Zeroconf service on {}: {}", address, e.toString());
            }
        }
    }

    /**
     * Moves on to the next name when a responder renamed the service, which it does when another
     * host on the network already uses the name. The name stays the same on every address.
     */
    void checkNames() {
        if (desired == null || gaveUp) {
            return;
        }
        String renamed = null;
        for (Map.Entry<LocalAddress, Responder> e : responders.entrySet()) {
            String now = e.getValue().registeredName();
            if (now != null && !now.equals(name)) {
                LOG.debug("Zeroconf service name '{}' is taken (seen on {}, which renamed it to '{}')", name,
                        e.getKey(), now);
                renamed = now;
                break;
            }
        }
        if (renamed == null) {
            return;
        }
        if (tries >= ServiceNames.MAX_TRIES) {
            LOG.error("No suitable Zeroconf service name found after {} tries", tries);
            gaveUp = true;
            stopAll();
            return;
        }
        tries++;
        name = ServiceNames.alternative(name);
        LOG.info("Changing Zeroconf service name to '{}'", name);
        for (LocalAddress address : new ArrayList<>(responders.keySet())) {
            try {
                responders.get(address).register(name, desired.port());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot announce the Zeroconf service on {}: {}; retrying", address, e.toString());
                failed.add(address);
                close(responders.remove(address));
            }
        }
    }

    private CompletableFuture<Void> stopAll() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Responder responder : responders.values()) {
            closing.add(close(responder));
        }
        responders.clear();
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> close(Responder responder) {
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    responder.close();
                } catch (RuntimeException e) {
                    LOG.debug("Closing a Zeroconf responder failed", e);
                }
            }, closer);
        } catch (RuntimeException e) {
            LOG.debug("Cannot close a Zeroconf responder", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The name announced now, or {@code null}. */
    String name() {
        return desired == null ? null : name;
    }

    /** Whether the keeper ran out of names for the current announcement. */
    boolean gaveUp() {
        return gaveUp;
    }

    /** The addresses announced on now. */
    Set<LocalAddress> addresses() {
        return Set.copyOf(responders.keySet());
    }
}

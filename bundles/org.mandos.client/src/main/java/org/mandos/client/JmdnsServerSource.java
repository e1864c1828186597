package org.mandos.client;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

/**
 * Finds Mandos servers with Zeroconf (DNS-SD over multicast DNS, with jmdns): browses for
 * {@value #SERVICE_TYPE} with one JmDNS instance per interface and address family, bound to the interface's
 * IPv6 link-local address (with its scope) and to its IPv4 address. The interfaces are those named with
 * {@code --interface}, or else every interface that is up, multicast-capable, not loopback and not
 * point-to-point. The interfaces are scanned again every {@link #RESCAN}, so an interface or address that
 * appears later (a driver loaded late, an address still in duplicate address detection, DHCP) is used too.
 *
 * <p>Each resolved announcement gives one server: its IPv6 link-local address with the zone of the interface it
 * was seen on if it has one, else its IPv4 address, else another IPv6 address. Withdrawals are ignored, as in the
 * reference client.
 */
final class JmdnsServerSource implements ServerSource {

    /** The DNS-SD service type of Mandos servers. */
    static final String SERVICE_TYPE = "_mandos._tcp.local.";
    /** How often the network interfaces are scanned again for new ones and new addresses. */
    static final Duration RESCAN = Duration.ofSeconds(5);
    /**
     * The longest time {@link #close()} waits for the JmDNS instances to shut down. jmdns takes about two seconds
     * to say goodbye; that is not worth delaying the password for, so they finish on daemon threads if they can.
     */
    static final Duration CLOSE_WAIT = Duration.ofMillis(250);

    /**
     * A network interface as seen at one scan.
     *
     * @param addresses its addresses (IPv6 ones with their scope)
     */
    record Nic(String name, boolean up, boolean loopback, boolean pointToPoint, boolean multicast,
               List<InetAddress> addresses) {
        Nic {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
        }
    }

    /** Where one JmDNS instance browses: an interface, and its IPv6 link-local address or its IPv4 address. */
    record Binding(String interfaceName, InetAddress address) {
        boolean ipv6() {
            return address instanceof Inet6Address;
        }

        /** One instance per interface and address family. */
        String key() {
            return interfaceName + (ipv6() ? " IPv6" : " IPv4");
        }
    }

    /**
     * The bindings for the interfaces present: for each interface used, its first IPv6 link-local address and its
     * first IPv4 address.
     *
     * @param wanted the interface names of {@code --interface}, or empty for every interface that is up,
     *               multicast-capable, not loopback and not point-to-point; a named interface must be up
     */
    static List<Binding> bindings(List<Nic> nics, Set<String> wanted) {
        List<Binding> result = new ArrayList<>();
        for (Nic nic : nics) {
            boolean use = wanted.isEmpty()
                    ? nic.up() && nic.multicast() && !nic.loopback() && !nic.pointToPoint()
                    : nic.up() && wanted.contains(nic.name());
            if (!use) {
                continue;
            }
            nic.addresses().stream().filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress()).findFirst()
                    .ifPresent(a -> result.add(new Binding(nic.name(), a)));
            nic.addresses().stream().filter(a -> a instanceof Inet4Address && !a.isAnyLocalAddress()).findFirst()
                    .ifPresent(a -> result.add(new Binding(nic.name(), a)));
        }
        return result;
    }

    /**
     * The server of one resolved announcement seen on {@code interfaceName}: its IPv6 link-local address with that
     * interface as zone if it has one, else its first IPv4 address, else its first other IPv6 address (loopback and
     * wildcard addresses are skipped).
     *
     * @return the server, or {@code null} if the announcement has no usable address or port
     */
    static ServerAddress choose(String interfaceName, List<InetAddress> addresses, int port) {
        if (port < 1 || port > 65535) {
            return null;
        }
        List<InetAddress> usable = addresses.stream().filter(Objects::nonNull)
                .filter(a -> !a.isLoopbackAddress() && !a.isAnyLocalAddress()).toList();
        for (InetAddress a : usable) {
            if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
                return new ServerAddress(plain(a), interfaceName, port);
            }
        }
        for (InetAddress a : usable) {
            if (a instanceof Inet4Address) {
                return new ServerAddress(plain(a), null, port);
            }
        }
        for (InetAddress a : usable) {
            return new ServerAddress(plain(a), null, port);
        }
        return null;
    }

    /** The numeric address without a zone. */
    private static String plain(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is 4 or 16
        }
    }

    private final Set<String> wanted;
    private final PasswordFetcher.Log log;
    private final BlockingQueue<ServerAddress> found = new LinkedBlockingQueue<>();
    private final Set<ServerAddress> reported = Collections.synchronizedSet(new HashSet<>());
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Map<String, JmDNS> browsers = new LinkedHashMap<>();
    /** Guarded by {@link #lock}: what was last said about each named interface, so it is said once. */
    private final Map<String, String> complaints = new HashMap<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Guarded by {@link #lock}. */
    private boolean saidNoInterface;
    /** Only used by the scanning thread (and by {@link #open} before it starts). */
    private boolean checkedIpv6;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            daemon("mandos-client-zeroconf-scan"));
    private final ExecutorService resolver = Executors.newSingleThreadExecutor(
            daemon("mandos-client-zeroconf-resolve"));

    private JmdnsServerSource(Set<String> wanted, PasswordFetcher.Log log) {
        this.wanted = Set.copyOf(wanted);
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Starts browsing: scans the interfaces now (so the first messages come before this returns), and again
     * every {@link #RESCAN}.
     *
     * @param interfaces the names given with {@code --interface}, or empty for all suitable interfaces
     */
    static JmdnsServerSource open(List<String> interfaces, PasswordFetcher.Log log) {
        JmdnsServerSource source = new JmdnsServerSource(new LinkedHashSet<>(interfaces), log);
        source.scan();
        source.scanner.scheduleWithFixedDelay(source::scan, RESCAN.toMillis(), RESCAN.toMillis(),
                TimeUnit.MILLISECONDS);
        return source;
    }

    @Override
    public ServerAddress next(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos < 0) {
            return found.take();
        }
        return timeoutNanos == 0 ? found.poll() : found.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Looks at the interfaces and starts browsing on those that have no JmDNS instance yet. */
    private void scan() {
        try {
            scanOnce();
        } catch (RuntimeException e) {
            // keep the periodic scan alive whatever jmdns does
            log.debug("Zeroconf: " + message(e));
        }
    }

    private void scanOnce() {
        List<Nic> nics;
        try {
            nics = currentNics();
        } catch (SocketException | RuntimeException e) {
            log.debug("Cannot list the network interfaces: " + message(e));
            return;
        }
        List<Binding> bindings = bindings(nics, wanted);
        if (!checkedIpv6) {
            checkedIpv6 = true;
            if (nics.stream().flatMap(n -> n.addresses().stream()).noneMatch(a -> a instanceof Inet6Address)) {
                // The JDK on Linux turns IPv6 off for the whole process when no interface has an IPv6 address
                // as its network library loads, so addresses that come later stay invisible.
                log.debug("No IPv6 address on any network interface now: Java then ignores IPv6 for the rest of"
                        + " this run, so only IPv4 is used (bring lo or the interface up before starting"
                        + " mandos-client)");
            }
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            complainAboutNamedInterfaces(nics, bindings);
            if (wanted.isEmpty() && bindings.isEmpty() && browsers.isEmpty() && !saidNoInterface) {
                log.debug("No network interface is up and multicast-capable yet; looking again every "
                        + RESCAN.toSeconds() + " seconds");
                saidNoInterface = true;
            }
            for (Binding binding : bindings) {
                if (!browsers.containsKey(binding.key())) {
                    start(binding);
                }
            }
        }
    }

    /** Says once (per state) that a named interface cannot be used, so that a typo does not go unnoticed. */
    private void complainAboutNamedInterfaces(List<Nic> nics, List<Binding> bindings) {
        for (String name : wanted) {
            Nic nic = nics.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
            String problem;
            if (nic == null) {
                problem = "there is no network interface named \"" + name + "\"";
            } else if (!nic.up()) {
                problem = "network interface \"" + name + "\" is down";
            } else if (bindings.stream().noneMatch(b -> b.interfaceName().equals(name))) {
                problem = "network interface \"" + name + "\" has no IPv4 or IPv6 link-local address";
            } else {
                complaints.remove(name);
                continue;
            }
            if (!problem.equals(complaints.put(name, problem))
                    && browsers.keySet().stream().noneMatch(k -> k.startsWith(name + " "))) {
                log.error(problem + " (yet); waiting for it to be usable");
            }
        }
    }

    private void start(Binding binding) {
        String label = "mandos-client-" + binding.interfaceName().replaceAll("[^A-Za-z0-9-]", "-")
                + (binding.ipv6() ? "-ipv6" : "-ipv4");
        String where = binding.interfaceName() + " (" + plain(binding.address()) + ")";
        JmDNS jmdns;
        try {
            jmdns = JmDNS.create(named(label, binding.address()), label);
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot browse with Zeroconf on " + where + ": " + message(e) + "; trying again in "
                    + RESCAN.toSeconds() + " seconds");
            return;
        }
        browsers.put(binding.key(), jmdns);
        jmdns.addServiceListener(SERVICE_TYPE, new Listener(binding.interfaceName(), jmdns));
        log.debug("Browsing for " + SERVICE_TYPE + " servers on " + where);
    }

    /**
     * The address with a host name attached, so that jmdns does not look its name up in the DNS (which can hang
     * in an initial RAM disk), and with the interface's scope for an IPv6 address.
     */
    private static InetAddress named(String label, InetAddress address) throws UnknownHostException {
        if (address instanceof Inet6Address a6) {
            return Inet6Address.getByAddress(label, a6.getAddress(), a6.getScopeId());
        }
        return InetAddress.getByAddress(label, address.getAddress());
    }

    private final class Listener implements ServiceListener {
        private final String interfaceName;
        private final JmDNS jmdns;

        Listener(String interfaceName, JmDNS jmdns) {
            this.interfaceName = interfaceName;
            this.jmdns = jmdns;
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            String type = event.getType();
            String name = event.getName();
            try {
                // requestServiceInfo waits for the answer: not on jmdns's own event thread
                resolver.execute(() -> jmdns.requestServiceInfo(type, name, true, 1000));
            } catch (RejectedExecutionException closing) {
                // closed meanwhile
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            log.debug("Mandos server \"" + event.getName() + "\" withdrawn on " + interfaceName
                    + "; it stays in the list of servers");
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info == null) {
                return;
            }
            List<InetAddress> addresses = new ArrayList<>(List.of(info.getInet6Addresses()));
            addresses.addAll(List.of(info.getInet4Addresses()));
            ServerAddress server = choose(interfaceName, addresses, info.getPort());
            if (server == null) {
                log.debug("Mandos server \"" + info.getName() + "\" on " + interfaceName
                        + " has no usable address or port yet");
                return;
            }
            if (reported.add(server)) {
                log.debug("Mandos server \"" + info.getName() + "\" found on " + interfaceName + ": " + server);
                found.add(server);
            }
        }
    }

    @Override
    public void close() {
        List<JmDNS> instances;
        synchronized (lock) {
            closed = true;
            instances = new ArrayList<>(browsers.values());
            browsers.clear();
        }
        scanner.shutdownNow();
        resolver.shutdownNow();
        List<Thread> closers = new ArrayList<>();
        for (JmDNS jmdns : instances) {
            Thread t = daemon("mandos-client-zeroconf-close").newThread(() -> {
                try {
                    jmdns.close();
                } catch (IOException | RuntimeException e) {
                    // nothing more to do
                }
            });
            t.start();
            closers.add(t);
        }
        long end = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread t : closers) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private static List<Nic> currentNics() throws SocketException {
        List<Nic> nics = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            try {
                nics.add(new Nic(nif.getName(), nif.isUp(), nif.isLoopback(), nif.isPointToPoint(),
                        nif.supportsMulticast(), Collections.list(nif.getInetAddresses())));
            } catch (SocketException e) {
                // gone meanwhile
            }
        }
        return nics;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}

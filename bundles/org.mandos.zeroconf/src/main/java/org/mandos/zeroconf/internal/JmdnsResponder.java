package org.mandos.zeroconf.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.JmDNSImpl;
import org.mandos.api.Announcement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jmdns 3.6.1 instance bound to one address, publishing {@code _mandos._tcp.local.} with no TXT data.
 *
 * <p>Two details make several instances in one process work together:
 * <ul>
 * <li><b>Multicast loopback only for a lone responder.</b> Every instance listens on port 5353 of every
 * interface (jmdns binds the wildcard address, and Linux delivers a group's packets to every socket
 * that joined it on any interface). All instances publish the same host name, each with its own
 * address, so an instance hearing another one's address record of the same family takes it for a
 * conflicting host and renames itself (and then its service). When the process has several
 * responders of one address family, none loops its packets back to this host. When it has at most one
 * per family (one network card: the usual case), loopback stays on, so that a second server on this
 * host hears the name in use and takes the next one. (The cost of the first case: another server or a
 * browser on this very host does not see the announcement.)</li>
 * <li><b>No name lookups.</b> The address handed to jmdns already carries the host name, so jmdns does
 * not make a reverse DNS lookup for it (which can take seconds when no DNS server answers).</li>
 * </ul>
 */
final class JmdnsResponder implements Responder {

    /** The fully qualified DNS-SD service type. */
    static final String TYPE = Announcement.SERVICE_TYPE + ".local.";

    private static final Logger LOG = LoggerFactory.getLogger(JmdnsResponder.class);

    private final JmDNS dns;
    private final LocalAddress where;
    private final Executor background;
    private ServiceInfo service;

    private JmdnsResponder(JmDNS dns, LocalAddress where, Executor background) {
        this.dns = dns;
        this.where = where;
        this.background = background;
    }

    /** A factory whose responders withdraw replaced services on {@code background}. */
    static Responder.Factory factory(Executor background) {
        return (address, hostName) -> open(address, hostName, background);
    }

    static Responder open(LocalAddress address, String hostName, Executor background) throws IOException {
        JmDNS dns = JmDNS.create(withHostName(address, hostName), hostName);
        return new JmdnsResponder(dns, address, background);
    }

    /** The same address, carrying {@code hostName} (and, for IPv6, its interface as scope). */
    static InetAddress withHostName(LocalAddress address, String hostName) throws IOException {
        InetAddress a = address.address();
        if (a instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
            NetworkInterface scope = v6.getScopedInterface();
            if (scope == null) {
                scope = NetworkInterface.getByName(address.interfaceName());
            }
            if (scope == null) {
                throw new IOException("no interface " + address.interfaceName());
            }
            return Inet6Address.getByAddress(hostName, v6.getAddress(), scope);
        }
        return InetAddress.getByAddress(hostName, a.getAddress());
    }

    @Override
    public void register(String name, int port) throws IOException {
        ServiceInfo previous = service;
        ServiceInfo next = ServiceInfo.create(TYPE, name, port, 0, 0, Map.<String, byte[]>of());
        dns.registerService(next);
        service = next;
        if (previous != null) {
            background.execute(() -> {
                try {
                    dns.unregisterService(previous);
                } catch (RuntimeException e) {
                    LOG.debug("Withdrawing '{}' on {} failed", previous.getName(), where, e);
                }
            });
        }
    }

    @Override
    public String registeredName() {
        ServiceInfo s = service;
        return s == null ? null : s.getName();
    }

    /**
     * Sets multicast loopback as asked (again: jmdns makes a new socket when it recovers from an error).
     */
    @Override
    public void maintain(boolean loopback) {
        try {
            if (dns instanceof JmDNSImpl impl) {
                MulticastSocket socket = impl.getSocket();
                if (socket != null && !socket.isClosed()
                        && loopback != Boolean.TRUE.equals(socket.getOption(StandardSocketOptions.IP_MULTICAST_LOOP))) {
                    socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, loopback);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot set multicast loopback on {}", where, e);
        }
    }

    @Override
    public void close() {
        try {
            dns.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the responder on {} failed", where, e);
        }
    }

    @Override
    public String toString() {
        return "jmdns on " + where;
    }
}

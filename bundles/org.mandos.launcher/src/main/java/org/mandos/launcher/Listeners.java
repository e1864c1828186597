package org.mandos.launcher;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Opens the listening sockets the settings ask for. The JDK cannot bind a socket to a device
 * (SO_BINDTODEVICE), so {@code --interface} binds each of that interface's addresses instead; it never
 * falls back to listening everywhere.
 */
final class Listeners {

    private static final int BACKLOG = 512;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Listeners() {
    }

    static List<ServerSocketChannel> open(Settings s) throws StartupError {
        if (s.socket() != null) {
            return List.of(inherited(s));
        }
        List<InetAddress> addresses = addresses(s);
        List<ServerSocketChannel> channels = new ArrayList<>();
        int port = s.port();
        try {
            for (InetAddress address : addresses) {
                ServerSocketChannel channel = bind(address, port, s.port() != 0);
                channels.add(channel);
                port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            }
        } catch (IOException e) {
            channels.forEach(Listeners::closeQuietly);
            throw new StartupError("Cannot listen on " + describe(addresses, port) + ": " + e.getMessage());
        }
        return channels;
    }

    private static ServerSocketChannel bind(InetAddress address, int port, boolean fixedPort) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(
                address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (fixedPort) {
                // As the reference: a restart must not fail on connections lingering in TIME_WAIT.
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            channel.bind(new InetSocketAddress(address, port), BACKLOG);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static ServerSocketChannel inherited(Settings s) throws StartupError {
        if (!s.address().isEmpty() || s.port() != 0) {
            throw new StartupError(StartupError.USAGE, "--socket cannot be combined with an address or a port");
        }
        Channel channel;
        try {
            channel = System.inheritedChannel();
        } catch (IOException e) {
            throw new StartupError("--socket " + s.socket() + ": " + e.getMessage());
        }
        if (!(channel instanceof ServerSocketChannel server)) {
            throw new StartupError("--socket " + s.socket() + ": not a listening TCP socket"
                    + " (start the server with bin/mandos, which passes the socket on)");
        }
        try {
            server.configureBlocking(true);
        } catch (IOException e) {
            throw new StartupError("--socket " + s.socket() + ": " + e.getMessage());
        }
        return server;
    }

    /** Every address to bind, in order. */
    static List<InetAddress> addresses(Settings s) throws StartupError {
        NetworkInterface device = s.interfaceName().isEmpty() ? null : device(s.interfaceName(), s.interfaceOrigin());
        if (!s.address().isEmpty()) {
            InetAddress address = literal(s.address(), device, s.useIpv6(), s.addressOrigin());
            if (device != null && !Collections.list(device.getInetAddresses()).contains(withoutScope(address))) {
                throw new StartupError(s.addressOrigin() + " " + s.address() + " is not an address of interface "
                        + s.interfaceName() + (address.isAnyLocalAddress()
                                ? " (a wildcard address would listen on every interface)" : ""));
            }
            return List.of(address);
        }
        if (device != null) {
            List<InetAddress> own = new ArrayList<>();
            for (InetAddress a : Collections.list(device.getInetAddresses())) {
                if (a instanceof Inet4Address || s.useIpv6()) {
                    own.add(a);
                }
            }
            if (own.isEmpty()) {
                throw new StartupError(s.interfaceOrigin() + " " + s.interfaceName() + ": the interface has no "
                        + (s.useIpv6() ? "" : "IPv4 ") + "address to listen on");
            }
            // IPv6 first, as the reference listens on an IPv6 socket.
            own.sort((a, b) -> Boolean.compare(a instanceof Inet4Address, b instanceof Inet4Address));
            return own;
        }
        try {
            return List.of(InetAddress.getByName(s.useIpv6() ? "::" : "0.0.0.0"));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NetworkInterface device(String name, String origin) throws StartupError {
        try {
            NetworkInterface device = NetworkInterface.getByName(name);
            if (device == null) {
                throw new StartupError(origin + " " + name + ": no such network interface");
            }
            return device;
        } catch (SocketException e) {
            throw new StartupError(origin + " " + name + ": " + e.getMessage());
        }
    }

    /** Parses a numeric address (never a host name); a link-local IPv6 address takes the interface as scope. */
    private static InetAddress literal(String text, NetworkInterface device, boolean useIpv6, String origin)
            throws StartupError {
        boolean v6 = text.contains(":");
        if (!v6 && !IPV4.matcher(text).matches()) {
            throw new StartupError(StartupError.USAGE, origin + " " + text + ": not a numeric IP address");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new StartupError(StartupError.USAGE, origin + " " + text + ": not a valid IP address");
        }
        if (address instanceof Inet6Address && !useIpv6) {
            throw new StartupError(StartupError.USAGE, origin + " " + text + ": an IPv6 address needs IPv6 (drop --no-ipv6)");
        }
        if (address instanceof Inet6Address v6addr && v6addr.isLinkLocalAddress() && v6addr.getScopeId() == 0
                && v6addr.getScopedInterface() == null) {
            if (device == null) {
                throw new StartupError(StartupError.USAGE, origin + " " + text
                        + ": a link-local address needs --interface to give its scope");
            }
            try {
                return Inet6Address.getByAddress(null, v6addr.getAddress(), device);
            } catch (UnknownHostException e) {
                throw new StartupError(origin + " " + text + ": " + e.getMessage());
            }
        }
        return address;
    }

    private static InetAddress withoutScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            return address;
        }
    }

    static String describe(List<InetAddress> addresses, int port) {
        List<String> parts = new ArrayList<>();
        for (InetAddress a : addresses) {
            parts.add(a instanceof Inet6Address ? "[" + text(a) + "]:" + port : text(a) + ":" + port);
        }
        return String.join(", ", parts);
    }

    /** An address as people write it; the IPv6 wildcard is {@code ::}, as in the reference's log line. */
    static String text(InetAddress address) {
        return address instanceof Inet6Address && address.isAnyLocalAddress() ? "::" : address.getHostAddress();
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Start-up is failing anyway; the original error is what matters.
        }
    }
}

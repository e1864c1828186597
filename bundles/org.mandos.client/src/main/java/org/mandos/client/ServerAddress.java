package org.mandos.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * The {@code --connect} argument: {@code ADDRESS:PORT}, where the <em>last</em> colon separates the port, so
 * that an IPv6 literal needs no brackets ({@code ::1:10999}). {@code [::1]:10999} is accepted too, and an
 * IPv6 address may carry a zone ({@code fe80::1%eth0:10999}), by interface name or number.
 *
 * @param host  the address (an IPv4 or IPv6 literal, or a host name), without brackets or zone
 * @param scope the IPv6 zone after {@code %}, or {@code null}
 * @param port  1 to 65535
 */
public record ServerAddress(String host, String scope, int port) {

    public ServerAddress {
        Objects.requireNonNull(host, "host");
    }

    /**
     * Parses {@code ADDRESS:PORT}.
     *
     * @throws IllegalArgumentException with a one-line message if the text is malformed
     */
    public static ServerAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address; expected ADDRESS:PORT");
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in address: " + text);
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("no ':PORT' after ']' in address: " + text);
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("No colon in address: " + text + "; expected ADDRESS:PORT");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
        }
        int port = parsePort(portText, text);
        String scope = null;
        int percent = host.indexOf('%');
        if (percent >= 0) {
            scope = host.substring(percent + 1);
            host = host.substring(0, percent);
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("empty zone after '%' in address: " + text);
            }
            if (!host.contains(":")) {
                throw new IllegalArgumentException("a zone ('%" + scope + "') is only allowed on an IPv6 address: "
                        + text);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no address before the port: " + text);
        }
        if (host.contains(":")) {
            if (!isIpv6Literal(host)) {
                throw new IllegalArgumentException("not a valid IPv6 address: " + host);
            }
        } else if (!host.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a valid address or host name: " + host);
        }
        return new ServerAddress(host, scope, port);
    }

    private static int parsePort(String portText, String whole) {
        if (portText.isEmpty() || !portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
            throw new IllegalArgumentException("bad port number \"" + portText + "\" in address: " + whole);
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range (1-65535): " + port);
        }
        return port;
    }

    private static boolean isIpv6Literal(String host) {
        if (!host.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            // A string containing ':' is parsed as an IPv6 literal; no name lookup happens.
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Resolves the address for one connection attempt (a host name is looked up each time, a zone name is
     * matched against the network interfaces present now).
     *
     * @throws UnknownHostException if the name or zone cannot be resolved
     */
    public InetSocketAddress resolve() throws UnknownHostException {
        InetAddress address = InetAddress.getByName(host);
        if (scope != null) {
            byte[] bytes = address.getAddress();
            if (bytes.length != 16) {
                throw new UnknownHostException("a zone needs an IPv6 address: " + this);
            }
            if (scope.chars().allMatch(c -> c >= '0' && c <= '9')) {
                address = Inet6Address.getByAddress(null, bytes, Integer.parseInt(scope));
            } else {
                NetworkInterface nif;
                try {
                    nif = NetworkInterface.getByName(scope);
                } catch (SocketException e) {
                    nif = null;
                }
                if (nif == null) {
                    throw new UnknownHostException("no network interface named \"" + scope + "\"");
                }
                address = Inet6Address.getByAddress(null, bytes, nif.getIndex());
            }
        }
        return new InetSocketAddress(address, port);
    }

    /** The address as the reference prints it: {@code ADDRESS[%ZONE]:PORT}. */
    @Override
    public String toString() {
        return host + (scope == null ? "" : "%" + scope) + ":" + port;
    }
}

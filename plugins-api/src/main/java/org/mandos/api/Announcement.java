package org.mandos.api;

import java.util.Objects;

/**
 * What an {@link Announcer} publishes: a {@code _mandos._tcp} service.
 *
 * @param serviceName the instance name (the {@code servicename} setting, default {@code Mandos})
 * @param port        the port the server actually listens on
 * @param interfaceName the network interface to announce on, or "" for all
 * @param ipv6        whether the server listens for IPv6 (and so announces IPv6 addresses)
 */
public record Announcement(String serviceName, int port, String interfaceName, boolean ipv6) {

    /** The DNS-SD service type Mandos clients browse for. */
    public static final String SERVICE_TYPE = "_mandos._tcp";

    public Announcement {
        Objects.requireNonNull(serviceName, "serviceName");
        interfaceName = interfaceName == null ? "" : interfaceName;
    }
}

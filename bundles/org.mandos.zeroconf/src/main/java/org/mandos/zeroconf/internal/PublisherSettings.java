package org.mandos.zeroconf.internal;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ZeroconfPublisher} announces, from the framework properties the launcher sets.
 *
 * @param zeroconf      {@value #ZEROCONF} ({@code zeroconf}, {@code --no-zeroconf}); default true, as in
 *                      the reference server
 * @param serviceName   {@value #SERVICENAME}, default {@code Mandos}
 * @param interfaceName {@value #INTERFACE}, "" for every interface
 * @param ipv6          {@value #USE_IPV6}, default true
 * @param announcer     {@value #ANNOUNCER}: {@value #AUTO} (Avahi when it is there, else jmdns) or the
 *                      name of the one announcer to use
 */
record PublisherSettings(boolean zeroconf, String serviceName, String interfaceName, boolean ipv6, String announcer) {

    static final String ZEROCONF = "mandos.zeroconf";
    static final String SERVICENAME = "mandos.servicename";
    static final String INTERFACE = "mandos.interface";
    static final String USE_IPV6 = "mandos.use_ipv6";
    static final String ANNOUNCER = "mandos.announcer";

    static final String AUTO = "auto";
    static final String AVAHI = "avahi";
    static final String JMDNS = "jmdns";

    private static final Logger LOG = LoggerFactory.getLogger(PublisherSettings.class);

    /** Reads the settings; a missing or malformed property takes its default (a malformed one with a warning). */
    static PublisherSettings from(UnaryOperator<String> properties) {
        String name = trimmed(properties.apply(SERVICENAME));
        String announcer = trimmed(properties.apply(ANNOUNCER)).toLowerCase(Locale.ROOT);
        return new PublisherSettings(
                bool(properties, ZEROCONF, true),
                name.isEmpty() ? "Mandos" : name,
                trimmed(properties.apply(INTERFACE)),
                bool(properties, USE_IPV6, true),
                announcer.isEmpty() ? AUTO : announcer);
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    private static boolean bool(UnaryOperator<String> properties, String key, boolean fallback) {
        String value = trimmed(properties.apply(key)).toLowerCase(Locale.ROOT);
        switch (value) {
            case "":
                return fallback;
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                LOG.warn("Framework property {}={}: not a boolean; using {}", key, value, fallback);
                return fallback;
        }
    }
}

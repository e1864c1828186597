package org.mandos.zeroconf.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The machine's network interfaces and host name, from the JDK. */
final class SystemNetwork implements AnnouncementKeeper.Network {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    @Override
    public List<LocalAddress.Interface> interfaces() throws IOException {
        List<LocalAddress.Interface> result = new ArrayList<>();
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            try {
                result.add(new LocalAddress.Interface(i.getName(), i.isUp(), i.isLoopback(), i.supportsMulticast(),
                        Collections.list(i.getInetAddresses())));
            } catch (SocketException e) {
                // the interface went away while we looked at it
            }
        }
        return result;
    }

    /**
     * The machine's host name, as a single DNS label (the part before the first dot): the kernel's, else
     * the JDK's, else {@code mandos}.
     */
    static String hostName() {
        String name = null;
        try {
            name = Files.readString(KERNEL_HOSTNAME).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        if (name == null || name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        return label(name);
    }

    /** {@code name} cut to its first label; {@code mandos} for nothing usable or {@code localhost}. */
    static String label(String name) {
        String label = name == null ? "" : name.trim();
        int dot = label.indexOf('.');
        if (dot >= 0) {
            label = label.substring(0, dot);
        }
        label = ServiceNames.truncate(label, ServiceNames.MAX_LABEL_BYTES);
        if (label.isEmpty() || label.toLowerCase(Locale.ROOT).equals("localhost")) {
            return "mandos";
        }
        return label;
    }
}

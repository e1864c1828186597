package org.mandos.zeroconf.internal;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * Child process of {@link JmdnsNetnsTest}, run inside the other network namespace: optionally
 * publishes a competing service, then lists {@code _mandos._tcp} every half second, printing
 * {@code FOUND <name>|<server>|<port>|<addresses>} for each service seen, until its standard input closes.
 * Arguments: the address to bind (with scope), and the competing service's name (or "").
 */
public final class NetnsBrowserMain {

    private NetnsBrowserMain() {
    }

    public static void main(String[] args) throws Exception {
        JmDNS dns = JmDNS.create(InetAddress.getByName(args[0]), "competitor");
        if (!args[1].isEmpty()) {
            dns.registerService(ServiceInfo.create(JmdnsResponder.TYPE, args[1], 1, 0, 0, Map.<String, byte[]>of()));
        }
        System.out.println("READY");
        Thread reader = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the test to close our standard input
                }
            } catch (java.io.IOException e) {
                // the same: stop
            }
            System.exit(0);
        });
        reader.setDaemon(true);
        reader.start();
        while (true) {
            for (ServiceInfo s : dns.list(JmdnsResponder.TYPE, 500)) {
                System.out.println("FOUND " + s.getName() + "|" + s.getServer() + "|" + s.getPort() + "|"
                        + Arrays.toString(s.getInetAddresses()));
            }
        }
    }
}

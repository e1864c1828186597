package org.mandos.zeroconf.internal;

import java.io.IOException;
import org.mandos.api.Announcement;

/**
 * Child process of {@link JmdnsNetnsTest}, run inside a network namespace: announces with the real
 * jmdns announcer until its standard input closes, then withdraws and prints {@code WITHDRAWN}.
 * Arguments: host name, service name, port, interface ("" for all).
 */
public final class NetnsAnnouncerMain {

    private NetnsAnnouncerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        JmdnsAnnouncer announcer = new JmdnsAnnouncer(
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(),
                new SystemNetwork(), JmdnsResponder.factory(Runnable::run), () -> args[0], Runnable::run);
        announcer.announce(new Announcement(args[1], Integer.parseInt(args[2]), args[3], true));
        System.out.println("ANNOUNCED");
        while (System.in.read() >= 0) {
            // wait for the test to close our standard input
        }
        announcer.deactivate();
        System.out.println("WITHDRAWN");
        System.exit(0);
    }
}

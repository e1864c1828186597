package org.mandos.zeroconf.avahi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a system bus the announcer is never offered, and the link keeps trying. */
class AvahiLinkWithoutBusTest {

    @TempDir
    Path dir;

    @Test
    void noBusMeansNoAnnouncerAndRetries() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        AvahiPublication publication = new AvahiPublication(AvahiPublication.DEFAULT_MAX_RENAMES, n -> 1);
        String missing = "unix:path=" + dir.resolve("no-such-socket");
        // a second address that is not a socket either: both are tried each time
        Files.writeString(dir.resolve("plain-file"), "");
        AvahiLink link = new AvahiLink(List.of(missing, "unix:path=" + dir.resolve("plain-file")),
                Duration.ofMillis(50), publication, new AvahiLink.Availability() {
                    @Override
                    public void available() {
                        changes.incrementAndGet();
                    }

                    @Override
                    public void unavailable() {
                        changes.incrementAndGet();
                    }
                });
        link.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (link.connectAttempts() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(link.connectAttempts() >= 2, "attempts: " + link.connectAttempts());
        link.stop();
        int attempts = link.connectAttempts();
        Thread.sleep(200);
        assertEquals(attempts, link.connectAttempts(), "no attempt after stop()");
        assertEquals(0, changes.get());
        assertTrue(!publication.running());
    }
}

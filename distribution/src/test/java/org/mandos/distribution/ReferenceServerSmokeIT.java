package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness itself: the real client gets the demo password from the reference server. */
class ReferenceServerSmokeIT {

    @Test
    void theReferenceServerServesTheDemoClientToTheReferenceClient() {
        ReferenceTools.assumeInstalled();
        Path conf = TestFiles.newDirectory("mandos-ref-conf-");
        TestFiles.write(conf.resolve("clients.conf"), readDemo("clients.conf"));
        try (ReferenceServer server = ReferenceServer.start(conf)) {
            ReferenceTools.Result r = ReferenceTools.fetch(Installation.home().resolve("demo/client"),
                    "127.0.0.1:" + server.port, Duration.ofSeconds(30));
            assertEquals("This is the Mandos demo secret. It is public.", r.stdout(), server.log());
        }
    }

    private static String readDemo(String name) {
        try {
            return java.nio.file.Files.readString(Installation.home().resolve("demo/conf").resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

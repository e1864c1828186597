package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery as in an initial RAM disk: our server announces itself with Zeroconf in one network
 * namespace, and a client in another, joined to it by a veth pair, is given an interface but no
 * address, finds the server and gets its password. Also: two servers with one service name, and a
 * server with no network to announce on.
 */
class ZeroconfIT {

    private static final String FIRST = "Zeroconf found me";
    private static final String SECOND = "and found me too";

    private static Path firstKeys;
    private static Path secondKeys;
    private static String firstSection;
    private static String secondSection;

    @BeforeAll
    static void keys() {
        ReferenceTools.assumeInstalled();
        NetworkNamespaces.assumeAvailable();
        firstKeys = ReferenceTools.newClientKeys("first", "ed25519");
        secondKeys = ReferenceTools.newClientKeys("second", "ed25519");
        firstSection = ReferenceTools.section(firstKeys, "first", FIRST);
        secondSection = ReferenceTools.section(secondKeys, "second", SECOND);
    }

    /** A configuration with Zeroconf on and the built-in announcer (a host's Avahi must not be used here). */
    private static Path configdir(String clients, String servicename) {
        Path conf = TestFiles.newDirectory("mandos-zeroconf-");
        TestFiles.write(conf.resolve("clients.conf"), clients);
        TestFiles.write(conf.resolve("mandos.conf"),
                "[DEFAULT]\nzeroconf = yes\nservicename = " + servicename + "\nannouncer = jmdns\n");
        return conf;
    }

    /** The real mandos-client in {@code namespace}, on the client end of the link, with no --connect. */
    private static ReferenceTools.Result realClient(String namespace, Path keys) {
        return ReferenceTools.run(NetworkNamespaces.in(namespace, List.of("timeout", "60",
                ReferenceTools.client().toString(), "--interface=" + NetworkNamespaces.CLIENT_LINK,
                "--pubkey=" + keys.resolve("pubkey.txt"), "--seckey=" + keys.resolve("seckey.txt"),
                "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"), "--tls-privkey=" + keys.resolve("tls-privkey.pem"),
                "--network-hook-dir=" + ReferenceTools.dir().resolve("network-hooks.d"), "--retry=2", "--delay=1")),
                Duration.ofSeconds(60));
    }

    /** Our mandos-client in {@code namespace}, on the client end of the link, with no --connect. */
    private static ReferenceTools.Result ourClient(String namespace, Path keys) {
        List<String> command = new ArrayList<>(List.of("timeout", "60", Installation.bin("mandos-client").toString(),
                "--interface=" + NetworkNamespaces.CLIENT_LINK, "--pubkey=" + keys.resolve("pubkey.txt"),
                "--seckey=" + keys.resolve("seckey.txt"), "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"),
                "--tls-privkey=" + keys.resolve("tls-privkey.pem"), "--retry=2"));
        return ReferenceTools.run(NetworkNamespaces.in(namespace, command), Duration.ofSeconds(60));
    }

    @Test
    void theRealClientAndOursFindOurServerThroughZeroconfWithoutAnAddress() {
        try (NetworkNamespaces net = NetworkNamespaces.linked();
                ServerProcess server = ServerProcess.startInNamespace(net.server, configdir(firstSection, "Mandos"),
                        TestFiles.freePort())) {
            ReferenceTools.Result real = realClient(net.client, firstKeys);
            assertEquals(FIRST, real.stdout(), real.stderr() + "\n" + server.log());
            ReferenceTools.Result ours = ourClient(net.client, firstKeys);
            assertEquals(0, ours.exitCode(), ours.stderr() + "\n" + server.log());
            assertEquals(FIRST, ours.stdout());
        }
    }

    @Test
    void twoServersWithOneNameEndUpWithDistinctNamesAndBothAreFound() {
        try (NetworkNamespaces net = NetworkNamespaces.linked();
                ServerProcess one = ServerProcess.startInNamespace(net.server, configdir(firstSection, "Mandos"),
                        TestFiles.freePort());
                ServerProcess two = ServerProcess.startInNamespace(net.server, configdir(secondSection, "Mandos"),
                        TestFiles.freePort())) {
            // Whichever announced second takes the next name.
            String renamed = "Changing Zeroconf service name to 'Mandos #2'";
            java.time.Instant end = java.time.Instant.now().plusSeconds(30);
            while (!one.log().contains(renamed) && !two.log().contains(renamed)) {
                assertTrue(java.time.Instant.now().isBefore(end), "no rename:\n" + one.log() + "\n" + two.log());
                TestFiles.pause(Duration.ofMillis(100));
            }
            assertTrue(one.log().contains(renamed) != two.log().contains(renamed), "exactly one is renamed");
            // Each server knows one client; the client tries every server it finds until one answers.
            ReferenceTools.Result first = realClient(net.client, firstKeys);
            assertEquals(FIRST, first.stdout(), first.stderr() + "\n" + one.log() + "\n" + two.log());
            ReferenceTools.Result second = realClient(net.client, secondKeys);
            assertEquals(SECOND, second.stdout(), second.stderr() + "\n" + one.log() + "\n" + two.log());
        }
    }

    @Test
    void withNoNetworkToAnnounceOnTheServerSaysSoAndServesOn() {
        try (NetworkNamespaces net = NetworkNamespaces.isolated();
                ServerProcess server = ServerProcess.startInNamespace(net.server, configdir(firstSection, "Mandos"),
                        TestFiles.freePort())) {
            server.awaitLog(l -> l.contains("No network interface to announce"), Duration.ofSeconds(30));
            assertTrue(server.isAlive(), server.log());
        }
    }
}

package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our mandos-keygen and mandos-client, both ways with the reference tools: keys from our keygen work
 * with the real client against our server and the reference server; our client fetches from both
 * servers with keys from either keygen; and it fails cleanly when it should.
 */
class OurToolsIT {

    private static final String OURS = "password from our keygen";
    private static final String THEIRS = "password from the real keygen";

    private static Path ourKeys;
    private static Path realKeys;
    private static Path disabledKeys;
    private static Path strangerKeys;
    private static ServerProcess ourServer;
    private static ReferenceServer referenceServer;

    static ReferenceTools.Result tool(String name, Duration limit, String... args) {
        List<String> command = new ArrayList<>(List.of(Installation.bin(name).toString()));
        command.addAll(List.of(args));
        return ReferenceTools.run(command, limit);
    }

    /** Keys from our keygen (smaller OpenPGP keys than the default, to keep the test quick). */
    static Path ourKeygen(String name) {
        Path dir = TestFiles.newDirectory("mandos-ourkeys-" + name + "-").resolve("keys");
        ReferenceTools.Result r = tool("mandos-keygen", Duration.ofMinutes(3), "--dir", dir.toString(), "--name", name,
                "--length", "2048", "--sublength", "2048");
        assertEquals(0, r.exitCode(), r.stderr());
        return dir;
    }

    static String ourSection(Path keys, String name, String password) {
        Path passfile = TestFiles.write(TestFiles.newDirectory("mandos-pass-").resolve("pass"), password);
        ReferenceTools.Result r = tool("mandos-keygen", Duration.ofMinutes(1), "--dir", keys.toString(),
                "--passfile", passfile.toString(), "--name", name, "--no-ssh");
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout();
    }

    static ReferenceTools.Result ourClient(Path keys, String connect, String... extra) {
        List<String> args = new ArrayList<>(List.of("--connect=" + connect, "--pubkey=" + keys.resolve("pubkey.txt"),
                "--seckey=" + keys.resolve("seckey.txt"), "--tls-pubkey=" + keys.resolve("tls-pubkey.pem"),
                "--tls-privkey=" + keys.resolve("tls-privkey.pem")));
        args.addAll(List.of(extra));
        return tool("mandos-client", Duration.ofSeconds(60), args.toArray(String[]::new));
    }

    @BeforeAll
    static void start() {
        ReferenceTools.assumeInstalled();
        ourKeys = ourKeygen("ours");
        disabledKeys = ourKeygen("napping");
        realKeys = ReferenceTools.newClientKeys("theirs", "ed25519");
        strangerKeys = ourKeygen("stranger");
        String conf = ourSection(ourKeys, "ours", OURS)
                + ReferenceTools.section(realKeys, "theirs", THEIRS)
                + ourSection(disabledKeys, "napping", "never sent") + "enabled = false\n";
        Path configdir = TestFiles.newDirectory("mandos-tools-");
        TestFiles.write(configdir.resolve("clients.conf"), conf);
        ourServer = ServerProcess.start(configdir);
        referenceServer = ReferenceServer.start(configdir);
    }

    @AfterAll
    static void stop() {
        if (ourServer != null) {
            ourServer.close();
        }
        if (referenceServer != null) {
            referenceServer.close();
        }
    }

    @Test
    void theRealClientDecryptsWhatOurKeygenMadeFromOurServer() {
        ReferenceTools.Result r = ReferenceTools.fetch(ourKeys, "::1:" + ourServer.port, Duration.ofSeconds(30));
        assertEquals(OURS, r.stdout(), r.stderr());
    }

    @Test
    void theRealClientDecryptsWhatOurKeygenMadeFromTheReferenceServer() {
        ReferenceTools.Result r = ReferenceTools.fetch(ourKeys, "127.0.0.1:" + referenceServer.port,
                Duration.ofSeconds(30));
        assertEquals(OURS, r.stdout(), referenceServer.log());
    }

    @Test
    void ourClientFetchesFromTheReferenceServerWithKeysFromTheRealKeygen() {
        ReferenceTools.Result r = ourClient(realKeys, "127.0.0.1:" + referenceServer.port, "--tries=3", "--retry=1");
        assertEquals(0, r.exitCode(), r.stderr() + referenceServer.log());
        assertEquals(THEIRS, r.stdout());
    }

    @Test
    void ourClientFetchesFromOurServerWithKeysFromOurKeygen() {
        ReferenceTools.Result r = ourClient(ourKeys, "::1:" + ourServer.port, "--tries=3", "--retry=1");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(OURS, r.stdout());
    }

    @Test
    void ourClientGetsNothingForAnUnknownKeyAndExitsNonZeroAfterItsTries() {
        ReferenceTools.Result r = ourClient(strangerKeys, "127.0.0.1:" + ourServer.port, "--tries=2", "--retry=0.2");
        assertNotEquals(0, r.exitCode());
        assertEquals("", r.stdout());
    }

    @Test
    void ourClientGetsNothingForADisabledClient() {
        ReferenceTools.Result r = ourClient(disabledKeys, "127.0.0.1:" + ourServer.port, "--tries=2", "--retry=0.2");
        assertNotEquals(0, r.exitCode());
        assertEquals("", r.stdout());
    }

    @Test
    void theDemoKeysMadeByOurKeygenFetchTheDemoPasswordWithOurClient() {
        Path demo = Installation.home().resolve("demo");
        try (ServerProcess demoServer = ServerProcess.start(demo.resolve("conf"))) {
            ReferenceTools.Result r = ourClient(demo.resolve("client"), "::1:" + demoServer.port, "--tries=3");
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("This is the Mandos demo secret. It is public.", r.stdout());
            ReferenceTools.Result disabled = ourClient(demo.resolve("client-disabled"), "127.0.0.1:" + demoServer.port,
                    "--tries=2", "--retry=0.2");
            assertEquals(75, disabled.exitCode(), disabled.stderr());
            assertEquals("", disabled.stdout());
            demoServer.awaitLog(line -> line.contains("Client demo-disabled is disabled"), Duration.ofSeconds(10));
        }
    }

    @Test
    void aWrongOpenPgpKeyGivesAClearDecryptionErrorNotAStackTrace() throws Exception {
        // TLS keys of "ours" (so the server sends its secret) with the OpenPGP keys of "stranger".
        Path mixed = TestFiles.newDirectory("mandos-mixed-");
        for (String f : List.of("tls-pubkey.pem", "tls-privkey.pem")) {
            Files.copy(ourKeys.resolve(f), mixed.resolve(f));
        }
        for (String f : List.of("pubkey.txt", "seckey.txt")) {
            Files.copy(strangerKeys.resolve(f), mixed.resolve(f));
        }
        ReferenceTools.Result r = ourClient(mixed, "127.0.0.1:" + ourServer.port, "--tries=1");
        assertNotEquals(0, r.exitCode());
        assertEquals("", r.stdout());
        assertTrue(r.stderr().contains("OpenPGP"), r.stderr());
        assertTrue(!r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
    }
}

package org.mandos.distribution;

import static org.mandos.distribution.SecretFetch.fetch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/**
 * A client store plugin on a running server: its jar dropped into plugins/, its configuration file in
 * the configuration directory reaching it through Configuration Admin and re-read when edited, and its
 * clients gone with it.
 */
class StorePluginIT {

    private static final String PID = "org.mandos.sample.store.directory";


    /** Polls until the key gets {@code expected} (empty: is refused); fails after {@code limit}. */
    private static void await(int port, KeyPair key, byte[] expected, String what) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        byte[] got;
        do {
            got = fetch(port, key);
            if (Arrays.equals(expected, got)) {
                return;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(end));
        throw new AssertionError(what + ": got " + got.length + " bytes");
    }

    private static void client(Path directory, String name, KeyPair key, byte[] secret) {
        TestFiles.write(directory.resolve(name + ".conf"), "key_id = " + KeyIds.of(key.getPublic().getEncoded())
                + "\nsecret = " + Base64.getEncoder().encodeToString(secret) + "\nchecker = true\n");
    }

    @Test
    void aStorePluginIsConfiguredThroughACfgFileAndTakesItsClientsWithIt() throws Exception {
        KeyPair b = KeyFiles.generate("ed25519");
        KeyPair d = KeyFiles.generate("ed25519");
        byte[] secretB = "bee".getBytes(StandardCharsets.UTF_8);
        byte[] secretD = "dee".getBytes(StandardCharsets.UTF_8);
        Path conf = TestFiles.newDirectory("mandos-storeplugin-");
        Path first = TestFiles.newDirectory("mandos-store-first-");
        Path second = TestFiles.newDirectory("mandos-store-second-");
        TestFiles.write(conf.resolve("clients.conf"), "");
        client(first, "b", b, secretB);
        client(second, "d", d, secretD);
        Path sample;
        try (var jars = Files.list(Installation.home().resolve("samples/plugins"))) {
            sample = jars.filter(p -> p.getFileName().toString().startsWith(PID)).findFirst().orElseThrow();
        }
        Path deployed = Installation.home().resolve("plugins").resolve(sample.getFileName());
        try (ServerProcess server = ServerProcess.start(conf)) {
            long pid = server.pid();
            Files.copy(sample, deployed);
            Path cfg = conf.resolve(PID + ".cfg");
            TestFiles.write(cfg, "directory = " + first + "\nname = first\n");
            await(server.port, b, secretB, "the store's client is served once the .cfg file exists");

            client(first, "c", d, secretD);
            await(server.port, d, secretD, "a client added to the store's directory is served");

            TestFiles.write(cfg, "directory = " + second + "\nname = second\n");
            await(server.port, b, new byte[0], "an edited .cfg file is re-read: the old directory's client goes");
            await(server.port, d, secretD, "and the new directory's client is served");

            Files.delete(deployed);
            await(server.port, d, new byte[0], "no client of a removed store is served");
            assertTrue(server.isAlive());
            assertEquals(pid, server.pid(), "the process id never changes");
        } finally {
            Files.deleteIfExists(deployed);
        }
    }
}

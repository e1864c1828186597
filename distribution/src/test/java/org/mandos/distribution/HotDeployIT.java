package org.mandos.distribution;

import static org.mandos.distribution.SecretFetch.fetch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;

/** A checker plugin dropped into plugins/ of a running server goes live, and goes away again. */
class HotDeployIT {

    private static final byte[] SECRET = "hot".getBytes(StandardCharsets.UTF_8);

    @Test
    void aCheckerPluginIsInstalledUpdatedAndUninstalledWhileTheServerServes() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path sample;
        try (var jars = Files.list(Installation.home().resolve("samples/plugins"))) {
            sample = jars.filter(p -> p.getFileName().toString().startsWith("org.mandos.sample.checker.reachability-"))
                    .findFirst().orElseThrow();
        }
        Path deployed = Installation.home().resolve("plugins").resolve(sample.getFileName());
        try (ServerSocket probed = new ServerSocket(0)) {
            Path conf = TestFiles.newDirectory("mandos-hotdeploy-");
            TestFiles.write(conf.resolve("clients.conf"), "[reach]\nhost = 127.0.0.1\nkey_id = "
                    + KeyIds.of(key.getPublic().getEncoded()) + "\nsecret = " + Base64.getEncoder().encodeToString(SECRET)
                    + "\nchecker_type = reachability\nreachability_method = tcp\nreachability_port = " + probed.getLocalPort()
                    + "\ninterval = PT10S\ntimeout = PT60S\n");
            try (ServerProcess server = ServerProcess.start(conf)) {
                long pid = server.pid();
                server.awaitLog(l -> l.contains("no checker of type \"reachability\" is installed"), Duration.ofSeconds(20));
                Files.copy(sample, deployed);
                server.awaitLog(l -> l.contains("Checker type reachability is available"), Duration.ofSeconds(20));
                server.awaitLog(l -> l.contains("Checker for reach succeeded"), Duration.ofSeconds(20));
                assertArrayEquals(SECRET, fetch(server.port, key));

                // Replacing the jar (written elsewhere on the file system, then renamed over it) updates the
                // bundle in place.
                Path next = Installation.home().resolve("next-plugin.tmp");
                Files.copy(sample, next);
                Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(5)));
                Files.move(next, deployed, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                server.awaitLog(l -> l.contains("Checker type reachability went away"), Duration.ofSeconds(20));
                server.awaitLog(l -> l.contains("Checker type reachability is available"), 2, Duration.ofSeconds(20));
                server.awaitLog(l -> l.contains("Checker for reach succeeded"), 2, Duration.ofSeconds(20));
                assertArrayEquals(SECRET, fetch(server.port, key));

                Files.delete(deployed);
                server.awaitLog(l -> l.contains("Checker type reachability went away"), 2, Duration.ofSeconds(20));
                assertArrayEquals(SECRET, fetch(server.port, key), "the server serves on, its clients intact");
                assertTrue(server.isAlive(), "the server process is still running");
                assertEquals(pid, server.pid(), "the process id never changes");
            } finally {
                Files.deleteIfExists(deployed);
            }
        }
    }
}

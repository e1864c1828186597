package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.mandos.tls.KeyFiles;
import org.mandos.tls.KeyIds;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsPolicy;

/** A checker plugin dropped into plugins/ of a running server goes live, and goes away again. */
class HotDeployIT {

    private static final byte[] SECRET = "hot".getBytes(StandardCharsets.UTF_8);

    private static byte[] fetch(int port, KeyPair key) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("1\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawKeyTlsServer.receive(socket.getInputStream(), socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                    key, new SecureRandom());
        }
    }

    @Test
    void aCheckerPluginIsInstalledAndUninstalledWhileTheServerServes() throws Exception {
        KeyPair key = KeyFiles.generate("ed25519");
        Path sample;
        try (var jars = Files.list(Installation.home().resolve("samples/plugins"))) {
            sample = jars.filter(p -> p.getFileName().toString().startsWith("org.mandos.sample.checker.tcp"))
                    .findFirst().orElseThrow();
        }
        Path deployed = Installation.home().resolve("plugins").resolve(sample.getFileName());
        try (ServerSocket probed = new ServerSocket(0)) {
            Path conf = TestFiles.newDirectory("mandos-hotdeploy-");
            TestFiles.write(conf.resolve("clients.conf"), "[reach]\nhost = 127.0.0.1\nkey_id = "
                    + KeyIds.of(key.getPublic().getEncoded()) + "\nsecret = " + Base64.getEncoder().encodeToString(SECRET)
                    + "\nchecker_type = tcp\ntcp_port = " + probed.getLocalPort() + "\ninterval = PT10S\ntimeout = PT60S\n");
            try (ServerProcess server = ServerProcess.start(conf)) {
                server.awaitLog(l -> l.contains("no checker of type \"tcp\" is installed"), Duration.ofSeconds(20));
                Files.copy(sample, deployed);
                server.awaitLog(l -> l.contains("Checker type tcp is available"), Duration.ofSeconds(20));
                server.awaitLog(l -> l.contains("Checker for reach succeeded"), Duration.ofSeconds(20));
                assertArrayEquals(SECRET, fetch(server.port, key));
                Files.delete(deployed);
                server.awaitLog(l -> l.contains("Checker type tcp went away"), Duration.ofSeconds(20));
                assertArrayEquals(SECRET, fetch(server.port, key), "the server serves on, its clients intact");
            } finally {
                Files.deleteIfExists(deployed);
            }
        }
    }
}

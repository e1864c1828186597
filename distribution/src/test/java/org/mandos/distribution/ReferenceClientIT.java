package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Debian mandos-client 1.8.16 fetches its password from our server, with keys and a
 * clients.conf made by the real mandos-keygen, over IPv4 and IPv6 loopback; and gets nothing when its
 * key is unknown or its client disabled, while our log says which.
 */
class ReferenceClientIT {

    /** Client name → TLS key type; the names say what each is. */
    private static final Map<String, String> KEY_TYPES = new LinkedHashMap<>();

    static {
        KEY_TYPES.put("ed25519", "ed25519");      // the mandos-keygen default
        KEY_TYPES.put("rsa4096", "rsa-4096");
        KEY_TYPES.put("ecdsa256", "ecdsa-p256");
        KEY_TYPES.put("keygen-rsa", "rsa");       // what mandos-keygen -T rsa makes: RSA 8192
        KEY_TYPES.put("keygen-ecdsa", "ecdsa");   // mandos-keygen -T ecdsa: ECDSA P-384
    }

    private static final Map<String, Path> keys = new LinkedHashMap<>();
    private static Path strangerKeys;
    private static Path disabledKeys;
    private static ServerProcess server;

    private static String password(String name) {
        return "password of " + name + " \u2013 with UTF-8 and\nnewlines\n";
    }

    @BeforeAll
    static void start() {
        ReferenceTools.assumeInstalled();
        Map<String, CompletableFuture<Path>> making = new LinkedHashMap<>();
        KEY_TYPES.forEach((name, type) -> making.put(name,
                CompletableFuture.supplyAsync(() -> ReferenceTools.newClientKeys(name, type))));
        making.put("sleeper", CompletableFuture.supplyAsync(() -> ReferenceTools.newClientKeys("sleeper", "ed25519")));
        making.put("stranger", CompletableFuture.supplyAsync(() -> ReferenceTools.newClientKeys("stranger", "ed25519")));
        making.forEach((name, future) -> keys.put(name, future.join()));
        strangerKeys = keys.remove("stranger");
        disabledKeys = keys.remove("sleeper");

        StringBuilder conf = new StringBuilder("# written by mandos-keygen, unchanged but for enabled = false\n");
        // One section as typed at the --password prompt, the others from --passfile.
        conf.append(ReferenceTools.sectionFromPasswordPrompt(keys.get("ed25519"), "ed25519", "typed at the prompt"));
        keys.forEach((name, dir) -> {
            if (!name.equals("ed25519")) {
                conf.append(ReferenceTools.section(dir, name, password(name)));
            }
        });
        conf.append(ReferenceTools.section(disabledKeys, "sleeper", password("sleeper"))).append("enabled = false\n");
        Path configdir = TestFiles.newDirectory("mandos-interop-");
        TestFiles.write(configdir.resolve("clients.conf"), conf.toString());
        server = ServerProcess.start(configdir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> clientsAndAddresses() {
        return KEY_TYPES.keySet().stream()
                .flatMap(name -> Stream.of(Arguments.of(name, "127.0.0.1"), Arguments.of(name, "::1")));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("clientsAndAddresses")
    void theRealClientReceivesItsPassword(String name, String address) {
        ReferenceTools.Result result = ReferenceTools.fetch(keys.get(name), address + ":" + server.port,
                Duration.ofSeconds(30));
        String expected = name.equals("ed25519") ? "typed at the prompt" : password(name);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(expected, result.stdout());
        server.awaitLog(line -> line.contains("Sending secret to " + name), Duration.ofSeconds(10));
        // Our default puts X25519 first (the reference: P-256); GnuTLS accepts its key share as it is.
        String keyId = ReferenceTools.keyId(keys.get(name));
        server.awaitLog(line -> line.contains("Key ID: " + keyId) && line.endsWith("(TLS_AES_256_GCM_SHA384, x25519)"),
                Duration.ofSeconds(10));
    }

    @Test
    void anUnknownKeyGetsNothingAndTheLogNamesItsKeyId() {
        ReferenceTools.Result result = ReferenceTools.fetch(strangerKeys, "127.0.0.1:" + server.port,
                Duration.ofSeconds(4));
        assertNotEquals(0, result.exitCode());
        assertEquals("", result.stdout());
        String keyId = ReferenceTools.keyId(strangerKeys);
        server.awaitLog(line -> line.contains("Client not found for key ID: " + keyId), Duration.ofSeconds(10));
    }

    @Test
    void aDisabledClientGetsNothingAndTheLogSaysItIsDisabled() {
        ReferenceTools.Result result = ReferenceTools.fetch(disabledKeys, "::1:" + server.port, Duration.ofSeconds(4));
        assertNotEquals(0, result.exitCode());
        assertEquals("", result.stdout());
        server.awaitLog(line -> line.contains("Client sleeper is disabled"), Duration.ofSeconds(10));
        assertTrue(server.log().lines().noneMatch(l -> l.contains("Sending secret to sleeper")), server.log());
    }

    @Test
    void theServerNeverLogsAPassword() {
        List<String> secrets = keys.keySet().stream().map(ReferenceClientIT::password).toList();
        String log = server.log();
        secrets.forEach(s -> assertTrue(!log.contains(s.trim()), "a password is in the log"));
    }
}

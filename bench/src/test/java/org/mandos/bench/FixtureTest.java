package org.mandos.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.config.ClientSettings;
import org.mandos.config.ClientsFile;
import org.mandos.tls.KeyIds;

class FixtureTest {

    @TempDir
    Path dir;

    @Test
    void clientsConfParsesWithTheServersParser() throws Exception {
        List<Fixture.SimClient> clients = Fixture.clients(dir.resolve("keys"), 25, 100);
        Fixture.ClientOptions options = Fixture.ClientOptions.defaults()
                .withExtra(Map.of("checker_type", "reachability", "reachability_port", "4711"));
        Fixture.writeConfig(dir.resolve("conf"), clients, options, 12345, 2048);

        ClientsFile file = ClientsFile.load(dir.resolve("conf/clients.conf"), Map.of());
        // World-readable only as root on a machine without a _mandos group (the server then runs as nobody).
        boolean worldReadable = java.nio.file.Files.getPosixFilePermissions(dir.resolve("conf/clients.conf"))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        assertEquals(worldReadable ? 1 : 0, file.warnings().size(), file.warnings().toString());
        assertEquals(25, file.clients().size());
        for (int i = 0; i < clients.size(); i++) {
            Fixture.SimClient expected = clients.get(i);
            ClientSettings parsed = file.clients().get(i);
            assertEquals(expected.name(), parsed.name());
            assertEquals(expected.keyId(), parsed.keyId().toUpperCase(java.util.Locale.ROOT));
            assertEquals(KeyIds.of(expected.key().getPublic()), expected.keyId());
            assertArrayEquals(expected.secret(), parsed.secret());
            assertEquals("127.0.0.1", parsed.host());
            assertEquals(expected.keyId().substring(0, 40), parsed.fingerprint().toUpperCase(java.util.Locale.ROOT));
            assertEquals(Duration.ofHours(1), parsed.timeout());
            assertEquals(Duration.ofMinutes(2), parsed.interval());
            assertEquals("reachability", parsed.options().get("checker_type"));
        }
        Set<String> ids = clients.stream().map(Fixture.SimClient::keyId).collect(Collectors.toSet());
        assertEquals(25, ids.size(), "distinct keys");

        String mandosConf = Files.readString(dir.resolve("conf/mandos.conf"));
        assertTrue(mandosConf.contains("port = 12345"));
        assertTrue(mandosConf.contains("max_connections = 2048"));
        assertTrue(mandosConf.contains("zeroconf = no"));
        assertTrue(mandosConf.contains("use_dbus = no"));
    }

    @Test
    void keysAreCachedAndExtended() throws Exception {
        List<Fixture.SimClient> first = Fixture.clients(dir, 3, 64);
        List<Fixture.SimClient> again = Fixture.clients(dir, 5, 64);
        for (int i = 0; i < 3; i++) {
            assertEquals(first.get(i).keyId(), again.get(i).keyId());
            assertArrayEquals(first.get(i).secret(), again.get(i).secret());
        }
        assertEquals(5, Fixture.readKeys(dir.resolve(Fixture.KEY_CACHE)).size());
        assertNotEquals(again.get(3).keyId(), again.get(4).keyId());
    }

    @Test
    void secretsAreDerivedFromTheKeyId() {
        assertArrayEquals(Fixture.secretFor("AB", 70), Fixture.secretFor("AB", 70));
        assertEquals(70, Fixture.secretFor("AB", 70).length);
        assertNotEquals(java.util.Arrays.toString(Fixture.secretFor("AB", 32)),
                java.util.Arrays.toString(Fixture.secretFor("AC", 32)));
    }
}

package org.mandos.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.ClientDefinition;
import org.mandos.config.ConfigException;

class FileClientStoreTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("clients.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void everySettingOfASectionReachesTheDefinition() throws Exception {
        Path file = write("[DEFAULT]\ntimeout = PT1H\n\n[web]\nhost = web.example\n"
                + "key_id = ab cd\nsecret = aGVsbG8=\napproval_delay = PT30S\napproved_by_default = no\n"
                + "enabled = false\nchecker = ping -c1 %%(host)s\ncolour = blue\n");
        List<ClientDefinition> clients = new FileClientStore(dir, Map.of()).clients();
        assertEquals(1, clients.size());
        ClientDefinition web = clients.get(0);
        assertEquals("web", web.name());
        assertEquals("ABCD", web.keyId());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), web.secret());
        assertEquals("web.example", web.host());
        assertEquals(Duration.ofHours(1), web.timeout());
        assertEquals(Duration.ofSeconds(30), web.approvalDelay());
        assertFalse(web.approvedByDefault());
        assertFalse(web.enabled());
        assertEquals("ping -c1 %(host)s", web.checker());
        assertEquals("blue", web.options().get("colour"));
        assertFalse(web.options().containsKey("secret"));
        assertFalse(web.toString().contains("hello"));
    }

    @Test
    void aFileThatDoesNotParseGivesNoStoreAtAll() throws Exception {
        Path file = write("[web]\nkey_id = AB\nsecret = aGVsbG8=\ntimeout = soon\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new FileClientStore(dir, Map.of()));
        assertTrue(e.getMessage().contains(":4: [web] timeout:"), e.getMessage());
    }

    @Test
    void aMissingFileMeansNoClients() throws Exception {
        assertTrue(new FileClientStore(dir, Map.of()).clients().isEmpty());
    }

    @Test
    void aReloadPicksUpAddedChangedAndRemovedClients() throws Exception {
        Path file = write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n[b]\nkey_id = 02\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(dir, Map.of());
        assertFalse(store.reload(), "nothing changed");
        write("[a]\nkey_id = 01\nsecret = aGVsbG8=\nhost = moved\n[c]\nkey_id = 03\nsecret = aGVsbG8=\n");
        assertTrue(store.reload());
        assertEquals(List.of("a", "c"), store.clients().stream().map(ClientDefinition::name).toList());
        assertEquals("moved", store.clients().get(0).host());
    }

    @Test
    void anEditThatDoesNotParseIsRejectedAsAWholeAndThePreviousClientsStay() throws Exception {
        Path file = write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(dir, Map.of());
        write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n[b]\nkey_id = 02\nsecret = aGVsbG8=\ntimeout = soon\n");
        ConfigException e = assertThrows(ConfigException.class, store::reload);
        assertTrue(e.getMessage().contains("clients.conf:7: [b] timeout:"), e.getMessage());
        assertEquals(List.of("a"), names(store));
    }

    private static List<String> names(FileClientStore store) {
        return store.clients().stream().map(ClientDefinition::name).toList();
    }

    private void dropIn(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve("clients.d"));
        Files.writeString(dir.resolve("clients.d").resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void clientsDotDFilesFollowClientsConfInNameOrderEachWithItsOwnDefaults() throws Exception {
        write("[DEFAULT]\ntimeout = PT1H\n[main]\nkey_id = 01\nsecret = aGVsbG8=\n");
        dropIn("20-web.conf", "[web]\nkey_id = 03\nsecret = aGVsbG8=\n");
        dropIn("10-db.conf", "[DEFAULT]\ninterval = PT10S\n[db]\nkey_id = 02\nsecret = aGVsbG8=\n");
        dropIn("30-old.conf.dpkg-old", "[old]\nkey_id = 04\nsecret = aGVsbG8=\n");
        dropIn(".hidden.conf", "[hidden]\nkey_id = 05\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(dir, Map.of());
        assertEquals(List.of("main", "db", "web"), names(store));
        ClientDefinition db = store.clients().get(1);
        assertEquals(Duration.ofSeconds(10), db.interval());
        assertEquals(Duration.ofMinutes(5), db.timeout(), "clients.conf's [DEFAULT] stays in clients.conf");
        assertEquals(Duration.ofHours(1), store.clients().get(0).timeout());
    }

    @Test
    void clientsDotDAloneIsEnough() throws Exception {
        dropIn("a.conf", "[a]\nkey_id = 01\nsecret = aGVsbG8=\n");
        assertEquals(List.of("a"), names(new FileClientStore(dir, Map.of())));
    }

    @Test
    void aClientDefinedInTwoFilesRejectsTheEditAsAWhole() throws Exception {
        write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(dir, Map.of());
        dropIn("b.conf", "[b]\nkey_id = 02\nsecret = aGVsbG8=\n[a]\nkey_id = 03\nsecret = aGVsbG8=\n");
        ConfigException e = assertThrows(ConfigException.class, store::reload);
        assertTrue(e.getMessage().contains("b.conf: [a] client already defined in " + dir.resolve("clients.conf")),
                e.getMessage());
        assertEquals(List.of("a"), names(store), "b is not added either");
    }

    @Test
    void addingChangingAndRemovingDropInsIsPickedUpByAReload() throws Exception {
        write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(dir, Map.of());
        dropIn("b.conf", "[b]\nkey_id = 02\nsecret = aGVsbG8=\n");
        assertTrue(store.reload());
        assertEquals(List.of("a", "b"), names(store));
        dropIn("b.conf", "[b]\nkey_id = 02\nsecret = aGVsbG8=\nhost = there\n");
        assertTrue(store.reload());
        assertEquals("there", store.clients().get(1).host());
        dropIn("c.conf", "[c]\nkey_id = 03\nsecret = aGVsbG8=\ntimeout = soon\n");
        ConfigException e = assertThrows(ConfigException.class, store::reload);
        assertTrue(e.getMessage().contains("c.conf:4: [c] timeout:"), e.getMessage());
        Files.delete(dir.resolve("clients.d/c.conf"));
        Files.delete(dir.resolve("clients.d/b.conf"));
        assertTrue(store.reload());
        assertEquals(List.of("a"), names(store));
    }
}

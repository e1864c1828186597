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
        List<ClientDefinition> clients = new FileClientStore(file, Map.of()).clients();
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
        ConfigException e = assertThrows(ConfigException.class, () -> new FileClientStore(file, Map.of()));
        assertTrue(e.getMessage().contains(":4: [web] timeout:"), e.getMessage());
    }

    @Test
    void aMissingFileMeansNoClients() throws Exception {
        assertTrue(new FileClientStore(dir.resolve("clients.conf"), Map.of()).clients().isEmpty());
    }

    @Test
    void aReloadPicksUpAddedChangedAndRemovedClients() throws Exception {
        Path file = write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n[b]\nkey_id = 02\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(file, Map.of());
        assertFalse(store.reload(), "nothing changed");
        write("[a]\nkey_id = 01\nsecret = aGVsbG8=\nhost = moved\n[c]\nkey_id = 03\nsecret = aGVsbG8=\n");
        assertTrue(store.reload());
        assertEquals(List.of("a", "c"), store.clients().stream().map(ClientDefinition::name).toList());
        assertEquals("moved", store.clients().get(0).host());
    }

    @Test
    void anEditThatDoesNotParseIsRejectedAsAWholeAndThePreviousClientsStay() throws Exception {
        Path file = write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n");
        FileClientStore store = new FileClientStore(file, Map.of());
        write("[a]\nkey_id = 01\nsecret = aGVsbG8=\n[b]\nkey_id = 02\nsecret = aGVsbG8=\ntimeout = soon\n");
        assertFalse(store.reload());
        assertEquals(List.of("a"), store.clients().stream().map(ClientDefinition::name).toList());
    }
}

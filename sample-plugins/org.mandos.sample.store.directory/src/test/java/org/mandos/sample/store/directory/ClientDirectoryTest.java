package org.mandos.sample.store.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mandos.api.ClientDefinition;

class ClientDirectoryTest {

    @TempDir
    Path root;

    /** Records what would be logged. */
    static final class RecordingLog implements ClientDirectory.Log {
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> infos = new ArrayList<>();

        @Override
        public void error(String message) {
            errors.add(message);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }

        List<String> all() {
            List<String> all = new ArrayList<>(errors);
            all.addAll(warnings);
            all.addAll(infos);
            return all;
        }
    }

    private final RecordingLog log = new RecordingLog();

    private ClientDirectory directory(Path dir) {
        return new ClientDirectory(dir, new ClientFileParser(Map.of(), root.resolve("passwd")), log);
    }

    static String client(String keyId, String secretB64, String more) {
        return "key_id = " + keyId + "\nsecret = " + secretB64 + "\n" + more;
    }

    private static List<String> names(ClientDirectory d) {
        return d.clients().stream().map(ClientDefinition::name).toList();
    }

    @Test
    void oneClientPerFileSortedByName() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Files.writeString(dir.resolve("web.conf"), client("AA", "aGk=", "host = web\n"));
        Files.writeString(dir.resolve("db.conf"), client("BB", "aGk=", ""));
        Files.writeString(dir.resolve("Zeta.conf"), client("CC", "aGk=", ""));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        assertEquals(List.of("Zeta", "db", "web"), names(d));
        assertEquals("web", d.clients().get(2).host());
        assertFalse(d.reload(), "nothing changed");
        assertEquals(List.of(), log.errors);
        assertEquals(List.of("Client directory " + dir + ": 3 client(s); added Zeta, db, web"), log.infos);
    }

    @ParameterizedTest
    @ValueSource(strings = {".web.conf", ".web.conf.swp", "web.conf~", "#web.conf#", ".#web.conf", "web.conf.dpkg-old",
        "web.conf.dpkg-dist", "web.dpkg-new.conf", "web.conf.ucf-old", "web.conf.rpmnew", "web.conf.bak", "web.orig.conf",
        "web.conf.tmp", "README", "web", "web.cfg", ".conf", "4913"})
    void leftoversAndOtherFilesAreIgnored(String fileName) throws Exception {
        assertFalse(ClientDirectory.isClientFile(fileName), fileName);
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Files.writeString(dir.resolve(fileName), client("AA", "aGk=", ""));
        Files.createDirectory(dir.resolve("sub.conf")); // a directory is not a client file either
        ClientDirectory d = directory(dir);
        assertFalse(d.reload());
        assertEquals(List.of(), d.clients());
        assertEquals(List.of(), log.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"web.conf", "my host.conf", "a.b.conf", "default.conf", "x.conf.conf"})
    void clientFiles(String fileName) {
        assertTrue(ClientDirectory.isClientFile(fileName), fileName);
    }

    @Test
    void aBrokenEditKeepsThePreviousDefinitionAndIsLoggedOnce() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Path web = dir.resolve("web.conf");
        Files.writeString(web, client("AA", "aGk=", "timeout = PT1M\n"));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        List<ClientDefinition> before = d.clients();

        Files.writeString(web, client("AA", "aGk=", "timeout = 1 minute\n"));
        assertFalse(d.reload());
        assertSame(before, d.clients());
        assertFalse(d.reload());
        assertFalse(d.reload());
        assertEquals(List.of("Ignoring client file " + web + ":3: timeout: invalid duration \"1 minute\";"
                + " the previous definition of client web stays in force"), log.errors);

        // the same problem in a rewritten file is reported again
        Files.setLastModifiedTime(web, FileTime.fromMillis(Files.getLastModifiedTime(web).toMillis() - 10_000));
        assertFalse(d.reload());
        assertEquals(2, log.errors.size());

        Files.writeString(web, client("AA", "aGk=", "timeout = PT2M\n"));
        assertTrue(d.reload());
        assertEquals(java.time.Duration.ofMinutes(2), d.clients().get(0).timeout());
        assertTrue(log.infos.contains("Client file " + web + " is usable again"));
        assertEquals(2, log.errors.size());
    }

    @Test
    void aNewBrokenFileAddsNoClient() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Files.writeString(dir.resolve("web.conf"), client("AA", "aGk=", ""));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        Files.writeString(dir.resolve("db.conf"), "key_id = BB\n");
        assertFalse(d.reload());
        assertEquals(List.of("web"), names(d));
        assertEquals(List.of("Ignoring client file " + dir.resolve("db.conf")
                + ": neither \"secret\" nor \"secfile\" is set; it defines no client"), log.errors);
    }

    @Test
    void deletingAFileRemovesItsClient() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Files.writeString(dir.resolve("web.conf"), client("AA", "aGk=", ""));
        Files.writeString(dir.resolve("db.conf"), client("BB", "aGk=", ""));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        Files.delete(dir.resolve("web.conf"));
        assertTrue(d.reload());
        assertEquals(List.of("db"), names(d));
        assertTrue(log.infos.get(1).endsWith("1 client(s); removed web"), log.infos.toString());
    }

    @Test
    void deletingABrokenFileRemovesItsClientToo() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Path web = dir.resolve("web.conf");
        Files.writeString(web, client("AA", "aGk=", ""));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        Files.writeString(web, "broken\n");
        assertFalse(d.reload());
        Files.delete(web);
        assertTrue(d.reload());
        assertEquals(List.of(), d.clients());
        // and a new file with the same problem is reported again
        Files.writeString(web, "broken\n");
        assertFalse(d.reload());
        assertEquals(2, log.errors.size());
    }

    @Test
    void changedOnlyOnRealChanges() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Path web = dir.resolve("web.conf");
        Files.writeString(web, client("AA", "aGk=", "host = a\n"));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        // rewritten with the same meaning: comments, spacing, case of the names
        Files.writeString(web, "# same\nKEY_ID:AA\nsecret =\n  aGk=\nhost    = a\n");
        assertFalse(d.reload());
        // an editor leftover appears
        Files.writeString(dir.resolve("web.conf~"), "junk");
        assertFalse(d.reload());
        // a new secret is a change, although nothing visible changed
        Files.writeString(web, client("AA", "aG8=", "host = a\n"));
        assertTrue(d.reload());
        assertTrue(log.infos.get(1).endsWith("changed web"), log.infos.toString());
    }

    @Test
    void aMissingDirectoryIsAnErrorOnlyForTheDirectory() throws Exception {
        Path dir = root.resolve("not-yet");
        ClientDirectory d = directory(dir);
        IOException e = assertThrows(IOException.class, d::reload);
        assertEquals("Cannot read the client directory " + dir + ": it does not exist", e.getMessage());
        assertFalse(d.reloadOrReport());
        assertFalse(d.reloadOrReport());
        assertEquals(List.of("Cannot read the client directory " + dir + ": it does not exist;"
                + " no clients from it until it can be read (it is read as soon as it appears)"), log.errors);

        Files.createDirectory(dir);
        Files.writeString(dir.resolve("web.conf"), client("AA", "aGk=", ""));
        assertTrue(d.reloadOrReport());
        assertEquals(List.of("web"), names(d));
        assertTrue(log.infos.contains("Client directory " + dir + " can be read again"));

        // gone again: the clients read before stay
        Files.delete(dir.resolve("web.conf"));
        Files.delete(dir);
        assertFalse(d.reloadOrReport());
        assertEquals(List.of("web"), names(d));
        assertEquals("Cannot read the client directory " + dir + ": it does not exist;"
                + " the 1 client(s) read before stay in force", log.errors.get(1));

        Path file = Files.writeString(root.resolve("a-file"), "");
        IOException notDir = assertThrows(IOException.class, () -> directory(file).reload());
        assertEquals("Cannot read the client directory " + file + ": it is not a directory", notDir.getMessage());
    }

    @Test
    void identityWarningsAreLoggedOnce() throws Exception {
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Files.writeString(dir.resolve("a.conf"), client("AA", "aGk=", ""));
        Files.writeString(dir.resolve("b.conf"), client("aa", "aGk=", ""));
        Files.writeString(dir.resolve("c.conf"), "fingerprint = ABCD\nsecret = aGk=\n");
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        assertEquals(List.of("Client b has the same key_id as client a, which comes first and will be used instead",
                "Client c has no key_id, only an OpenPGP fingerprint, which this server does not use:"
                        + " it can never receive its secret"), log.warnings);
        Files.writeString(dir.resolve("d.conf"), client("DD", "aGk=", ""));
        assertTrue(d.reload());
        assertEquals(2, log.warnings.size());
    }

    @Test
    void theSecretIsNeverLogged() throws Exception {
        String b64 = ClientFileParserTest.SECRET_B64;
        Path dir = Files.createDirectory(root.resolve("clients.d"));
        Path web = dir.resolve("web.conf");
        Files.writeString(web, client("AA", b64, ""));
        ClientDirectory d = directory(dir);
        assertTrue(d.reload());
        Files.writeString(web, client("AA", b64 + "x", ""));                  // bad base64
        d.reload();
        Files.writeString(web, "key_id = AA\nsecret =\n " + b64.substring(0, 20) + "\n" + b64.substring(20) + "\n");
        d.reload();                                                            // unindented continuation
        Files.writeString(web, client("AA", b64 + "%(" + b64 + ")s", ""));   // interpolation
        d.reload();
        Files.writeString(dir.resolve("db.conf"), client("AA", b64, ""));     // duplicate key_id
        d.reload();
        assertEquals(3, log.errors.size(), log.errors.toString());
        for (String line : log.all()) {
            assertFalse(line.contains(b64.substring(0, 8)) || line.contains(b64.substring(20, 28))
                    || line.contains(ClientFileParserTest.SECRET), line);
        }
        assertFalse(d.clients().toString().contains(b64.substring(0, 8)));
    }
}

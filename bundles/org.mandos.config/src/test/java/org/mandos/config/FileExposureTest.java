package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** clients.conf and secret files that other users can read or write (issue 9, item 11). */
class FileExposureTest {

    /** base64 of "hunter2". */
    private static final String SECRET = "aHVudGVyMg==";

    @TempDir
    Path dir;

    private Path file(String name, String text, String mode) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private Path clientsConf(String mode) throws IOException {
        return file("clients.conf", "[a]\nkey_id = ab\nsecret = " + SECRET + "\n", mode);
    }

    private static List<String> exposure(ClientsFile loaded) {
        return loaded.warnings().stream().filter(w -> w.contains("users") || w.contains("group")).toList();
    }

    @Test
    void aPrivateFileGetsNoWarning() throws Exception {
        assertEquals(List.of(), exposure(ClientsFile.load(clientsConf("rw-------"), Map.of())));
        assertEquals(List.of(), exposure(ClientsFile.load(clientsConf("rw-r-----"), Map.of())));
    }

    @Test
    void aFileAllUsersCanReadIsNamedInAWarningButStillServes() throws Exception {
        Path conf = clientsConf("rw-r--r--");
        ClientsFile loaded = ClientsFile.load(conf, Map.of());
        assertEquals(List.of(conf + " is readable by all users, but it holds the clients' secrets (chmod o-r " + conf
                + ")"), exposure(loaded));
        assertEquals(1, loaded.clients().size());
    }

    @Test
    void aFileItsGroupCanWriteGetsAWarning() throws Exception {
        Path conf = clientsConf("rw-rw----");
        assertEquals(List.of(conf + " is writable by its group, and it holds the clients' secrets: every member"
                + " could give a client their own key and receive its secret (chmod g-w " + conf + ")"),
                exposure(ClientsFile.load(conf, Map.of())));
    }

    @Test
    void aFileAllUsersCanWriteIsRefused() throws Exception {
        Path conf = clientsConf("rw-rw-rw-");
        ConfigException e = assertThrows(ConfigException.class, () -> ClientsFile.load(conf, Map.of()));
        assertEquals(conf + ": writable by all users, and it holds the clients' secrets: anyone could give a client"
                + " their own key and receive its secret (chmod o-w " + conf + ")", e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void aSecretFileAllUsersCanReadIsNamedAndOneTheyCanWriteIsRefused() throws Exception {
        Path secret = file("pw", "hunter2", "rw-r--r--");
        Path conf = file("clients.conf", "[a]\nkey_id = ab\nsecfile = " + secret + "\n", "rw-------");
        List<String> warnings = exposure(ClientsFile.load(conf, Map.of()));
        assertEquals(List.of(secret + " is readable by all users, but it holds the secret of client a (chmod o-r "
                + secret + ")"), warnings);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-rw-rw-"));
        ConfigException e = assertThrows(ConfigException.class, () -> ClientsFile.load(conf, Map.of()));
        assertTrue(e.getMessage().startsWith(conf + ":3: [a] secfile: " + secret + " is writable by all users"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
    }

    @Test
    void aDropInIsCheckedLikeClientsConf() throws Exception {
        clientsConf("rw-------");
        Files.createDirectory(dir.resolve(ClientsFile.DROP_IN_DIRECTORY));
        Path dropIn = dir.resolve(ClientsFile.DROP_IN_DIRECTORY).resolve("more.conf");
        Files.writeString(dropIn, "[b]\nkey_id = cd\nsecret = " + SECRET + "\n");
        Files.setPosixFilePermissions(dropIn, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> warnings = exposure(ClientsFile.loadWithDropIns(dir, Map.of()));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(dropIn + " is readable by all users"), warnings.get(0));
    }
}

package org.mandos.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a real clients.pickle written by the reference server (see the README beside it). */
class ReferenceStateImportTest {

    @TempDir
    Path tmp;

    private Path pickle() throws IOException {
        Path file = tmp.resolve("clients.pickle");
        try (InputStream in = getClass().getResourceAsStream("reference-clients.pickle")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void mapsEveryAttributeOfARealPickle() throws IOException {
        List<ClientState> clients = ReferenceStateImport.read(pickle());
        assertEquals(List.of("alpha", "beta"), clients.stream().map(ClientState::name).toList());
        ClientState alpha = clients.get(0);
        assertEquals(new ClientState("alpha", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
                "0123456789ABCDEF0123456789ABCDEF01234567", "alpha.example", true,
                Instant.parse("2026-11-28T21:49:16.527221Z"), Instant.parse("2026-11-28T21:49:16.524818Z"), null,
                ClientState.STATUS_NONE, Instant.parse("2026-11-28T21:51:41.965796Z"), null, Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ZERO, Duration.ofSeconds(1), false, "true"),
                alpha);
        ClientState beta = clients.get(1);
        assertFalse(beta.enabled(), "disabled at run time by its failing checker");
        assertEquals(1, beta.lastCheckerStatus());
        assertNull(beta.expires());
        assertNull(beta.lastCheckedOk());
        assertEquals(Instant.parse("2026-11-28T21:49:16.514325Z"), beta.lastEnabled());
        assertEquals(Duration.ofSeconds(2), beta.timeout());
        assertEquals(Duration.ofSeconds(1), beta.interval());
        assertTrue(beta.approvedByDefault());
        assertEquals("false", beta.checker());
        assertEquals("beta.example", beta.host());
    }

    @Test
    void theConfigurationSnapshotIsTheReferencesClientSettings() throws IOException {
        ReferenceStateImport.Imported imported = ReferenceStateImport.load(pickle());
        ConfiguredClient beta = imported.configAtSave().get(1);
        assertEquals("beta", beta.name());
        assertTrue(beta.enabled(), "clients.conf said enabled; only the run-time state is disabled");
        assertEquals(Duration.ofSeconds(2), beta.timeout());
        assertEquals("false", beta.checker());
    }

    @Test
    void timesAreNaiveUtcWhateverTheDefaultZone() throws IOException {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            assertEquals(Instant.parse("2026-11-28T21:49:16.527221Z"),
                    ReferenceStateImport.read(pickle()).get(0).created());
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void aSavedStateThroughJsonRestoresTheDisabledClient() throws IOException {
        ReferenceStateImport.Imported imported = ReferenceStateImport.load(pickle());
        Path statedir = tmp.resolve("state");
        StateFile.save(statedir, imported.clients(), imported.configAtSave());
        StateFile.Loaded loaded = StateFile.load(statedir);
        StateMerge.Result merged = StateMerge.merge(imported.configAtSave(), loaded,
                Instant.parse("2026-11-28T21:50:00Z"), true);
        assertFalse(merged.clients().get(1).state().enabled(), merged.toString());
        assertTrue(merged.clients().get(0).state().enabled(), merged.toString());
    }

    @Test
    void notAPickleIsAOneLineError() throws IOException {
        Path file = Files.writeString(tmp.resolve("x"), "{\"format\": \"mandos-java-state\"}\n");
        IOException e = assertThrows(IOException.class, () -> ReferenceStateImport.read(file));
        assertEquals(file + ": not a reference Mandos state file (not a Python pickle)", e.getMessage());
    }

    @Test
    void emptyMissingAndTruncatedFilesAreOneLineErrors() throws IOException {
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        assertOneLine(assertThrows(IOException.class, () -> ReferenceStateImport.read(empty)));
        assertOneLine(assertThrows(IOException.class, () -> ReferenceStateImport.read(tmp.resolve("none"))));
        byte[] whole = Files.readAllBytes(pickle());
        Path cut = Files.write(tmp.resolve("cut"), Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> ReferenceStateImport.read(cut));
        assertOneLine(e);
        assertTrue(e.getMessage().contains("unreadable pickle"), e.getMessage());
    }

    @Test
    void aPickleOfSomethingElseIsRefused() throws IOException {
        // pickle.dumps([1, 2], protocol=2)
        byte[] list = {(byte) 0x80, 2, ']', 'q', 0, '(', 'K', 1, 'K', 2, 'e', '.'};
        Path file = Files.write(tmp.resolve("list.pickle"), list);
        IOException e = assertThrows(IOException.class, () -> ReferenceStateImport.read(file));
        assertEquals(file + ": not a reference Mandos state file (expected the tuple (clients, client_settings),"
                + " found ArrayList)", e.getMessage());
    }

    private static void assertOneLine(IOException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    /**
     * Found by ReferenceStateImportFuzzTest: the pickle library's message quoted bytes of the file (the
     * file holds the secrets) with their control characters; and a client name went into a message raw.
     */
    @Test
    void aMessageNeverQuotesTheFileNorAControlCharacterOfAName() throws IOException {
        // PROTO 2, INT "12x<ESC>TopSecret" (not a number), STOP
        byte[] badInt = {(byte) 0x80, 2, 'I', '1', '2', 'x', 0x1b, 'T', 'o', 'p', 'S', 'e', 'c', 'r', 'e', 't', '\n', '.'};
        Path file = Files.write(tmp.resolve("int.pickle"), badInt);
        IOException e = assertThrows(IOException.class, () -> ReferenceStateImport.read(file));
        assertEquals(file + ": not a reference Mandos state file (unreadable pickle: NumberFormatException)",
                e.getMessage());
        // pickle.dumps(({"a\x1bb": 1}, {}), protocol=2)
        byte[] badName = {(byte) 0x80, 2, '}', 'q', 0, 'X', 3, 0, 0, 0, 'a', 0x1b, 'b', 'q', 1, 'K', 1, 's', '}', 'q',
            2, (byte) 0x86, 'q', 3, '.'};
        Path named = Files.write(tmp.resolve("name.pickle"), badName);
        assertEquals(named + ": not a reference Mandos state file (client \"a\\u001bb\": expected a dict, found Integer)",
                assertThrows(IOException.class, () -> ReferenceStateImport.read(named)).getMessage());
    }

    /**
     * Found by ReferenceStateImportFuzzTest: a 1 KB file whose string length field claims 2 GB made the
     * pickle library allocate that much (an OutOfMemoryError with a small heap) before it found the end.
     */
    @Test
    void aLengthPastTheEndOfTheFileIsRefusedBeforeAnythingIsAllocated() throws IOException {
        byte[][] pickles = {
            {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a', '.'}, // BINUNICODE
            {(byte) 0x80, 2, 'T', 0, 0, 0, 0x40, 'a', '.'}, // BINSTRING
            {(byte) 0x80, 2, 'B', 10, 0, 0, 0, 'a', '.'}, // BINBYTES, 10 > 2 left
            {(byte) 0x80, 2, (byte) 0x8b, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, '.'}, // LONG4
            {(byte) 0x80, 2, (byte) 0x8d, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, '.'}, // BINUNICODE8
            {(byte) 0x80, 2, 'X', 1, 0}, // the length itself cut short
        };
        for (byte[] pickle : pickles) {
            Path file = Files.write(tmp.resolve("long.pickle"), pickle);
            assertEquals(file + ": not a reference Mandos state file (unreadable pickle: a string or number longer"
                    + " than the rest of the file)",
                    assertThrows(IOException.class, () -> ReferenceStateImport.read(file)).getMessage());
        }
    }
}

package org.mandos.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path tmp;

    private static final Clock SAVE_CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);
    private static final Clock LOAD_CLOCK = Clock.fixed(Instant.parse("2024-05-07T01:02:03Z"), ZoneOffset.UTC);

    private Path dir() {
        return tmp.resolve("state");
    }

    private List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void roundTripsEveryFieldIncludingNulls() throws IOException {
        ConfiguredClient snap = Fixtures.config("foo", true);
        StateFile.save(dir(), List.of(Fixtures.full(), Fixtures.allNulls()), List.of(snap), SAVE_CLOCK);
        StateFile.Valid v = assertInstanceOf(StateFile.Valid.class, StateFile.load(dir(), LOAD_CLOCK));
        assertEquals(List.of(Fixtures.full(), Fixtures.allNulls()), v.clients());
        assertEquals(SAVE_CLOCK.instant(), v.saved());
        assertEquals(Map.of("foo", snap), v.configAtSave());
    }

    @Test
    void twoArgumentSaveHasNoSnapshots() throws IOException {
        StateFile.save(dir(), List.of(Fixtures.full()));
        StateFile.Valid v = assertInstanceOf(StateFile.Valid.class, StateFile.load(dir()));
        assertEquals(List.of(Fixtures.full()), v.clients());
        assertTrue(v.configAtSave().isEmpty());
    }

    @Test
    void documentIsVersionedWithRfc3339AndIso8601() throws IOException {
        StateFile.save(dir(), List.of(Fixtures.full(), Fixtures.allNulls()), List.of(), SAVE_CLOCK);
        String text = Files.readString(dir().resolve("clients.json"));
        assertTrue(text.contains("\"format\":\"mandos-java-state\""), text);
        assertTrue(text.contains("\"version\":1"), text);
        assertTrue(text.contains("\"saved\":\"2024-05-06T07:08:09Z\""), text);
        assertTrue(text.contains("\"last_enabled\":\"2024-01-02T03:04:05.123456789Z\""), text);
        assertTrue(text.contains("\"interval\":\"PT2M0.5S\""), text);
        assertTrue(text.contains("\"expires\":null"), text);
        assertFalse(text.toLowerCase().contains("secret"), text);
    }

    @Test
    void emptyListRoundTrips() throws IOException {
        StateFile.save(dir(), List.of());
        assertEquals(List.of(), assertInstanceOf(StateFile.Valid.class, StateFile.load(dir())).clients());
    }

    @Test
    void missingFileIsMissingAndNothingIsCreated() throws IOException {
        Files.createDirectories(dir());
        assertInstanceOf(StateFile.Missing.class, StateFile.load(dir()));
        assertEquals(List.of(), listing(dir()));
    }

    @Test
    void loadNeverDeletesTheFile() throws IOException {
        StateFile.save(dir(), List.of(Fixtures.full()));
        byte[] before = Files.readAllBytes(dir().resolve("clients.json"));
        StateFile.load(dir());
        StateFile.load(dir());
        assertArrayEquals(before, Files.readAllBytes(dir().resolve("clients.json")));
    }

    @Test
    void fileIs0600AndCreatedDirIs0700() throws IOException {
        Path nested = tmp.resolve("a/b/state");
        StateFile.save(nested, List.of(Fixtures.full()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.resolve("clients.json"))));
    }

    @Test
    void existingDirectoryModeIsLeftAlone() throws IOException {
        Files.createDirectories(dir());
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-x---"));
        StateFile.save(dir(), List.of());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
    }

    @Test
    void saveReplacesAnExistingFile() throws IOException {
        StateFile.save(dir(), List.of(Fixtures.full()));
        StateFile.save(dir(), List.of(Fixtures.allNulls()));
        assertEquals(List.of(Fixtures.allNulls()),
                assertInstanceOf(StateFile.Valid.class, StateFile.load(dir())).clients());
        assertEquals(List.of("clients.json"), listing(dir()));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve("clients.json"))));
    }

    @Test
    void saveFailsWhenStatedirIsAFile() throws IOException {
        Files.writeString(dir(), "not a directory");
        assertThrows(IOException.class, () -> StateFile.save(dir(), List.of(Fixtures.full())));
        assertEquals("not a directory", Files.readString(dir()));
        assertEquals(List.of("state"), listing(tmp));
    }

    @Test
    void saveFailsWhenTargetIsADirectoryAndLeavesNoTempFile() throws IOException {
        Files.createDirectories(dir().resolve("clients.json"));
        Files.writeString(dir().resolve("clients.json/keep"), "x");
        assertThrows(IOException.class, () -> StateFile.save(dir(), List.of(Fixtures.full())));
        assertEquals(List.of("clients.json"), listing(dir()));
        assertEquals("x", Files.readString(dir().resolve("clients.json/keep")));
    }

    @Test
    void duplicateNamesAreRefusedBeforeTouchingTheFile() throws IOException {
        StateFile.save(dir(), List.of(Fixtures.full()));
        byte[] before = Files.readAllBytes(dir().resolve("clients.json"));
        assertThrows(IllegalArgumentException.class,
                () -> StateFile.save(dir(), List.of(Fixtures.full(), Fixtures.full())));
        assertArrayEquals(before, Files.readAllBytes(dir().resolve("clients.json")));
        assertEquals(List.of("clients.json"), listing(dir()));
    }

    @Test
    void removedClientsRoundTripAndAreLeftOutWhenNone() throws IOException {
        RemovedClient gone = new RemovedClient("gone", "clients.conf", "AB12", Instant.parse("2024-05-06T07:00:00Z"));
        StateFile.save(dir(), List.of(Fixtures.full()), List.of(), List.of(gone), SAVE_CLOCK);
        StateFile.Valid v = assertInstanceOf(StateFile.Valid.class, StateFile.load(dir()));
        assertEquals(List.of(gone), v.removed());
        assertTrue(Files.readString(dir().resolve("clients.json")).contains("\"removed\""));
        StateFile.save(dir(), List.of(Fixtures.full()), List.of(), List.of(), SAVE_CLOCK);
        assertFalse(Files.readString(dir().resolve("clients.json")).contains("\"removed\""));
        assertEquals(List.of(), assertInstanceOf(StateFile.Valid.class, StateFile.load(dir())).removed());
        assertThrows(IllegalArgumentException.class,
                () -> StateFile.save(dir(), List.of(), List.of(), List.of(gone, gone), SAVE_CLOCK));
    }

    @Test
    void aBadRemovedEntryMakesTheFileCorrupt() throws IOException {
        String doc = "{\"format\": \"mandos-java-state\", \"version\": 1, \"saved\": \"2024-05-06T07:08:09Z\","
                + " \"clients\": [], \"removed\": [{\"name\": \"gone\", \"store\": \"s\", \"removed\":"
                + " \"2024-05-06T07:00:00Z\"}]}";
        StateFile.Corrupt c = loadCorrupt(doc.getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().contains("removed client \"gone\"") && c.reason().contains("definition"), c.reason());
        String notArray = "{\"format\": \"mandos-java-state\", \"version\": 1, \"saved\": \"2024-05-06T07:08:09Z\","
                + " \"clients\": [], \"removed\": 3}";
        Files.deleteIfExists(dir().resolve("clients.json.corrupt-20240507T010203Z"));
        assertTrue(loadCorrupt(notArray.getBytes(StandardCharsets.UTF_8)).reason().startsWith("removed is"));
    }

    // ---- corrupt files ----

    private StateFile.Corrupt loadCorrupt(byte[] content) throws IOException {
        Files.createDirectories(dir());
        Path f = dir().resolve("clients.json");
        Files.write(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        StateFile.Corrupt c = assertInstanceOf(StateFile.Corrupt.class, StateFile.load(dir(), LOAD_CLOCK));
        assertFalse(Files.exists(f), "moved away");
        assertEquals(dir().resolve("clients.json.corrupt-20240507T010203Z"), c.movedTo());
        assertArrayEquals(content, Files.readAllBytes(c.movedTo()), "moved, not altered");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.movedTo())));
        assertFalse(c.reason().contains("\n"), c.reason());
        assertFalse(c.reason().isBlank());
        return c;
    }

    private String validText() throws IOException {
        Path other = tmp.resolve("other");
        StateFile.save(other, List.of(Fixtures.full()), List.of(Fixtures.config("foo", true)), SAVE_CLOCK);
        return Files.readString(other.resolve("clients.json"));
    }

    @Test
    void truncatedJsonIsCorrupt() throws IOException {
        String text = validText();
        StateFile.Corrupt c = loadCorrupt(text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().startsWith("not valid JSON"), c.reason());
    }

    @Test
    void garbageBytesAreCorrupt() throws IOException {
        StateFile.Corrupt c = loadCorrupt(new byte[] {(byte) 0x80, 0x02, 0x7d, 0x71, 0x00, (byte) 0xff, 0x2e}); // a pickle
        assertTrue(c.reason().startsWith("not valid JSON: ") && c.reason().endsWith("at line 1, column 2"), c.reason());
    }

    @Test
    void emptyFileIsCorrupt() throws IOException {
        assertEquals("empty file", loadCorrupt(new byte[0]).reason());
    }

    @Test
    void wrongFormatNameIsCorrupt() throws IOException {
        StateFile.Corrupt c = loadCorrupt(validText().replace("mandos-java-state", "something-else")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().contains("something-else"), c.reason());
    }

    @Test
    void unknownVersionIsCorrupt() throws IOException {
        StateFile.Corrupt c = loadCorrupt(validText().replace("\"version\":1", "\"version\":99")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().contains("unsupported version 99"), c.reason());
    }

    @Test
    void missingRequiredFieldIsCorrupt() throws IOException {
        StateFile.Corrupt c = loadCorrupt(validText().replaceFirst("\"created\":\"[^\"]*\",", "")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().contains("missing created"), c.reason());
    }

    @Test
    void invalidFieldValuesAreCorrupt() throws IOException {
        StateFile.Corrupt c = loadCorrupt(validText().replace("\"last_checker_status\":0", "\"last_checker_status\":300")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().contains("out of range"), c.reason());
    }

    @Test
    void badTimeIsCorrupt() throws IOException {
        StateFile.Corrupt c = loadCorrupt(validText().replace("2024-01-01T00:00:00Z", "yesterday")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(c.reason().contains("RFC 3339"), c.reason());
    }

    @Test
    void negativeDurationIsCorrupt() throws IOException {
        loadCorrupt(validText().replace("\"PT5M\"", "\"PT-5M\"").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void duplicateKeysAndTrailingContentAreCorrupt() throws IOException {
        loadCorrupt(validText().replace("\"version\":1,", "\"version\":1, \"version\":1,")
                .getBytes(StandardCharsets.UTF_8));
        Files.delete(dir().resolve("clients.json.corrupt-20240507T010203Z"));
        loadCorrupt((validText() + " {}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void repeatedCorruptionNeverOverwritesAMovedAsideFile() throws IOException {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("clients.json"), "one");
        Files.setPosixFilePermissions(dir().resolve("clients.json"), AtomicFilesModes.FILE);
        StateFile.Corrupt a = assertInstanceOf(StateFile.Corrupt.class, StateFile.load(dir(), LOAD_CLOCK));
        Files.writeString(dir().resolve("clients.json"), "two");
        Files.setPosixFilePermissions(dir().resolve("clients.json"), AtomicFilesModes.FILE);
        StateFile.Corrupt b = assertInstanceOf(StateFile.Corrupt.class, StateFile.load(dir(), LOAD_CLOCK));
        assertEquals(dir().resolve("clients.json.corrupt-20240507T010203Z-1"), b.movedTo());
        assertEquals("one", Files.readString(a.movedTo()));
        assertEquals("two", Files.readString(b.movedTo()));
    }

    @Test
    void groupOrWorldReadableFileIsRejectedAndMovedAside() throws IOException {
        for (String mode : List.of("rw-r--r--", "rw-rw----", "rw-----w-")) {
            StateFile.save(dir(), List.of(Fixtures.full()));
            Path f = dir().resolve("clients.json");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            StateFile.Corrupt c = assertInstanceOf(StateFile.Corrupt.class, StateFile.load(dir(), LOAD_CLOCK));
            assertTrue(c.reason().contains("mode " + mode), c.reason());
            assertFalse(Files.exists(f));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.movedTo())));
            Files.delete(c.movedTo());
        }
    }

    @Test
    void symlinkIsRejected() throws IOException {
        StateFile.save(tmp.resolve("elsewhere"), List.of(Fixtures.full()));
        Files.createDirectories(dir());
        Files.createSymbolicLink(dir().resolve("clients.json"), tmp.resolve("elsewhere/clients.json"));
        StateFile.Corrupt c = assertInstanceOf(StateFile.Corrupt.class, StateFile.load(dir(), LOAD_CLOCK));
        assertEquals("not a regular file", c.reason());
        assertTrue(Files.exists(tmp.resolve("elsewhere/clients.json")));
    }

    /** Modes used by the tests. */
    private static final class AtomicFilesModes {
        static final java.util.Set<java.nio.file.attribute.PosixFilePermission> FILE =
                PosixFilePermissions.fromString("rw-------");
    }
}

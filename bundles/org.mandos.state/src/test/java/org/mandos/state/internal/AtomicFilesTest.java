package org.mandos.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void failureAfterWritingLeavesOldFileIntactAndNoTempFile() throws IOException {
        AtomicFiles.replace(dir, "clients.json", "old".getBytes(), null);
        Path[] seen = new Path[1];
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.replace(dir, "clients.json",
                "new".getBytes(), temp -> {
                    seen[0] = temp;
                    assertEquals("new", Files.readString(temp));
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)));
                    assertEquals(dir, temp.getParent());
                    throw new IOException("simulated crash before rename");
                }));
        assertEquals("simulated crash before rename", e.getMessage());
        assertTrue(seen[0] != null && !Files.exists(seen[0]));
        assertEquals("old", Files.readString(dir.resolve("clients.json")));
        assertEquals(List.of("clients.json"), listing());
    }

    @Test
    void runtimeFailureAlsoCleansUp() throws IOException {
        assertThrows(IllegalStateException.class, () -> AtomicFiles.replace(dir, "clients.json", "x".getBytes(),
                temp -> {
                    throw new IllegalStateException("boom");
                }));
        assertEquals(List.of(), listing());
    }

    @Test
    void syncDirectoryWorks() throws IOException {
        AtomicFiles.syncDirectory(dir);
    }
}

package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The class-data archive: bin/mandos-cds writes one the server's Java can use, and bin/mandos never lets a
 * bad one stop the server or clutter its output.
 */
class ClassArchiveIT {

    private static ReferenceTools.Result version(Path home, Map<String, String> environment) {
        return ReferenceTools.run(List.of(home.resolve("bin/mandos").toString(), "--version"), environment,
                Duration.ofSeconds(60));
    }

    private static void assertPlainVersion(ReferenceTools.Result r) {
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("mandos "), r.stdout());
        assertEquals(1, r.stdout().lines().count(), "only the version: " + r.stdout());
        assertEquals("", r.stderr());
    }

    private static Path archive(Path home) {
        return home.resolve("lib/mandos.jsa");
    }

    @Test
    void theInstalledArchiveIsOneTheServersJavaMaps() throws IOException {
        Path home = Installation.home(); // unpacked, then bin/mandos-cds
        assertTrue(Files.size(archive(home)) > 1_000_000, "an archive of the server's classes");
        assertEquals(Long.toString(Files.size(archive(home))),
                Files.readString(home.resolve("lib/mandos.jsa.size")).trim());
        // -Xshare:on: the JVM refuses to start unless it can map the archive bin/mandos names.
        assertPlainVersion(version(home, Map.of("MANDOS_JAVA_OPTS", "-Xshare:on")));
    }

    @Test
    void anArchiveCutShortIsNotUsed() throws IOException {
        Path home = Installation.unpacked();
        Installation.run(List.of(home.resolve("bin/mandos-cds").toString()));
        // A copy cut short, as a full disk leaves it: mapping it would crash the JVM (SIGBUS).
        try (RandomAccessFile file = new RandomAccessFile(archive(home).toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        assertPlainVersion(version(home, Map.of()));
    }

    @Test
    void anArchiveForOtherJarsIsIgnoredWithoutAWord() throws IOException {
        Path home = Installation.unpacked();
        Installation.run(List.of(home.resolve("bin/mandos-cds").toString()));
        // An upgraded jar: the archive no longer matches the class path, and the JVM leaves it aside.
        Path jar;
        try (var jars = Files.list(home.resolve("lib"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("org.mandos.launcher-")).findFirst()
                    .orElseThrow();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertPlainVersion(version(home, Map.of()));
        // ... and a new run of bin/mandos-cds makes a usable one again.
        Installation.run(List.of(home.resolve("bin/mandos-cds").toString()));
        assertPlainVersion(version(home, Map.of("MANDOS_JAVA_OPTS", "-Xshare:on")));
    }

    @Test
    void withoutAnArchiveTheServerStartsAsBefore() {
        Path home = Installation.unpacked();
        assertTrue(Files.notExists(archive(home)), "the tarball carries no archive");
        assertPlainVersion(version(home, Map.of()));
    }
}

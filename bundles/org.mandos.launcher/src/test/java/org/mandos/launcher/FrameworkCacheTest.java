package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkCacheTest {

    @TempDir
    Path tmp;

    private Path cache(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name).resolve("bundle1/version0.0"));
        Files.writeString(dir.resolve("bundle.jar"), "jar");
        return tmp.resolve(name);
    }

    @Test
    void theOwnerIsThePidInTheName() {
        assertEquals(OptionalLong.of(4242), FrameworkCache.owner("mandos-felix-4242-812734"));
        assertEquals(OptionalLong.empty(), FrameworkCache.owner("mandos-felix-1002655692474767826"),
                "an earlier version's name: random digits, no pid");
        assertEquals(OptionalLong.empty(), FrameworkCache.owner("mandos-felix--12"));
        assertEquals(OptionalLong.empty(), FrameworkCache.owner("mandos-felix-x1-2"));
        assertEquals(OptionalLong.empty(), FrameworkCache.owner("other-4242-1"));
    }

    @Test
    void onlyTheCachesOfProcessesThatAreGoneAreRemoved() throws IOException {
        Path gone = cache("mandos-felix-100-1");
        Path running = cache("mandos-felix-200-2");
        Path legacy = cache("mandos-felix-1002655692474767826");
        Path unrelated = cache("mandos-state-300-3");
        Files.writeString(tmp.resolve("mandos-felix-400-4"), "a file, not a cache");

        List<Path> removed = FrameworkCache.removeAbandoned(tmp, Set.of(200L)::contains);

        assertEquals(List.of(gone), removed);
        assertFalse(Files.exists(gone));
        assertTrue(Files.exists(running.resolve("bundle1/version0.0/bundle.jar")));
        assertTrue(Files.exists(legacy));
        assertTrue(Files.exists(unrelated));
        assertTrue(Files.exists(tmp.resolve("mandos-felix-400-4")));
    }

    @Test
    void aLinkIsRemovedNotFollowed() throws IOException {
        Path target = cache("elsewhere");
        Path gone = Files.createDirectories(tmp.resolve("mandos-felix-100-1"));
        Files.createSymbolicLink(gone.resolve("link"), target);

        FrameworkCache.removeAbandoned(tmp, pid -> false);

        assertFalse(Files.exists(gone));
        assertTrue(Files.exists(target.resolve("bundle1/version0.0/bundle.jar")), "what the link pointed to stays");
    }

    @Test
    void theCacheOfThisProcessNamesItsPid() throws IOException {
        Path mine = FrameworkCache.create();
        try {
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()),
                    FrameworkCache.owner(mine.getFileName().toString()));
        } finally {
            FrameworkCache.deleteTree(mine);
        }
    }
}

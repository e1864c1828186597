package org.mandos.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The distribution tarball unpacked into a fresh directory under /tmp, as a user would install it, followed
 * by {@code bin/mandos-cds} as the installation instructions say. The directory is world-traversable so that
 * bin/mandos still works after it switches from root to _mandos.
 */
final class Installation {

    private static Path home;

    private Installation() {
    }

    static synchronized Path home() {
        if (home == null) {
            Path dir = unpacked();
            run(List.of(dir.resolve("bin/mandos-cds").toString()));
            home = dir;
        }
        return home;
    }

    /** Another copy of the tarball, unpacked and nothing else: for tests that change the installation. */
    static Path unpacked() {
        Path tarball = Path.of(System.getProperty("mandos.dist.tarball"));
        Path dir = TestFiles.newDirectory("mandos-dist-");
        run(List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString(), "--strip-components=1"));
        return dir;
    }

    static Path bin(String tool) {
        return home().resolve("bin").resolve(tool);
    }

    static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("failed: " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package org.mandos.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's cache directory, {@code <java.io.tmpdir>/mandos-felix-<pid>-<random>}: a copy of every
 * bundle (about 14 MB), created at start and removed at a normal stop. A server that is killed, or crashes,
 * cannot remove its own; the next server to start removes every cache whose process is gone (the pid in the
 * name), so that a crash loop cannot fill the disk. Caches named without a pid (from earlier versions) are
 * left alone: whether their server still runs cannot be told.
 */
final class FrameworkCache {

    static final String PREFIX = "mandos-felix-";

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkCache.class);

    private FrameworkCache() {
    }

    /** Creates this process's cache directory. */
    static Path create() throws IOException {
        return Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
    }

    /** The pid in a cache directory's name, if it has one. */
    static OptionalLong owner(String name) {
        if (!name.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        int dash = name.indexOf('-', PREFIX.length());
        if (dash <= PREFIX.length() || dash - PREFIX.length() > 10) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(PREFIX.length(), dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Removes the caches in {@code directory} whose process is not alive.
     *
     * @param alive whether a process with that pid runs
     * @return the directories removed
     */
    static List<Path> removeAbandoned(Path directory, LongPredicate alive) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path cache : caches) {
                OptionalLong pid = owner(cache.getFileName().toString());
                if (pid.isEmpty() || alive.test(pid.getAsLong())
                        || !Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (deleteTree(cache)) {
                    removed.add(cache);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Looking for abandoned framework caches in {}: {}", directory, e.toString());
        }
        return removed;
    }

    /** Removes what is left of servers that did not stop normally, on a thread of its own. */
    static void removeAbandonedInBackground() {
        Thread cleaner = new Thread(() -> {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            List<Path> removed = removeAbandoned(tmp, pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false));
            if (!removed.isEmpty()) {
                LOG.info("Removed {} framework cache(s) left in {} by servers that did not stop normally",
                        removed.size(), tmp);
            }
        }, "mandos-cache-cleanup");
        cleaner.setDaemon(true);
        cleaner.setPriority(Thread.MIN_PRIORITY);
        cleaner.start();
    }

    /** Deletes a directory tree without following links; false if anything stayed. */
    static boolean deleteTree(Path root) {
        boolean complete = true;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    complete = false;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            complete = false;
        }
        return complete;
    }
}

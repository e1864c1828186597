package org.mandos.sample.store.directory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One thread that watches a directory and calls {@code onChange} once the events of an edit have
 * settled (no further event for {@code settleMillis}). Every {@code recheckMillis} without events it
 * also checks that the directory is still the one it watches: a directory that is missing is watched
 * as soon as it appears, one that was removed or replaced is watched again, and each of these also
 * calls {@code onChange}.
 */
final class DirectoryWatcher {

    private static final Object NO_FILE_KEY = new Object();

    private final Path directory;
    private final long settleMillis;
    private final long recheckMillis;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;
    private volatile boolean stopped;

    DirectoryWatcher(Path directory, long settleMillis, long recheckMillis, Runnable onChange) throws IOException {
        this.directory = directory;
        this.settleMillis = settleMillis;
        this.recheckMillis = recheckMillis;
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        this.thread = new Thread(this::run, "mandos-directory-store-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the thread and waits up to {@code waitMillis} for it to end. */
    void stop(long waitMillis) {
        stopped = true;
        try {
            service.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        WatchKey key = null;
        Object watched = null;
        try {
            while (!stopped) {
                Object now = identity();
                if (key == null || !key.isValid() || !Objects.equals(watched, now)) {
                    if (key != null) {
                        key.cancel();
                        key = null;
                        onChange.run(); // gone or replaced
                    }
                    if (now != null) {
                        try {
                            key = directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                            watched = now;
                            onChange.run(); // catch up with what happened before the watch began
                        } catch (IOException notThereAfterAll) {
                            key = null;
                        }
                    }
                }
                WatchKey signalled = service.poll(recheckMillis, TimeUnit.MILLISECONDS);
                if (signalled == null) {
                    continue;
                }
                drain(signalled);
                // Let the edit finish: swallow the burst of events one save makes.
                WatchKey more;
                while ((more = service.poll(settleMillis, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                if (!stopped) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopping) {
            // stop() was called.
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** What identifies the directory on disk (device and inode where available), or null if it is not one. */
    private Object identity() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class);
            if (!attributes.isDirectory()) {
                return null;
            }
            return attributes.fileKey() != null ? attributes.fileKey() : NO_FILE_KEY;
        } catch (IOException e) {
            return null;
        }
    }
}

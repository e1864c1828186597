package org.mandos.state.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Atomic replacement of a file, and directory fsync. POSIX (Linux) only. */
public final class AtomicFiles {
    /** rw------- */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** rwx------ */
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /** Something to run between writing the temporary file and renaming it; tests use it to fail there. */
    @FunctionalInterface
    public interface BeforeMove {
        /** @param temp the complete, synced temporary file */
        void run(Path temp) throws IOException;
    }

    /**
     * Creates {@code dir} with mode 0700 (and missing parents) if it does not exist.
     *
     * @throws IOException if it cannot, or exists and is not a directory
     */
    public static void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(dir)) {
            return; // a symbolic link to a directory: the administrator's choice
        }
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(DIR_MODE);
        Files.createDirectories(dir, attr);
        Files.setPosixFilePermissions(dir, DIR_MODE); // independent of the umask
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    /**
     * Replaces {@code dir/name} with {@code data} atomically: a 0600 temporary file in {@code dir} is
     * written and forced to disk, renamed over the target, and the directory is forced. On failure
     * before the rename the temporary file is removed and the old target is untouched.
     */
    public static void replace(Path dir, String name, byte[] data, BeforeMove hook) throws IOException {
        ensureDirectory(dir);
        Path target = dir.resolve(name);
        Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (hook != null) {
                hook.run(temp);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /** Forces a directory's entries to disk (Linux allows fsync on a directory opened for reading). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

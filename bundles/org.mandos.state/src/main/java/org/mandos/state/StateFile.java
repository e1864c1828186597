package org.mandos.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.mandos.state.internal.AtomicFiles;
import org.mandos.state.internal.StateCodec;
import org.mandos.state.internal.StateFormatException;

/**
 * The state file {@code <statedir>/clients.json}: a versioned JSON document (see
 * {@code docs/state-file.md}) written atomically with mode 0600, and read back without ever being
 * deleted.
 *
 * <p>On load, a file that cannot be used (bad JSON, wrong format name, other version, invalid or
 * missing field, not a regular file, too large, owned by a user other than this process's or root,
 * unreadable, or readable or writable by group or others) is
 * renamed to {@code clients.json.corrupt-<yyyyMMdd'T'HHmmss'Z'>[-n]}, its mode is set to 0600, and
 * {@link Corrupt} is returned. The caller should then start fail-closed (see {@link StateMerge}).
 *
 * <p>POSIX file systems only (Linux): the permission and directory-fsync steps need them.
 */
public final class StateFile {
    /** The file name inside the state directory. */
    public static final String FILE_NAME = "clients.json";
    /** Files larger than this are not read (treated as corrupt). */
    public static final long MAX_SIZE = 16L * 1024 * 1024;

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private StateFile() {
    }

    /** The result of {@link StateFile#load(Path)}. */
    public sealed interface Loaded permits Missing, Valid, Corrupt {
    }

    /**
     * There is no state file (first start, or the state was never saved).
     *
     * @param file the path looked at
     */
    public record Missing(Path file) implements Loaded {
    }

    /**
     * The state file was read.
     *
     * @param clients the saved clients, names unique
     * @param saved when the file was written
     * @param configAtSave for each saved client that had one, the configuration snapshot stored with
     *     it, by name (empty if the file was saved without snapshots)
     * @param removed the clients an operator removed (see {@link RemovedClient})
     */
    public record Valid(List<ClientState> clients, Instant saved, Map<String, ConfiguredClient> configAtSave,
            List<RemovedClient> removed) implements Loaded {
        /** Copies the collections. */
        public Valid {
            clients = List.copyOf(clients);
            Objects.requireNonNull(saved, "saved");
            configAtSave = Map.copyOf(configAtSave);
            removed = List.copyOf(removed);
        }

        /**
         * @param clients the saved clients
         * @param saved when the file was written
         * @param configAtSave the configuration snapshots by name
         */
        public Valid(List<ClientState> clients, Instant saved, Map<String, ConfiguredClient> configAtSave) {
            this(clients, saved, configAtSave, List.of());
        }

        /**
         * @param clients the saved clients
         * @param saved when the file was written
         */
        public Valid(List<ClientState> clients, Instant saved) {
            this(clients, saved, Map.of());
        }
    }

    /**
     * The state file could not be used and was moved aside (never deleted).
     *
     * @param movedTo where it is now
     * @param reason one line saying why
     */
    public record Corrupt(Path movedTo, String reason) implements Loaded {
    }

    /**
     * Saves without configuration snapshots: at the next start every setting is taken from
     * {@code clients.conf} and the saved {@code enabled} is kept (see {@link StateMerge}).
     *
     * @see #save(Path, List, List)
     */
    public static void save(Path statedir, List<ClientState> clients) throws IOException {
        save(statedir, clients, List.of(), Clock.systemUTC());
    }

    /**
     * Writes {@code <statedir>/clients.json} atomically. Creates {@code statedir} with mode 0700 if
     * it is missing (an existing directory's mode is left alone). The steps: a temporary file
     * {@code .clients.json.*.tmp} is created in {@code statedir} with mode 0600, written, forced to
     * disk, renamed over {@code clients.json}, and the directory is forced. If anything fails before
     * the rename, the temporary file is removed and the old {@code clients.json} is untouched.
     *
     * @param statedir the state directory
     * @param clients the clients to save; names must be unique
     * @param configAtSave the {@code clients.conf} values in force for these clients (normally the
     *     ones read at start-up or the last reload); stored with each client of the same name, so
     *     that the next start can see which settings were edited in {@code clients.conf}
     * @throws IOException if writing fails; if only the final directory fsync fails, the new file
     *     is already in place
     * @throws IllegalArgumentException if two clients share a name
     */
    public static void save(Path statedir, List<ClientState> clients, List<ConfiguredClient> configAtSave)
            throws IOException {
        save(statedir, clients, configAtSave, Clock.systemUTC());
    }

    /**
     * As {@link #save(Path, List, List)}, with the clock giving the {@code saved} time.
     */
    public static void save(Path statedir, List<ClientState> clients, List<ConfiguredClient> configAtSave,
            Clock clock) throws IOException {
        save(statedir, clients, configAtSave, List.of(), clock);
    }

    /**
     * As {@link #save(Path, List, List)}, with the clients an operator removed and the clock giving the
     * {@code saved} time.
     *
     * @throws IllegalArgumentException if two clients, or two removed clients, share a name
     */
    public static void save(Path statedir, List<ClientState> clients, List<ConfiguredClient> configAtSave,
            List<RemovedClient> removed, Clock clock) throws IOException {
        Objects.requireNonNull(statedir, "statedir");
        Map<String, ConfiguredClient> byName = new LinkedHashMap<>();
        for (ConfiguredClient c : configAtSave) {
            byName.put(c.name(), c);
        }
        byte[] data = StateCodec.encode(clients, byName, removed, clock.instant());
        AtomicFiles.replace(statedir, FILE_NAME, data, null);
    }

    /**
     * Reads {@code <statedir>/clients.json}. Never deletes it; an unusable file is moved aside.
     *
     * @param statedir the state directory
     * @return {@link Missing}, {@link Valid} or {@link Corrupt}
     * @throws IOException if the file exists but cannot be moved aside (an unreadable file is moved
     *     aside like any unusable one); the caller should then treat the state as corrupt (fail closed)
     *     and not overwrite the file blindly
     */
    public static Loaded load(Path statedir) throws IOException {
        return load(statedir, Clock.systemUTC());
    }

    /** As {@link #load(Path)}, with the clock giving the time stamp of a moved-aside file. */
    public static Loaded load(Path statedir, Clock clock) throws IOException {
        return load(statedir, clock, ownUid());
    }

    /** As {@link #load(Path, Clock)}, as if this process ran as {@code ownUid} (tests). */
    static Loaded load(Path statedir, Clock clock, int ownUid) throws IOException {
        Path file = statedir.resolve(FILE_NAME);
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Missing(file);
        }
        String problem = null;
        if (!attrs.isRegularFile()) {
            problem = "not a regular file";
        } else if (attrs.size() > MAX_SIZE) {
            problem = "larger than " + MAX_SIZE + " bytes";
        } else if (!trustedOwner(file, ownUid)) {
            problem = "owned by uid " + Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                    + ", not by the server's user (uid " + ownUid + ") or root";
        } else {
            Set<PosixFilePermission> perms = attrs.permissions();
            Set<PosixFilePermission> loose = perms.stream()
                    .filter(p -> !p.name().startsWith("OWNER_"))
                    .collect(java.util.stream.Collectors.toSet());
            if (!loose.isEmpty()) {
                problem = "mode " + PosixFilePermissions.toString(perms)
                        + " lets other users read or write it (must be rw-------)";
            }
        }
        if (problem == null) {
            byte[] data = null;
            try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                data = in.readNBytes((int) MAX_SIZE + 1);
            } catch (IOException e) {
                problem = "cannot be read (" + describe(e) + ")";
            }
            if (data == null) {
                // moved aside below: kept as evidence, and never overwritten by the next save
            } else if (data.length > MAX_SIZE) {
                problem = "larger than " + MAX_SIZE + " bytes";
            } else {
                try {
                    StateCodec.Decoded d = StateCodec.decode(data);
                    return new Valid(d.clients(), d.saved(), d.configAtSave(), d.removed());
                } catch (StateFormatException e) {
                    problem = e.getMessage();
                }
            }
        }
        Path movedTo = moveAside(file, clock.instant());
        return new Corrupt(movedTo, StateCodec.oneLine(problem));
    }

    /**
     * Makes the state directory ready for saving, once at start-up: creates it (mode 0700) if missing,
     * removes the temporary files ({@code .clients.json.*.tmp}) that a process killed in the middle of a
     * save left behind, and checks that a file can be created in it.
     *
     * @param statedir the state directory
     * @return how many leftover temporary files were removed
     * @throws IOException if the directory cannot be created or written; {@link #describe(IOException)}
     *     gives the reason as one line
     */
    public static int prepare(Path statedir) throws IOException {
        AtomicFiles.ensureDirectory(statedir);
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(statedir, "." + FILE_NAME + ".*.tmp")) {
            for (Path leftover : leftovers) {
                if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(leftover)) {
                    removed++;
                }
            }
        }
        Path probe = Files.createTempFile(statedir, "." + FILE_NAME + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(AtomicFiles.FILE_MODE));
        Files.delete(probe);
        if (removed > 0) {
            AtomicFiles.syncDirectory(statedir);
        }
        return removed;
    }

    /**
     * One line saying why a file operation on the state failed, without the (random) name of a temporary
     * file, so that the same condition always reads the same: {@code permission denied}, {@code No space
     * left on device}, {@code Read-only file system}, …
     */
    public static String describe(Exception e) {
        String text;
        if (e instanceof AccessDeniedException) {
            text = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            text = "no such file or directory";
        } else if (e instanceof NotDirectoryException) {
            text = "not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            text = "file exists";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            text = fse.getReason();
        } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
            text = e.getMessage();
        } else {
            text = e.getClass().getSimpleName();
        }
        return StateCodec.oneLine(text);
    }

    /**
     * The effective user id of this process, from {@code /proc/self/status} (Linux).
     *
     * @throws IOException if it cannot be found out; the state is then not trusted
     */
    static int ownUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                if (ids.length >= 2) {
                    return Integer.parseInt(ids[1]);
                }
            }
        }
        throw new IOException("cannot find this process's user id in /proc/self/status");
    }

    /**
     * Whether the file belongs to this process's user, or to root. A file of another user is not
     * trusted, like one that others may write: that user could have written anything into it.
     */
    private static boolean trustedOwner(Path file, int ownUid) throws IOException {
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return owner == ownUid || owner == 0;
    }

    private static Path moveAside(Path file, Instant now) throws IOException {
        String base = FILE_NAME + ".corrupt-" + STAMP.format(now);
        Path dir = file.getParent();
        for (int n = 0; ; n++) {
            Path target = dir.resolve(n == 0 ? base : base + "-" + n);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.move(file, target); // without REPLACE_EXISTING: never clobbers an older copy
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.setPosixFilePermissions(target, AtomicFiles.FILE_MODE);
                } catch (IOException e) {
                    // Another user's file: only its owner (or root) may change its mode. It is out of the
                    // way and will not be read; what it reveals was already exposed by its owner.
                }
            }
            AtomicFiles.syncDirectory(dir);
            return target;
        }
    }
}

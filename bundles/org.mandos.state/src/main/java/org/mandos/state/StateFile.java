package org.mandos.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
 * missing field, not a regular file, too large, or readable or writable by group or others) is
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
     * @throws IOException if the file exists but cannot be read or moved aside; the caller should
     *     then treat the state as corrupt (fail closed) and not overwrite the file blindly
     */
    public static Loaded load(Path statedir) throws IOException {
        return load(statedir, Clock.systemUTC());
    }

    /** As {@link #load(Path)}, with the clock giving the time stamp of a moved-aside file. */
    public static Loaded load(Path statedir, Clock clock) throws IOException {
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
            byte[] data;
            try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                data = in.readNBytes((int) MAX_SIZE + 1);
            }
            if (data.length > MAX_SIZE) {
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
                Files.setPosixFilePermissions(target, AtomicFiles.FILE_MODE);
            }
            AtomicFiles.syncDirectory(dir);
            return target;
        }
    }
}

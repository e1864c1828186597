package org.mandos.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import org.mandos.config.ConfigException;

/**
 * Who else can read or change a file that holds secrets ({@code clients.conf}, a drop-in, a {@code secfile}).
 * The reference manual says {@code clients.conf} must be readable by nobody but the server; the reference never
 * checks. Here a file anyone can write is refused (anyone could give a client their own key and receive its
 * secret), and one anyone can read, or its group can write, gets a warning naming it.
 */
public final class FileExposure {

    private FileExposure() {
    }

    /**
     * @param holds what the file holds, for the message ("the clients' secrets")
     * @param ifWritable what whoever can write it could do ("could …"), after "anyone" or "every member"
     * @return a warning for a file readable by all users or writable by its group, if it is
     * @throws ConfigException when the file is writable by all users
     */
    public static Optional<String> check(Path file, String holds, String ifWritable) throws ConfigException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            // Read it anyway: it was readable a moment ago, and a file system without POSIX modes has no "others".
            return Optional.empty();
        }
        if (permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new ConfigException(file, 0, null, null, "writable by all users, and it holds " + holds + ": "
                    + "anyone " + ifWritable + " (chmod o-w " + file + ")");
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
            return Optional.of(file + " is readable by all users, but it holds " + holds + " (chmod o-r " + file
                    + ")");
        }
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)) {
            return Optional.of(file + " is writable by its group, and it holds " + holds + ": every member "
                    + ifWritable + " (chmod g-w " + file + ")");
        }
        return Optional.empty();
    }
}

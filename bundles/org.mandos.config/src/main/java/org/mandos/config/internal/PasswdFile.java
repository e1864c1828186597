package org.mandos.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Home directories from a {@code passwd(5)} file. Python's {@code pwd.getpwnam} also asks NSS
 * (LDAP, systemd-homed, ...); plain Java cannot, so users known only there are not found, and a
 * path naming them is left unchanged, as Python does for an unknown user.
 */
public final class PasswdFile implements UserHomes {

    /** The system's user database. */
    public static final PasswdFile SYSTEM = new PasswdFile(Path.of("/etc/passwd"));

    private final Path file;

    /** @param file a file in {@code passwd(5)} format */
    public PasswdFile(Path file) {
        this.file = file;
    }

    @Override
    public Optional<String> home(String user) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 7 && fields[0].equals(user)) {
                    return Optional.of(fields[5]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable database is treated like one without the user: the path stays as written.
        }
        return Optional.empty();
    }
}

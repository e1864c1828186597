package org.mandos.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The pid file of a background server: refused when another live server owns it, removed at exit. */
final class PidFile {

    private PidFile() {
    }

    static void write(Path file, long pid) throws StartupError {
        Long other = readLive(file);
        if (other != null && other != pid) {
            throw new StartupError("Another server is running with pid " + other + " (pid file " + file + ")");
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".mandos", ".pid",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
            Files.writeString(temp, pid + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StartupError("Cannot write the pid file " + file + ": " + reason(e)
                    + " (choose another with --pidfile)");
        }
    }

    /** Removes the file if it still names this process. */
    static void remove(Path file, long pid) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.equals(Long.toString(pid))) {
                Files.delete(file);
            }
        } catch (IOException ignored) {
            // Already gone, or not ours any more.
        }
    }

    private static Long readLive(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid).orElse(null);
        } catch (IOException | NumberFormatException e) {
            // No pid file, or not one of ours: nothing is running under it.
            return null;
        }
    }

    static String reason(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such file or directory";
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }
}

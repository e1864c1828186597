package org.mandos.sample.store.directory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mandos.api.ClientDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one directory, one file {@code NAME.conf} per client, read again on demand; plain Java,
 * no OSGi. Errors are per file: a file that cannot be used is reported once (until it changes) and its
 * previous definition, if any, stays in force; a new broken file adds nothing; a deleted file removes
 * its client. The clients are sorted by name.
 *
 * <p>Thread-safe: {@link #reload()} is serialised, {@link #clients()} returns the latest snapshot.
 */
final class ClientDirectory {

    /** Where problems and changes are reported; the default goes to SLF4J. */
    interface Log {
        void error(String message);

        void warn(String message);

        void info(String message);
    }

    static final Log SLF4J = new Log() {
        private final Logger log = LoggerFactory.getLogger(ClientDirectory.class);

        @Override
        public void error(String message) {
            log.error(message);
        }

        @Override
        public void warn(String message) {
            log.warn(message);
        }

        @Override
        public void info(String message) {
            log.info(message);
        }
    };

    static final String SUFFIX = ".conf";

    private final Path directory;
    private final ClientFileParser parser;
    private final Log log;

    private volatile List<ClientDefinition> clients = List.of();
    // Guarded by this:
    private Map<String, ClientDefinition> byName = Map.of();
    /** Per file name: the problem last reported and the file's version then, to report each once. */
    private final Map<String, String> reported = new HashMap<>();
    private Set<String> warnings = Set.of();
    private String directoryProblem;
    private boolean everRead;

    ClientDirectory(Path directory, ClientFileParser parser, Log log) {
        this.directory = directory;
        this.parser = parser;
        this.log = log;
    }

    Path directory() {
        return directory;
    }

    /** The current definitions, sorted by name; an immutable snapshot. */
    List<ClientDefinition> clients() {
        return clients;
    }

    /**
     * Whether {@code fileName} defines a client: {@code NAME.conf} with a non-empty name, and not an
     * editor's or package manager's leftover (dotfiles such as {@code .NAME.conf.swp} or
     * {@code .#NAME.conf}, {@code #NAME.conf#}, {@code NAME.conf~}, {@code *.dpkg-*}, {@code *.ucf-*},
     * {@code *.rpmnew}, {@code *.rpmsave}, {@code *.orig}, {@code *.bak}, {@code *.tmp}, {@code *.swp}).
     * Leftovers mostly fail the {@code .conf} test anyway; they are listed to say so.
     */
    static boolean isClientFile(String fileName) {
        if (fileName.length() <= SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
            return false;
        }
        if (fileName.startsWith(".") || fileName.startsWith("#") || fileName.endsWith("~")
                || fileName.endsWith("#") || fileName.contains(".dpkg-") || fileName.contains(".ucf-")) {
            return false;
        }
        for (String leftover : List.of(".rpmnew", ".rpmsave", ".orig", ".bak", ".tmp", ".swp")) {
            if (fileName.contains(leftover + ".") || fileName.endsWith(leftover)) {
                return false;
            }
        }
        return true;
    }

    /** The client a client file defines: its name without {@code .conf}. */
    static String clientName(String fileName) {
        return fileName.substring(0, fileName.length() - SUFFIX.length());
    }

    /**
     * Reads the directory again.
     *
     * @return whether the definitions changed
     * @throws IOException when the directory itself cannot be read (the message names it); the previous
     *                     definitions stay in force
     */
    synchronized boolean reload() throws IOException {
        List<Path> files = list();
        everRead = true;
        if (directoryProblem != null) {
            log.info("Client directory " + directory + " can be read again");
            directoryProblem = null;
        }
        Map<String, ClientDefinition> next = new TreeMap<>();
        Set<String> present = new LinkedHashSet<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            if (!isClientFile(fileName) || !Files.isRegularFile(file)) {
                continue;
            }
            String name = clientName(fileName);
            present.add(fileName);
            try {
                next.put(name, parser.parse(file, name));
                if (reported.remove(fileName) != null) {
                    log.info("Client file " + file + " is usable again");
                }
            } catch (ClientFileException e) {
                ClientDefinition previous = byName.get(name);
                String key = e.getMessage() + "\u0000" + version(file);
                if (!key.equals(reported.put(fileName, key))) {
                    log.error("Ignoring client file " + e.getMessage() + (previous != null
                            ? "; the previous definition of client " + name + " stays in force"
                            : "; it defines no client"));
                }
                if (previous != null) {
                    next.put(name, previous);
                }
            }
        }
        reported.keySet().retainAll(present);
        List<ClientDefinition> list = List.copyOf(next.values());
        if (list.equals(clients)) {
            return false;
        }
        describeChange(byName, next);
        byName = next;
        clients = list;
        warn(list);
        return true;
    }

    /**
     * {@link #reload()} for the watcher: a directory that cannot be read is reported once (until the
     * problem changes or goes away), not thrown.
     */
    synchronized boolean reloadOrReport() {
        try {
            return reload();
        } catch (IOException e) {
            if (!e.getMessage().equals(directoryProblem)) {
                directoryProblem = e.getMessage();
                log.error(e.getMessage() + (everRead
                        ? "; the " + clients.size() + " client(s) read before stay in force"
                        : "; no clients from it until it can be read (it is read as soon as it appears)"));
            }
            return false;
        }
    }

    private List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                files.add(entry);
            }
        } catch (DirectoryIteratorException e) {
            throw unreadable(e.getCause());
        } catch (IOException e) {
            throw unreadable(e);
        }
        return files;
    }

    private IOException unreadable(IOException e) {
        String why = e instanceof NoSuchFileException ? "it does not exist"
                : e instanceof NotDirectoryException ? "it is not a directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : ClientFileParser.reason(e);
        return new IOException("Cannot read the client directory " + directory + ": " + why, e);
    }

    /** Changes when the file is rewritten: its modification time and size (no contents). */
    private static String version(Path file) {
        try {
            return Files.getLastModifiedTime(file) + "/" + Files.size(file);
        } catch (IOException e) {
            return "?";
        }
    }

    private void describeChange(Map<String, ClientDefinition> before, Map<String, ClientDefinition> after) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        after.forEach((name, d) -> {
            ClientDefinition old = before.get(name);
            if (old == null) {
                added.add(name);
            } else if (!old.equals(d)) {
                changed.add(name);
            }
        });
        before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(removed::add);
        StringBuilder b = new StringBuilder("Client directory ").append(directory).append(": ")
                .append(after.size()).append(" client(s)");
        if (!added.isEmpty()) {
            b.append("; added ").append(String.join(", ", added));
        }
        if (!changed.isEmpty()) {
            b.append("; changed ").append(String.join(", ", changed));
        }
        if (!removed.isEmpty()) {
            b.append("; removed ").append(String.join(", ", removed));
        }
        log.info(b.toString());
    }

    /** Identity warnings, each logged once for as long as it applies. */
    private void warn(List<ClientDefinition> list) {
        Set<String> now = new LinkedHashSet<>();
        Map<String, String> firstByKeyId = new HashMap<>();
        for (ClientDefinition d : list) {
            if (d.keyId().isEmpty()) {
                now.add("Client " + d.name() + " has no key_id, only an OpenPGP fingerprint, which this server"
                        + " does not use: it can never receive its secret");
                continue;
            }
            String first = firstByKeyId.putIfAbsent(d.keyId(), d.name());
            if (first != null) {
                now.add("Client " + d.name() + " has the same key_id as client " + first
                        + ", which comes first and will be used instead");
            }
        }
        now.stream().filter(w -> !warnings.contains(w)).forEach(log::warn);
        warnings = now;
    }
}

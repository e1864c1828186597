package org.mandos.dbus.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Assigns each client name an object path under {@code /clients/}, never the same one to two names.
 *
 * <p>The scheme: every ASCII letter, digit and {@code _} is kept, {@code .} and {@code -} become
 * {@code _} (so every name the reference accepts gets the reference's path), and every other character
 * becomes {@code _XX} for each byte of its UTF-8 encoding, in upper-case hex; an empty name becomes
 * {@code _}. When the result is already the path of another client (for instance {@code a.b} after
 * {@code a-b}), {@code _2}, {@code _3}, … is appended until it is free. A name keeps its path for as
 * long as it exists; the reference instead refuses to start in both cases.
 */
final class ObjectPaths {

    static final String PREFIX = "/clients/";

    private final Map<String, String> byName = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    /** The path of {@code name}, assigned now if it has none. */
    synchronized String assign(String name) {
        String path = byName.get(name);
        if (path != null) {
            return path;
        }
        String base = PREFIX + escape(name);
        path = base;
        for (int n = 2; used.contains(path); n++) {
            path = base + "_" + n;
        }
        used.add(path);
        byName.put(name, path);
        return path;
    }

    synchronized Optional<String> path(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Forgets a name, freeing its path. */
    synchronized void release(String name) {
        String path = byName.remove(name);
        if (path != null) {
            used.remove(path);
        }
    }

    /** The name whose path this is, if any. */
    synchronized Optional<String> name(String path) {
        return byName.entrySet().stream().filter(e -> e.getValue().equals(path)).map(Map.Entry::getKey).findFirst();
    }

    static String escape(String name) {
        if (name.isEmpty()) {
            return "_";
        }
        StringBuilder b = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '_')) {
                b.append((char) c);
            } else if (c == '.' || c == '-') {
                b.append('_');
            } else {
                for (byte x : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    b.append('_').append(String.format("%02X", x & 0xff));
                }
            }
        });
        return b.toString();
    }
}

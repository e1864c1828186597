package org.mandos.zeroconf.avahi.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Avahi that records every call as a line ({@code "AddService /Client1/EntryGroup1 -1 1 Mandos
 * _mandos._tcp 10999"}), refuses names in {@link #localNames} with a CollisionError as Avahi does for a
 * name another local group uses, and renames as Avahi does ({@code Mandos}, {@code Mandos #2}, …).
 */
final class FakeAvahi implements Avahi {

    private static final Pattern NUMBERED = Pattern.compile("(.*) #(\\d+)");

    final List<String> calls = new ArrayList<>();
    /** Names that other local entry groups hold. */
    final Set<String> localNames = new HashSet<>();
    /** The error name AddService fails with (besides collisions), or null. */
    String failAddServiceWith;
    private final String client;
    private int groups;

    FakeAvahi(String client) {
        this.client = client;
    }

    @Override
    public EntryGroup newEntryGroup() {
        String path = "/" + client + "/EntryGroup" + ++groups;
        calls.add("EntryGroupNew " + path);
        return new Group(path);
    }

    @Override
    public String alternativeServiceName(String name) {
        calls.add("GetAlternativeServiceName " + name);
        Matcher m = NUMBERED.matcher(name);
        return m.matches() ? m.group(1) + " #" + (Integer.parseInt(m.group(2)) + 1) : name + " #2";
    }

    /** The calls made so far, and forgets them. */
    List<String> take() {
        List<String> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }

    private final class Group implements EntryGroup {

        private final String path;

        Group(String path) {
            this.path = path;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public void addService(int interfaceIndex, int protocol, String name, String type, int port)
                throws AvahiException {
            calls.add("AddService " + path + " " + interfaceIndex + " " + protocol + " " + name + " " + type + " "
                    + port);
            if (localNames.contains(name)) {
                throw new AvahiException(AvahiException.COLLISION_ERROR, "Local name collision", null);
            }
            if (failAddServiceWith != null) {
                throw new AvahiException(failAddServiceWith, "refused", null);
            }
        }

        @Override
        public void commit() {
            calls.add("Commit " + path);
        }

        @Override
        public void reset() {
            calls.add("Reset " + path);
        }

        @Override
        public void free() {
            calls.add("Free " + path);
        }
    }
}

package org.mandos.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.InvalidOpcodeException;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.TimeDelta;

/**
 * Reads the state file of the reference server (Mandos 1.8.16): {@code <statedir>/clients.pickle}, a
 * Python pickle (protocol 2) of the tuple {@code (clients, client_settings)}, for a one-off migration to
 * {@code clients.json}. The pickle is decoded by the razorvine pickle library (embedded in this bundle),
 * which builds only plain values and never runs code named in the file.
 *
 * <p>The secret and {@code encrypted_secret} are never read into the result: secrets come from
 * {@code clients.conf} only. Times in the pickle are naive UTC {@code datetime}s; durations are
 * {@code timedelta}s. Microseconds are kept.
 */
public final class ReferenceStateImport {

    /** The conventional file name in the reference state directory. */
    public static final String FILE_NAME = "clients.pickle";
    /** Files larger than this are refused. */
    public static final long MAX_SIZE = 16L * 1024 * 1024;

    static {
        // The library's own datetime constructor returns a Calendar in the JVM's default zone, with
        // milliseconds only; a naive UTC datetime is an Instant with microseconds here.
        Unpickler.registerConstructor("datetime", "datetime", new NaiveUtcDateTime());
    }

    private ReferenceStateImport() {
    }

    /**
     * What a {@code clients.pickle} holds.
     *
     * @param clients the saved runtime state of each client, sorted by name
     * @param configAtSave the {@code clients.conf} values of the reference's last run
     *     ({@code client_settings}), for those clients that have them; what
     *     {@link StateFile#save(Path, List, List)} should store so that the next start merges exactly
     *     as a restart of the reference would
     */
    public record Imported(List<ClientState> clients, List<ConfiguredClient> configAtSave) {
        /** Copies the lists. */
        public Imported {
            clients = List.copyOf(clients);
            configAtSave = List.copyOf(configAtSave);
        }
    }

    /**
     * Reads the clients of a reference {@code clients.pickle}.
     *
     * @param clientsPickle the file
     * @return one state per client, secrets left out
     * @throws IOException if the file cannot be read or is not a reference state file; the message is
     *     one line
     */
    public static List<ClientState> read(Path clientsPickle) throws IOException {
        return load(clientsPickle).clients();
    }

    /**
     * Reads the clients and the configuration snapshot of a reference {@code clients.pickle}.
     *
     * @param clientsPickle the file
     * @return the clients and the settings saved with them
     * @throws IOException if the file cannot be read or is not a reference state file; the message is
     *     one line
     */
    public static Imported load(Path clientsPickle) throws IOException {
        if (!Files.isRegularFile(clientsPickle, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(clientsPickle + ": " + (Files.exists(clientsPickle, LinkOption.NOFOLLOW_LINKS)
                    ? "not a regular file" : "no such file"));
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(clientsPickle)) {
            data = in.readNBytes((int) MAX_SIZE + 1);
        }
        if (data.length > MAX_SIZE) {
            throw new IOException(clientsPickle + ": larger than " + MAX_SIZE + " bytes");
        }
        if (data.length < 2 || (data[0] & 0xff) != 0x80) {
            throw new IOException(clientsPickle + ": not a reference Mandos state file (not a Python pickle)");
        }
        Object root;
        Unpickler unpickler = new BoundedUnpickler();
        try {
            root = unpickler.loads(data);
        } catch (IOException | RuntimeException e) { // PickleException is a RuntimeException
            throw new IOException(clientsPickle + ": not a reference Mandos state file (unreadable pickle: "
                    + reason(e) + ")");
        } finally {
            unpickler.close();
        }
        try {
            return map(root);
        } catch (Bad e) {
            throw new IOException(clientsPickle + ": not a reference Mandos state file (" + e.getMessage() + ")");
        }
    }

    private static Imported map(Object root) throws Bad {
        if (!(root instanceof Object[] tuple) || tuple.length != 2) {
            throw new Bad("expected the tuple (clients, client_settings), found " + describe(root));
        }
        if (!(tuple[0] instanceof Map<?, ?> clients)) {
            throw new Bad("clients: expected a dict, found " + describe(tuple[0]));
        }
        if (!(tuple[1] instanceof Map<?, ?> settings)) {
            throw new Bad("client_settings: expected a dict, found " + describe(tuple[1]));
        }
        List<ClientState> states = new ArrayList<>();
        for (Map.Entry<?, ?> e : clients.entrySet()) {
            String name = name(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> c)) {
                throw new Bad("client " + quoted(name) + ": expected a dict, found " + describe(e.getValue()));
            }
            states.add(state(name, new Fields("client " + quoted(name), c)));
        }
        List<ConfiguredClient> configured = new ArrayList<>();
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String name = name(e.getKey());
            if (!clients.containsKey(name)) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> c)) {
                throw new Bad("client_settings " + quoted(name) + ": expected a dict, found "
                        + describe(e.getValue()));
            }
            configured.add(configured(name, new Fields("client_settings " + quoted(name), c)));
        }
        states.sort(Comparator.comparing(ClientState::name));
        configured.sort(Comparator.comparing(ConfiguredClient::name));
        return new Imported(states, configured);
    }

    private static String name(Object key) throws Bad {
        if (!(key instanceof String s) || s.isEmpty()) {
            throw new Bad("client name: expected a non-empty str, found " + describe(key));
        }
        return s;
    }

    private static ClientState state(String name, Fields f) throws Bad {
        int status = f.integer("last_checker_status", ClientState.STATUS_NONE);
        if (status < ClientState.STATUS_NONE || status > 255) {
            throw new Bad("client " + quoted(name) + ": last_checker_status out of range -2..255: " + status);
        }
        // "secret" and "encrypted_secret" are deliberately never looked at.
        return new ClientState(name, f.string("key_id"), f.string("fingerprint"), f.string("host"),
                f.bool("enabled"), f.requiredTime("created"), f.time("last_enabled"), f.time("last_checked_ok"),
                status, f.time("expires"), f.time("last_approval_request"), f.duration("timeout"),
                f.duration("extended_timeout"), f.duration("interval"), f.duration("approval_delay"),
                f.duration("approval_duration"), f.bool("approved_by_default"), f.string("checker_command"));
    }

    private static ConfiguredClient configured(String name, Fields f) throws Bad {
        return new ConfiguredClient(name, f.string("key_id"), f.string("fingerprint"), f.string("host"),
                f.bool("enabled"), f.duration("timeout"), f.duration("extended_timeout"), f.duration("interval"),
                f.duration("approval_delay"), f.duration("approval_duration"), f.bool("approved_by_default"),
                f.string("checker_command"));
    }

    /** The attributes of one client, with the checks and conversions. */
    private record Fields(String where, Map<?, ?> map) {

        private Bad bad(String key, String problem) {
            return new Bad(where + ": " + key + ": " + problem);
        }

        /** A str; {@code None} or missing is {@code ""}. */
        String string(String key) throws Bad {
            Object v = map.get(key);
            if (v == null) {
                return "";
            }
            if (v instanceof String s) {
                return s;
            }
            throw bad(key, "expected a str, found " + describe(v));
        }

        boolean bool(String key) throws Bad {
            Object v = map.get(key);
            if (v instanceof Boolean b) {
                return b;
            }
            if (v instanceof Integer i && (i == 0 || i == 1)) {
                return i == 1;
            }
            throw bad(key, v == null ? "missing" : "expected a bool, found " + describe(v));
        }

        int integer(String key, int ifNone) throws Bad {
            Object v = map.get(key);
            if (v == null) {
                return ifNone;
            }
            if (v instanceof Integer i) {
                return i;
            }
            if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) (long) l;
            }
            throw bad(key, "expected an int, found " + describe(v));
        }

        Instant time(String key) throws Bad {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Instant i) {
                return i;
            }
            throw bad(key, "expected a datetime, found " + describe(v));
        }

        Instant requiredTime(String key) throws Bad {
            Instant t = time(key);
            if (t == null) {
                throw bad(key, "missing");
            }
            return t;
        }

        Duration duration(String key) throws Bad {
            Object v = map.get(key);
            if (v instanceof TimeDelta td) {
                Duration d = Duration.ofDays(td.days).plusSeconds(td.seconds).plusNanos(td.microseconds * 1000L);
                if (d.isNegative()) {
                    throw bad(key, "negative: " + d);
                }
                return d;
            }
            throw bad(key, v == null ? "missing" : "expected a timedelta, found " + describe(v));
        }
    }

    /** {@code datetime.datetime} as pickled: {@code (state_bytes[, tzinfo])} or the field values. */
    private static final class NaiveUtcDateTime implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            try {
                if (args.length >= 1 && (args[0] instanceof byte[] || args[0] instanceof String)) {
                    byte[] b = args[0] instanceof byte[] bytes ? bytes
                            : ((String) args[0]).getBytes(StandardCharsets.ISO_8859_1);
                    if (b.length != 10) {
                        throw new Refused("datetime state of " + b.length + " bytes, expected 10");
                    }
                    if (args.length > 1 && args[1] != null) {
                        throw new Refused("datetime with a time zone; the reference saves naive UTC");
                    }
                    int year = (b[0] & 0xff) << 8 | (b[1] & 0xff);
                    int micro = (b[7] & 0xff) << 16 | (b[8] & 0xff) << 8 | (b[9] & 0xff);
                    return LocalDateTime.of(year, b[2] & 0x7f, b[3] & 0xff, b[4] & 0xff, b[5] & 0xff, b[6] & 0xff,
                            micro * 1000).toInstant(ZoneOffset.UTC);
                }
                if (args.length >= 3 && args.length <= 7) {
                    int[] f = new int[7];
                    for (int i = 0; i < args.length; i++) {
                        if (!(args[i] instanceof Integer n)) {
                            throw new Refused("datetime field " + i + " is " + describe(args[i]));
                        }
                        f[i] = n;
                    }
                    return LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], f[6] * 1000).toInstant(ZoneOffset.UTC);
                }
                throw new Refused("datetime with " + args.length + " arguments");
            } catch (DateTimeException e) {
                throw new Refused("invalid datetime: " + oneLine(e));
            }
        }
    }

    private static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Object[]) {
            return "a tuple of " + ((Object[]) v).length;
        }
        return v.getClass().getSimpleName();
    }

    /**
     * Why the pickle could not be read. Not the library's message in general: that can quote bytes of the
     * file (a number it could not parse, say), and the file holds the clients' secrets. Our own checks
     * and an invalid opcode (a number) say what was wrong; anything else is named by its type.
     */
    private static String reason(Exception e) {
        if (e instanceof Refused || e instanceof InvalidOpcodeException) {
            return oneLine(e);
        }
        return e.getClass().getSimpleName();
    }

    /**
     * razorvine's unpickler, but a string, bytes or long integer whose length runs past the end of the
     * data is refused before the library allocates that length: a 1 KB file could otherwise claim 4 GB.
     */
    private static final class BoundedUnpickler extends Unpickler {
        @Override
        protected Object dispatch(short opcode) throws IOException {
            int width = switch (opcode) {
                case 'T', 'X', 'B', 0x8b -> 4; // BINSTRING, BINUNICODE, BINBYTES, LONG4
                case 0x8d, 0x8e, 0x95, 0x96 -> 8; // BINUNICODE8, BINBYTES8, FRAME, BYTEARRAY8
                default -> 0;
            };
            if (width > 0) {
                // loads(byte[]) reads from a ByteArrayInputStream: mark/reset, and available() is what is left.
                input.mark(width);
                byte[] size = input.readNBytes(width);
                input.reset();
                long length = 0;
                for (int i = size.length - 1; i >= 0; i--) {
                    length = length << 8 | (size[i] & 0xff);
                }
                if (size.length < width || length < 0 || length > input.available() - width) {
                    throw new Refused("a string or number longer than the rest of the file");
                }
            }
            return super.dispatch(opcode);
        }
    }

    /** Part of the pickle this reader refuses; the message holds no data from the file. */
    private static final class Refused extends PickleException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * A client name from the file in double quotes, with {@code "}, backslash and every control or
     * line-separator character escaped, so that a message stays one line.
     */
    private static String quoted(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m;
        return text.replaceAll("\\s+", " ").trim();
    }

    /** A structural problem in an otherwise readable pickle. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }
}

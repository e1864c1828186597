package org.mandos.state.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.jr.ob.JSON;

import org.mandos.state.ClientState;
import org.mandos.state.ConfiguredClient;
import org.mandos.state.RemovedClient;

/** Converts between the records and the version-1 JSON document, with jackson-jr. */
public final class StateCodec {
    /** The value of the {@code format} member. */
    public static final String FORMAT = "mandos-java-state";
    /** The document version written, and the only one read. */
    public static final int VERSION = 1;

    private static final JsonFactory WRITE_FACTORY = new JsonFactory();
    private static final JsonFactory READ_FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JSON READER = JSON.builder(READ_FACTORY)
            .enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS).build();

    private StateCodec() {
    }

    /** The decoded document. */
    public record Decoded(List<ClientState> clients, Instant saved, Map<String, ConfiguredClient> configAtSave,
            List<RemovedClient> removed) {
    }

    /**
     * @param clients the states, names unique
     * @param configAtSave configuration snapshots by client name; entries for other names are ignored
     * @param saved the time of saving
     * @return UTF-8 JSON
     * @throws IllegalArgumentException if two clients share a name
     */
    public static byte[] encode(List<ClientState> clients, Map<String, ConfiguredClient> configAtSave, Instant saved)
            throws IOException {
        return encode(clients, configAtSave, List.of(), saved);
    }

    /**
     * As {@link #encode(List, Map, Instant)}, with the clients an operator removed (written as the
     * optional member {@code removed}, left out when there are none).
     */
    public static byte[] encode(List<ClientState> clients, Map<String, ConfiguredClient> configAtSave,
            List<RemovedClient> removed, Instant saved) throws IOException {
        // Streamed member by member (the same bytes jackson-jr writes for the equivalent tree of maps, see
        // StateCodecTest): with 10,000 clients the routine save every 30 s was the idle server's main work.
        Set<String> names = new HashSet<>();
        for (ClientState c : clients) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate client name: " + c.name());
            }
        }
        Set<String> removedNames = new HashSet<>();
        for (RemovedClient r : removed) {
            if (!removedNames.add(r.name())) {
                throw new IllegalArgumentException("duplicate removed client name: " + r.name());
            }
        }
        Map<Duration, String> durations = new HashMap<>();
        Map<Instant, String> instants = new HashMap<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024 + 1024 * clients.size());
        try (JsonGenerator g = WRITE_FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new OneRecordPerLine());
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("saved", instant(instants, saved));
            g.writeArrayFieldStart("clients");
            for (ClientState c : clients) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("key_id", c.keyId());
                g.writeStringField("fingerprint", c.fingerprint());
                g.writeStringField("host", c.host());
                g.writeBooleanField("enabled", c.enabled());
                g.writeStringField("created", instant(instants, c.created()));
                g.writeStringField("last_enabled", instant(instants, c.lastEnabled()));
                g.writeStringField("last_checked_ok", instant(instants, c.lastCheckedOk()));
                g.writeNumberField("last_checker_status", c.lastCheckerStatus());
                g.writeStringField("expires", instant(instants, c.expires()));
                g.writeStringField("last_approval_request", instant(instants, c.lastApprovalRequest()));
                g.writeStringField("timeout", text(durations, c.timeout()));
                g.writeStringField("extended_timeout", text(durations, c.extendedTimeout()));
                g.writeStringField("interval", text(durations, c.interval()));
                g.writeStringField("approval_delay", text(durations, c.approvalDelay()));
                g.writeStringField("approval_duration", text(durations, c.approvalDuration()));
                g.writeBooleanField("approved_by_default", c.approvedByDefault());
                g.writeStringField("checker", c.checker());
                ConfiguredClient cc = configAtSave.get(c.name());
                if (cc != null) {
                    g.writeObjectFieldStart("config");
                    g.writeStringField("key_id", cc.keyId());
                    g.writeStringField("fingerprint", cc.fingerprint());
                    g.writeStringField("host", cc.host());
                    g.writeBooleanField("enabled", cc.enabled());
                    g.writeStringField("timeout", text(durations, cc.timeout()));
                    g.writeStringField("extended_timeout", text(durations, cc.extendedTimeout()));
                    g.writeStringField("interval", text(durations, cc.interval()));
                    g.writeStringField("approval_delay", text(durations, cc.approvalDelay()));
                    g.writeStringField("approval_duration", text(durations, cc.approvalDuration()));
                    g.writeBooleanField("approved_by_default", cc.approvedByDefault());
                    g.writeStringField("checker", cc.checker());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!removed.isEmpty()) {
                g.writeArrayFieldStart("removed");
                for (RemovedClient r : removed) {
                    g.writeStartObject();
                    g.writeStringField("name", r.name());
                    g.writeStringField("store", r.store());
                    g.writeStringField("definition", r.definition());
                    g.writeStringField("removed", instant(instants, r.removed()));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    /** Many instants repeat (every client created at start-up has the same): format each one once per save. */
    private static String instant(Map<Instant, String> known, Instant instant) {
        return instant == null ? null : known.computeIfAbsent(instant, DateTimeFormatter.ISO_INSTANT::format);
    }

    /**
     * Compact JSON with each element of an array (a client, a removed client) on a line of its own: as
     * readable with {@code grep} as an indented file, at a fraction of the cost (the indentation of
     * 10,000 clients was most of a routine save).
     */
    private static final class OneRecordPerLine extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (values > 0) {
                g.writeRaw('\n');
            }
            g.writeRaw(']');
        }
    }

    /** Most clients share their few duration values: format each one once per save. */
    private static String text(Map<Duration, String> known, Duration duration) {
        return known.computeIfAbsent(duration, Duration::toString);
    }

    /**
     * @param data the file content
     * @return the decoded document
     * @throws StateFormatException with a one-line reason if it is not a valid version-1 document
     */
    public static Decoded decode(byte[] data) throws StateFormatException {
        if (data.length == 0) {
            throw new StateFormatException("empty file");
        }
        Object root;
        try (JsonParser p = READ_FACTORY.createParser(data)) {
            if (p.nextToken() == null) {
                throw new StateFormatException("no JSON value");
            }
            root = READER.anyFrom(p);
            if (p.nextToken() != null) {
                throw new StateFormatException("trailing content after the JSON document");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new StateFormatException("not valid JSON: " + oneLine(e.getOriginalMessage())
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new StateFormatException("not valid JSON: " + oneLine(e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> doc)) {
            throw new StateFormatException("the document is not a JSON object");
        }
        Object format = doc.get("format");
        if (!FORMAT.equals(format)) {
            throw new StateFormatException("format is " + describe(format) + ", expected \"" + FORMAT + "\"");
        }
        Object version = doc.get("version");
        if (!(version instanceof Integer || version instanceof Long || version instanceof BigInteger)) {
            throw new StateFormatException("version is " + describe(version) + ", expected an integer");
        }
        if (!BigInteger.valueOf(VERSION).equals(new BigInteger(version.toString()))) {
            throw new StateFormatException("unsupported version " + version + " (this server reads version "
                    + VERSION + ")");
        }
        Instant saved = requiredInstant(doc, "saved", "document");
        Object clientsValue = doc.get("clients");
        if (!(clientsValue instanceof List<?> clientList)) {
            throw new StateFormatException("clients is " + describe(clientsValue) + ", expected an array");
        }
        List<ClientState> clients = new ArrayList<>();
        Map<String, ConfiguredClient> config = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (Object o : clientList) {
            String where = "clients[" + index++ + "]";
            if (!(o instanceof Map<?, ?> m)) {
                throw new StateFormatException(where + " is " + describe(o) + ", expected an object");
            }
            String name = requiredString(m, "name", where);
            where = "client " + quote(name);
            if (!names.add(name)) {
                throw new StateFormatException("duplicate " + where);
            }
            try {
                clients.add(new ClientState(name, requiredString(m, "key_id", where),
                        requiredString(m, "fingerprint", where), requiredString(m, "host", where),
                        requiredBoolean(m, "enabled", where), requiredInstant(m, "created", where),
                        optionalInstant(m, "last_enabled", where), optionalInstant(m, "last_checked_ok", where),
                        requiredInt(m, "last_checker_status", where), optionalInstant(m, "expires", where),
                        optionalInstant(m, "last_approval_request", where), requiredDuration(m, "timeout", where),
                        requiredDuration(m, "extended_timeout", where), requiredDuration(m, "interval", where),
                        requiredDuration(m, "approval_delay", where), requiredDuration(m, "approval_duration", where),
                        requiredBoolean(m, "approved_by_default", where), requiredString(m, "checker", where)));
                Object cv = m.get("config");
                if (cv != null) {
                    String cw = where + " config";
                    if (!(cv instanceof Map<?, ?> k)) {
                        throw new StateFormatException(cw + " is " + describe(cv) + ", expected an object");
                    }
                    config.put(name, new ConfiguredClient(name, requiredString(k, "key_id", cw),
                            requiredString(k, "fingerprint", cw), requiredString(k, "host", cw),
                            requiredBoolean(k, "enabled", cw), requiredDuration(k, "timeout", cw),
                            requiredDuration(k, "extended_timeout", cw), requiredDuration(k, "interval", cw),
                            requiredDuration(k, "approval_delay", cw), requiredDuration(k, "approval_duration", cw),
                            requiredBoolean(k, "approved_by_default", cw), requiredString(k, "checker", cw)));
                }
            } catch (IllegalArgumentException e) {
                throw new StateFormatException(where + ": " + oneLine(e.getMessage()));
            }
        }
        List<RemovedClient> removed = new ArrayList<>();
        Object removedValue = doc.get("removed");
        if (removedValue != null) {
            if (!(removedValue instanceof List<?> removedList)) {
                throw new StateFormatException("removed is " + describe(removedValue) + ", expected an array");
            }
            Set<String> removedNames = new HashSet<>();
            index = 0;
            for (Object o : removedList) {
                String where = "removed[" + index++ + "]";
                if (!(o instanceof Map<?, ?> m)) {
                    throw new StateFormatException(where + " is " + describe(o) + ", expected an object");
                }
                String name = requiredString(m, "name", where);
                where = "removed client " + quote(name);
                if (!removedNames.add(name)) {
                    throw new StateFormatException("duplicate " + where);
                }
                try {
                    removed.add(new RemovedClient(name, requiredString(m, "store", where),
                            requiredString(m, "definition", where), requiredInstant(m, "removed", where)));
                } catch (IllegalArgumentException e) {
                    throw new StateFormatException(where + ": " + oneLine(e.getMessage()));
                }
            }
        }
        return new Decoded(List.copyOf(clients), saved, Collections.unmodifiableMap(config), List.copyOf(removed));
    }

    private static Object required(Map<?, ?> m, String key, String where) throws StateFormatException {
        Object v = m.get(key);
        if (v == null) {
            throw new StateFormatException(where + ": " + (m.containsKey(key) ? key + " is null" : "missing " + key));
        }
        return v;
    }

    private static String requiredString(Map<?, ?> m, String key, String where) throws StateFormatException {
        Object v = required(m, key, where);
        if (!(v instanceof String s)) {
            throw new StateFormatException(where + ": " + key + " is " + describe(v) + ", expected a string");
        }
        return s;
    }

    private static boolean requiredBoolean(Map<?, ?> m, String key, String where) throws StateFormatException {
        Object v = required(m, key, where);
        if (!(v instanceof Boolean b)) {
            throw new StateFormatException(where + ": " + key + " is " + describe(v) + ", expected true or false");
        }
        return b;
    }

    private static int requiredInt(Map<?, ?> m, String key, String where) throws StateFormatException {
        Object v = required(m, key, where);
        if (!(v instanceof Integer i)) {
            throw new StateFormatException(where + ": " + key + " is " + describe(v) + ", expected an integer");
        }
        return i;
    }

    private static Duration requiredDuration(Map<?, ?> m, String key, String where) throws StateFormatException {
        String s = requiredString(m, key, where);
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new StateFormatException(where + ": " + key + " is not an ISO-8601 duration: " + quote(s));
        }
    }

    private static Instant requiredInstant(Map<?, ?> m, String key, String where) throws StateFormatException {
        required(m, key, where);
        return optionalInstant(m, key, where);
    }

    private static Instant optionalInstant(Map<?, ?> m, String key, String where) throws StateFormatException {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new StateFormatException(where + ": " + key + " is " + describe(v) + ", expected a time string");
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new StateFormatException(where + ": " + key + " is not an RFC 3339 time: " + quote(s));
        }
    }

    private static String describe(Object v) {
        if (v == null) {
            return "missing or null";
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return oneLine(String.valueOf(v));
    }

    private static String quote(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "\"" + oneLine(t) + "\"";
    }

    /** Collapses a message onto one line: control characters and Unicode line separators become spaces. */
    public static String oneLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return b.toString().trim().replaceAll(" +", " ");
    }
}

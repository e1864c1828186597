package org.mandos.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.jr.ob.JSON;

/** Builds the results as JSON objects and arrays (insertion order kept), written with jackson-jr. */
public final class Json {

    private Json() {
    }

    public static Obj obj() {
        return new Obj();
    }

    public static Arr arr() {
        return new Arr();
    }

    /** A JSON object. */
    public static final class Obj {
        final Map<String, Object> fields = new LinkedHashMap<>();

        public Obj put(String name, Object value) {
            fields.put(name, value);
            return this;
        }

        public Object get(String name) {
            return fields.get(name);
        }

        @Override
        public String toString() {
            try {
                return WRITER.asString(plain(this));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public void writeTo(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toString() + "\n", StandardCharsets.UTF_8);
        }
    }

    /** A JSON array. */
    public static final class Arr {
        final List<Object> items = new ArrayList<>();

        public Arr add(Object value) {
            items.add(value);
            return this;
        }
    }

    private static final JSON WRITER = JSON.builder().enable(JSON.Feature.PRETTY_PRINT_OUTPUT,
            JSON.Feature.WRITE_NULL_PROPERTIES).build();

    /** The value as plain maps, lists and scalars for jackson-jr; doubles to 3 decimals, NaN as null. */
    private static Object plain(Object value) {
        if (value instanceof Obj o) {
            Map<String, Object> map = new LinkedHashMap<>();
            o.fields.forEach((k, v) -> map.put(k, plain(v)));
            return map;
        }
        if (value instanceof Arr a) {
            List<Object> list = new ArrayList<>();
            a.items.forEach(v -> list.add(plain(v)));
            return list;
        }
        if (value instanceof Float f) {
            return plain(f.doubleValue());
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : Math.round(d * 1000) / 1000.0;
        }
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value.toString();
    }
}

package org.mandos.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of outcomes by kind, with the first message seen of each kind. */
public final class Tally {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    public void add(String kind, String message) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        examples.putIfAbsent(kind, message == null ? "" : message);
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public String example(String kind) {
        return examples.get(kind);
    }

    public Json.Obj toJson() {
        Json.Obj out = Json.obj();
        counts().forEach((k, v) -> out.put(k, Json.obj().put("count", v).put("example", example(k))));
        return out;
    }

    /** One line per kind: {@code kind: count (e.g. message)}. */
    public String describe(String indent) {
        StringBuilder out = new StringBuilder();
        counts().forEach((k, v) -> out.append(indent).append(k).append(": ").append(v).append("  (e.g. ")
                .append(example(k)).append(")\n"));
        return out.toString();
    }
}

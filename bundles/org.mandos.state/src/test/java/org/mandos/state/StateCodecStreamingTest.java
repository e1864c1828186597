package org.mandos.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;
import org.mandos.state.internal.StateCodec;

/**
 * The state document is streamed member by member; the oracle is the same document built as a tree of maps (how it
 * was written before, with jackson-jr): the streamed file must parse to the same members in the same order, and
 * be laid out one record per line.
 */
class StateCodecStreamingTest {

    private static final JSON TREE_WRITER = JSON.builder()
            .enable(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES).build();

    private static String at(Instant i) {
        return i == null ? null : DateTimeFormatter.ISO_INSTANT.format(i);
    }

    private static Map<String, Object> tree(List<ClientState> clients, Map<String, ConfiguredClient> config,
            List<RemovedClient> removed, Instant saved) {
        List<Object> list = new ArrayList<>();
        for (ClientState c : clients) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("key_id", c.keyId());
            m.put("fingerprint", c.fingerprint());
            m.put("host", c.host());
            m.put("enabled", c.enabled());
            m.put("created", at(c.created()));
            m.put("last_enabled", at(c.lastEnabled()));
            m.put("last_checked_ok", at(c.lastCheckedOk()));
            m.put("last_checker_status", c.lastCheckerStatus());
            m.put("expires", at(c.expires()));
            m.put("last_approval_request", at(c.lastApprovalRequest()));
            m.put("timeout", c.timeout().toString());
            m.put("extended_timeout", c.extendedTimeout().toString());
            m.put("interval", c.interval().toString());
            m.put("approval_delay", c.approvalDelay().toString());
            m.put("approval_duration", c.approvalDuration().toString());
            m.put("approved_by_default", c.approvedByDefault());
            m.put("checker", c.checker());
            ConfiguredClient cc = config.get(c.name());
            if (cc != null) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("key_id", cc.keyId());
                k.put("fingerprint", cc.fingerprint());
                k.put("host", cc.host());
                k.put("enabled", cc.enabled());
                k.put("timeout", cc.timeout().toString());
                k.put("extended_timeout", cc.extendedTimeout().toString());
                k.put("interval", cc.interval().toString());
                k.put("approval_delay", cc.approvalDelay().toString());
                k.put("approval_duration", cc.approvalDuration().toString());
                k.put("approved_by_default", cc.approvedByDefault());
                k.put("checker", cc.checker());
                m.put("config", k);
            }
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", StateCodec.FORMAT);
        doc.put("version", StateCodec.VERSION);
        doc.put("saved", at(saved));
        doc.put("clients", list);
        if (!removed.isEmpty()) {
            List<Object> gone = new ArrayList<>();
            for (RemovedClient r : removed) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("store", r.store());
                m.put("definition", r.definition());
                m.put("removed", at(r.removed()));
                gone.add(m);
            }
            doc.put("removed", gone);
        }
        return doc;
    }

    private static void sameAsTheTree(List<ClientState> clients, Map<String, ConfiguredClient> config,
            List<RemovedClient> removed) throws Exception {
        Map<String, Object> tree = tree(clients, config, removed, Fixtures.SAVED);
        String actual = new String(StateCodec.encode(clients, config, removed, Fixtures.SAVED),
                StandardCharsets.UTF_8);
        // The same document, member for member and in the same order (jackson-jr keeps it in LinkedHashMaps).
        Object parsed = TREE_WRITER.anyFrom(actual);
        assertEquals(TREE_WRITER.asString(tree), TREE_WRITER.asString(parsed));
        // Laid out one record per line: the header and the opening of the clients, each client, and the
        // closing lines.
        assertTrue(actual.endsWith("}\n"), actual);
        long expectedLines = clients.isEmpty() ? 1
                : 1 + clients.size() + (removed.isEmpty() ? 1 : 1 + removed.size() + 1);
        assertEquals(expectedLines, actual.lines().count(), actual);
        List<String> lines = actual.lines().toList();
        for (int i = 0; i < clients.size(); i++) {
            assertTrue(lines.get(1 + i).startsWith("{\"name\":" + TREE_WRITER.asString(clients.get(i).name())),
                    lines.get(1 + i));
        }
    }

    @Test
    void fullAndEmptyClientsWithConfigurationAndRemovals() throws Exception {
        ConfiguredClient config = Fixtures.config(Fixtures.full().name(), true);
        sameAsTheTree(List.of(Fixtures.full(), Fixtures.allNulls()), Map.of(config.name(), config),
                List.of(new RemovedClient("gone", "file", "0123abcd", Fixtures.T0),
                        new RemovedClient("gone \"quoted\" \u00e9", "file", "ff", Fixtures.NOW)));
    }

    @Test
    void noClientsAndNoRemovals() throws Exception {
        sameAsTheTree(List.of(), Map.of(), List.of());
    }
}

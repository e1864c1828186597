package org.mandos.dbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt64;
import org.junit.jupiter.api.Test;
import org.mandos.api.ClientDetails;
import org.mandos.api.ClientStatus;

class ObjectPathsTest {

    @Test
    void namesTheReferenceAcceptsGetTheReferencePath() {
        ObjectPaths paths = new ObjectPaths();
        assertEquals("/clients/foo_example_com", paths.assign("foo.example-com"));
        assertEquals("/clients/Host_1", paths.assign("Host_1"));
    }

    @Test
    void otherCharactersAreHexEscapedAndCollisionsGetASuffix() {
        ObjectPaths paths = new ObjectPaths();
        assertEquals("/clients/a_20b", paths.assign("a b"));
        assertEquals("/clients/_C3_A9", paths.assign("é"));
        assertEquals("/clients/_", paths.assign(""));
        assertEquals("/clients/a_b", paths.assign("a.b"));
        assertEquals("/clients/a_b_2", paths.assign("a-b"));
        assertEquals("/clients/a_b_2_2", paths.assign("a_b_2"));
        assertEquals("/clients/a_b", paths.assign("a.b"));
        assertEquals(Optional.of("a-b"), paths.name("/clients/a_b_2"));
    }

    @Test
    void everyPathIsValidAndUnique() {
        ObjectPaths paths = new ObjectPaths();
        Set<String> seen = new HashSet<>();
        for (String name : List.of("a", "a.", "a-", "a_", "a_2", "ä", "a/b", "a\u0000", "_2E", "a b c", "1")) {
            String path = paths.assign(name);
            assertTrue(path.matches("/clients/[A-Za-z0-9_]+"), path);
            assertTrue(seen.add(path), path);
            new DBusPath(path);
        }
    }

    @Test
    void releasedPathsAreFree() {
        ObjectPaths paths = new ObjectPaths();
        paths.assign("a.b");
        paths.release("a.b");
        assertEquals("/clients/a_b", paths.assign("a-b"));
        assertTrue(paths.path("a.b").isEmpty());
    }

    @Test
    void timesAreNaiveUtcIsoformatWithMicrosecondsOnlyWhenNotZero() {
        assertEquals("2019-02-03T00:00:00", Values.time(Instant.parse("2019-02-03T00:00:00Z")));
        assertEquals("2019-02-03T00:00:00.123456", Values.time(Instant.parse("2019-02-03T00:00:00.123456789Z")));
        assertEquals("2019-02-03T00:00:00.000001", Values.time(Instant.parse("2019-02-03T00:00:00.000001Z")));
        assertEquals("", Values.time(Optional.empty()));
    }

    @Test
    void propertiesHaveTheReferenceTypesAndNoSecret() {
        Instant t = Instant.parse("2019-02-03T00:00:00Z");
        ClientStatus s = new ClientStatus("foo", "abcd", "ef01", "foo.example", "clients.conf", false, false, t,
                Optional.of(t), Optional.empty(), Optional.of(t), Duration.ofMinutes(5), Duration.ofSeconds(90),
                false, -2);
        ClientDetails d = new ClientDetails("foo", "fping -q -- %%(host)s", Duration.ofMinutes(15),
                Duration.ofMillis(1500), Duration.ofSeconds(1), true, Optional.empty());
        var p = Values.properties(s, d, "/clients/foo");
        assertEquals(21, p.size());
        assertTrue(!p.containsKey("Secret"));
        assertEquals(new UInt64(300000), p.get("Timeout").getValue());
        assertEquals(new UInt64(1500), p.get("ApprovalDelay").getValue());
        assertEquals((short) -2, p.get("LastCheckerStatus").getValue());
        assertEquals("n", p.get("LastCheckerStatus").getSig());
        assertEquals("t", p.get("Interval").getSig());
        assertEquals("", p.get("Expires").getValue());
        assertEquals("ABCD", p.get("KeyID").getValue());
        assertEquals("EF01", p.get("Fingerprint").getValue());
        assertEquals("2019-02-03T00:00:00", p.get("Created").getValue());
        assertEquals("", p.get("LastCheckedOK").getValue());
        assertEquals(new DBusPath("/clients/foo"), p.get("ObjectPath").getValue());
    }

    @Test
    void theAddressOfAPeerIsItsIpText() {
        assertEquals("::1", DbusControl.address("('::1', 4711)"));
        assertEquals("::ffff:127.0.0.1", DbusControl.address("('::ffff:127.0.0.1', 4711, 0, 0)"));
        assertEquals("", DbusControl.address(""));
    }
}

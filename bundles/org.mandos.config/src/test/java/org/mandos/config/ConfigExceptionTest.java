package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one-line message format {@code <file>:<line>: [<section>] <option>: <problem>}. */
class ConfigExceptionTest {

    private static final Path FILE = Path.of("/etc/mandos/clients.conf");

    @Test
    void allPartsPresent() {
        ConfigException e = new ConfigException(FILE, 12, "foo", "timeout", "invalid duration \"5M\"");
        assertEquals("/etc/mandos/clients.conf:12: [foo] timeout: invalid duration \"5M\"", e.getMessage());
        assertEquals(FILE, e.file());
        assertEquals(12, e.line());
        assertEquals("foo", e.section());
        assertEquals("timeout", e.option());
        assertEquals("invalid duration \"5M\"", e.problem());
    }

    @Test
    void withoutOptionTheProblemFollowsTheSection() {
        assertEquals("/etc/mandos/clients.conf:7: [foo] duplicate section (first defined on line 2)",
                new ConfigException(FILE, 7, "foo", null, "duplicate section (first defined on line 2)").getMessage());
    }

    @Test
    void withoutSectionTheOptionFollowsTheLine() {
        assertEquals("/etc/mandos/clients.conf:1: host: option outside any section",
                new ConfigException(FILE, 1, null, "host", "option outside any section").getMessage());
    }

    @Test
    void withoutLineTheLineNumberIsLeftOut() {
        ConfigException e = new ConfigException(FILE, 0, null, null, "cannot read the file: Is a directory");
        assertEquals("/etc/mandos/clients.conf: cannot read the file: Is a directory", e.getMessage());
        assertEquals(0, e.line());
        assertNull(e.section());
        assertNull(e.option());
    }

    @Test
    void withoutLineButWithSectionAndOption() {
        assertEquals("/etc/mandos/mandos.conf: [DEFAULT] port: not an integer: \"x\"",
                new ConfigException(Path.of("/etc/mandos/mandos.conf"), 0, "DEFAULT", "port", "not an integer: \"x\"")
                        .getMessage());
    }
}

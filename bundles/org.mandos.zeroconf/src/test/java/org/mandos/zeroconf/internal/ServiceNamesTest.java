package org.mandos.zeroconf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceNamesTest {

    @Test
    void theFirstAlternativeIsNumberTwo() {
        assertEquals("Mandos #2", ServiceNames.alternative("Mandos"));
    }

    @Test
    void aNumberedNameCountsOn() {
        assertEquals("Mandos #3", ServiceNames.alternative("Mandos #2"));
        assertEquals("Mandos #10", ServiceNames.alternative("Mandos #9"));
        assertEquals("My server #100", ServiceNames.alternative("My server #99"));
    }

    @Test
    void somethingThatOnlyLooksNumberedGetsItsOwnNumber() {
        assertEquals("Mandos#2 #2", ServiceNames.alternative("Mandos#2"));
        assertEquals("Mandos #0 #2", ServiceNames.alternative("Mandos #0"));
        assertEquals("Mandos #x #2", ServiceNames.alternative("Mandos #x"));
        assertEquals("# #2", ServiceNames.alternative("#"));
    }

    @Test
    void theSequenceFromTheConfiguredNameIsDistinctAndSimple() {
        Set<String> seen = new HashSet<>();
        String name = "Mandos";
        seen.add(name);
        for (int n = 2; n <= ServiceNames.MAX_TRIES; n++) {
            name = ServiceNames.alternative(name);
            assertEquals("Mandos #" + n, name);
            assertTrue(seen.add(name));
        }
        assertEquals(ServiceNames.MAX_TRIES, seen.size());
    }

    @Test
    void aLongNameIsShortenedToFitOneDnsLabel() {
        String long63 = "a".repeat(63);
        String next = ServiceNames.alternative(long63);
        assertEquals("a".repeat(60) + " #2", next);
        assertEquals(63, next.getBytes(StandardCharsets.UTF_8).length);
        assertEquals("a".repeat(60) + " #3", ServiceNames.alternative(next));
        assertEquals("a".repeat(59) + " #10", ServiceNames.alternative("a".repeat(60) + " #9"));
    }

    @Test
    void shorteningNeverSplitsACharacter() {
        String name = "é".repeat(40); // 80 bytes of UTF-8
        String next = ServiceNames.alternative(name);
        assertEquals("é".repeat(30) + " #2", next); // 60 + 3 bytes
        assertTrue(next.getBytes(StandardCharsets.UTF_8).length <= ServiceNames.MAX_LABEL_BYTES);
        assertEquals("ab", ServiceNames.truncate("ab\uD83D\uDE00", 5)); // the emoji takes 4 bytes
        assertEquals("ab\uD83D\uDE00", ServiceNames.truncate("ab\uD83D\uDE00", 6));
    }
}

package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Coverage-guided fuzzing of {@link Durations#parse} (docs/testing.md, "Fuzzing"). Seeds:
 * {@code src/test/resources/org/mandos/config/DurationsFuzzTestInputs/parse/}.
 */
class DurationsFuzzTest {

    /** Python's timedelta.max, in seconds (999999999 days, 23:59:59). */
    private static final long MAX_SECONDS = 999_999_999L * 86_400 + 86_399;

    /**
     * Contract: a duration within Python's {@code timedelta} range, or an {@link IllegalArgumentException}
     * with a one-line message; a parsed duration written back as legacy {@code <n>s} (and, if not
     * negative, as RFC 3339 {@code PT<n>S}) parses to the same value.
     */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Duration parsed;
        try {
            parsed = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            FuzzContracts.assertOneLine(e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid duration \"")
                    || e.getMessage().startsWith("duration \""), e.getMessage());
            return;
        }
        assertEquals(0, parsed.getNano(), "whole seconds only");
        assertTrue(parsed.getSeconds() >= -86_400L * 999_999_999 && parsed.getSeconds() <= MAX_SECONDS,
                () -> "outside timedelta's range: " + parsed);
        assertEquals(parsed, Durations.parse(parsed.getSeconds() + "s"), "legacy round trip");
        if (!parsed.isNegative()) {
            assertEquals(parsed, Durations.parse("PT" + parsed.getSeconds() + "S"), "RFC 3339 round trip");
        }
        // Formatting for checker commands never fails for a parsed value.
        Durations.pythonTimedelta(parsed);
    }
}

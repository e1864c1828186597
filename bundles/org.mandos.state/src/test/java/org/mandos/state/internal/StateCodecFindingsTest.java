package org.mandos.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What StateCodecFuzzTest found, as plain tests (its inputs are replayed by the fuzz test too). */
class StateCodecFindingsTest {

    /** The JSON parser quotes the character it did not expect; a line separator broke the log line. */
    @Test
    void aLineSeparatorInTheFileDoesNotBreakTheReasonIntoLines() {
        String reason = assertThrows(StateFormatException.class,
                () -> StateCodec.decode("{\u2028}".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertEquals(-1, reason.indexOf('\u2028'), reason);
        assertEquals(-1, reason.indexOf('\n'), reason);
        assertEquals(true, reason.startsWith("not valid JSON: Unexpected character"), reason);
    }

    @Test
    void oneLineReplacesEveryLineBreakAndControlCharacter() {
        assertEquals("a b c d e", StateCodec.oneLine("a\u2028b\u2029c\u0085d\r\n\u001be"));
    }
}

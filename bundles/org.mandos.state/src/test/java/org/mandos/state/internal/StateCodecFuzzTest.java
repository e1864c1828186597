package org.mandos.state.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the state-file reader {@link StateCodec#decode}, the whole of what
 * {@code StateFile.load} does with the bytes of {@code clients.json} (docs/testing.md, "Fuzzing"). Seeds:
 * {@code src/test/resources/org/mandos/state/internal/StateCodecFuzzTestInputs/decode/}.
 */
class StateCodecFuzzTest {

    /**
     * Contract: a document or a {@link StateFormatException} with a one-line reason, nothing else; a
     * decoded document encodes and decodes back to itself.
     */
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) throws IOException {
        StateCodec.Decoded decoded;
        try {
            decoded = StateCodec.decode(input);
        } catch (StateFormatException e) {
            String reason = e.getMessage();
            assertTrue(reason != null && !reason.isEmpty(), "no reason");
            for (char c : reason.toCharArray()) {
                assertFalse(Character.isISOControl(c) || c == '\u2028' || c == '\u2029',
                        () -> "control character in the reason: " + reason);
            }
            return;
        }
        byte[] again = StateCodec.encode(decoded.clients(), decoded.configAtSave(), decoded.removed(), decoded.saved());
        StateCodec.Decoded back;
        try {
            back = StateCodec.decode(again);
        } catch (StateFormatException e) {
            throw new AssertionError("a decoded document, written again, does not read back: " + e.getMessage(), e);
        }
        assertEquals(decoded, back, "round trip");
    }
}

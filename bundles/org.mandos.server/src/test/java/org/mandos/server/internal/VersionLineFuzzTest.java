package org.mandos.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

/**
 * Coverage-guided fuzzing of {@link VersionLine} (docs/testing.md, "Fuzzing"). Seeds:
 * {@code src/test/resources/org/mandos/server/internal/VersionLineFuzzTestInputs/read/}.
 */
class VersionLineFuzzTest {

    /**
     * Contract: a version of at most 1 or {@link VersionLine.Rejected} with a one-line reason, never
     * anything else; never more than {@link VersionLine#MAX_LENGTH} bytes or past the newline consumed;
     * feeding the bytes to the {@link VersionLine.Accumulator} in any split gives the same line; and an
     * independent oracle of Python's {@code int(line.split()[0]) <= 1} agrees on plain ASCII lines.
     */
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        Integer version;
        String reason;
        try {
            version = VersionLine.read(in);
            reason = "accepted";
            assertTrue(version <= 1, "accepted version " + version);
        } catch (VersionLine.Rejected e) {
            version = null;
            reason = e.getMessage();
            assertTrue(reason != null && !reason.isEmpty());
            for (char c : reason.toCharArray()) {
                assertFalse(c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029',
                        () -> "control character in the reason: " + e.getMessage());
            }
        }
        int consumed = input.length - in.available();
        assertTrue(consumed <= VersionLine.MAX_LENGTH, "consumed " + consumed + " bytes");
        int newline = indexOf(input, (byte) '\n');
        if (newline >= 0 && newline < VersionLine.MAX_LENGTH) {
            assertEquals(newline + 1, consumed, "read past the newline or stopped before it");
        }
        if (version != null) {
            assertTrue(newline < 0 || newline < VersionLine.MAX_LENGTH);
        }
        splitFeedingGivesTheSameLine(input);
        Integer expected = asciiOracle(input);
        if (expected != null) {
            assertEquals(expected == Integer.MIN_VALUE ? null : expected, version,
                    "the oracle disagrees; the reader said: " + reason);
        }
    }

    private static void splitFeedingGivesTheSameLine(byte[] input) {
        byte[] whole;
        try {
            whole = VersionLine.readLine(new ByteArrayInputStream(input));
        } catch (IOException | VersionLine.Rejected e) {
            whole = null;
        }
        VersionLine.Accumulator acc = new VersionLine.Accumulator();
        int offset = 0;
        int chunk = input.length == 0 ? 1 : 1 + (input[0] & 7);
        try {
            while (offset < input.length && !acc.complete()) {
                int count = Math.min(chunk, input.length - offset);
                int taken = acc.take(input, offset, count);
                assertTrue(taken >= 0 && taken <= count);
                offset += taken;
                if (taken < count) {
                    assertTrue(acc.complete(), "bytes left over before the line was complete");
                }
            }
            assertEquals(whole == null ? null : new String(whole, StandardCharsets.ISO_8859_1),
                    new String(acc.line(), StandardCharsets.ISO_8859_1));
        } catch (VersionLine.Rejected e) {
            assertEquals(null, whole, "the accumulator refused what the stream reader accepted");
        }
    }

    /**
     * Python 3's verdict on the line, for lines whose first 64 bytes are printable ASCII, spaces, tabs,
     * {@code \r} and {@code \n} only: the version, {@link Integer#MIN_VALUE} for a refusal, or null
     * when the line is outside what this oracle knows.
     */
    private static Integer asciiOracle(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        int end = newline < 0 ? input.length : newline + 1;
        if (end > VersionLine.MAX_LENGTH || (newline < 0 && input.length >= VersionLine.MAX_LENGTH)) {
            return Integer.MIN_VALUE;
        }
        String line;
        try {
            line = StandardCharsets.US_ASCII.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(input, 0, end)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (char c : line.toCharArray()) {
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && (c < 0x21 || c > 0x7e)) {
                return null;
            }
        }
        String[] tokens = line.trim().split("[ \\t\\r\\n]+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return Integer.MIN_VALUE;
        }
        if (!tokens[0].matches("[+-]?[0-9]+(_[0-9]+)*")) {
            return Integer.MIN_VALUE;
        }
        java.math.BigInteger value = new java.math.BigInteger(tokens[0].replace("_", ""));
        if (value.compareTo(java.math.BigInteger.ONE) > 0) {
            return Integer.MIN_VALUE;
        }
        if (value.compareTo(java.math.BigInteger.valueOf(-Integer.MAX_VALUE)) < 0) {
            return null; // accepted, as some large negative version (the reader clamps it)
        }
        return value.intValue();
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

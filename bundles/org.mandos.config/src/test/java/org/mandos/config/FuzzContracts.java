package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every fuzz target of this module checks about a refusal: one line, and no secret in it. */
final class FuzzContracts {

    /** A base64 secret the fuzz targets put on {@code secret =} lines; its decoded text is below. */
    static final String SECRET_BASE64 = "TWFuZG9zU2VjcmV0TWFya2Vy";
    /** {@link #SECRET_BASE64} decoded. */
    static final String SECRET_TEXT = "MandosSecretMarker";

    private FuzzContracts() {
    }

    /** The message exists and has no line break of any kind (nor anything a terminal reads as one). */
    static void assertOneLine(String message) {
        assertTrue(message != null && !message.isEmpty(), "no message");
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u0085'
                    || c == '\u2028' || c == '\u2029';
            assertFalse(lineBreak, () -> "line break in message: " + message.replace("\n", "\\n").replace("\r", "\\r"));
        }
    }

    /** Neither the marker secret nor its decoded text is in {@code text}. */
    static void assertNoSecret(String text) {
        assertFalse(text.contains(SECRET_BASE64) || text.contains(SECRET_TEXT), () -> "secret in: " + text);
    }
}

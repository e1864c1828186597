package org.mandos.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rows of behaviour §1.2: what the reference accepts is accepted, with a length cap. */
class VersionLineTest {

    private static int read(String text) throws Exception {
        return VersionLine.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String rejection(byte[] bytes) {
        return assertThrows(VersionLine.Rejected.class, () -> VersionLine.read(new ByteArrayInputStream(bytes)))
                .getMessage();
    }

    private static String rejection(String text) {
        return rejection(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1\r\n", "1\n", "1 junk\n", " 1\n", "+1\n", "0\n", "-7\n", "\u0661\n", "1", "\t1\t\r\n"})
    void linesTheReferenceAcceptsAreAccepted(String line) throws Exception {
        int version = read(line);
        assertEquals(true, version <= 1);
    }

    @Test
    void aUnicodeDigitIsReadAsItsValue() throws Exception {
        assertEquals(1, read("\u0661\n"));
        assertEquals(-7, read("-7\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2\\r\\n|unknown protocol version: 2",
            "10\\n|unknown protocol version: 10",
            "1_0\\n|unknown protocol version: 1_0",
            "abc\\n|unknown protocol version: invalid literal for int() with base 10: 'abc'",
            "1.0\\n|unknown protocol version: invalid literal for int() with base 10: '1.0'",
            "1__0\\n|unknown protocol version: invalid literal for int() with base 10: '1__0'",
            "_1\\n|unknown protocol version: invalid literal for int() with base 10: '_1'",
            "+\\n|unknown protocol version: invalid literal for int() with base 10: '+'"})
    void otherVersionsAndNonNumbersAreRejected(String line, String message) {
        assertEquals(message, rejection(line.replace("\\r", "\r").replace("\\n", "\n")));
    }

    @Test
    void anEmptyLineOrImmediateEndIsRejected() {
        assertEquals("empty protocol version line", rejection("\r\n"));
        assertEquals("empty protocol version line", rejection(""));
    }

    @Test
    void bytesThatAreNotUtf8AreRejectedInsteadOfCrashing() {
        assertEquals("protocol version line is not valid UTF-8", rejection(new byte[] {(byte) 0xff, '\n'}));
    }

    @Test
    void aLineOfSixtyFourBytesWithoutNewlineIsRejectedUnlikeTheReferenceWhichBuffersForever() {
        assertEquals("protocol version line longer than 64 bytes", rejection("1".repeat(64)));
        assertEquals("protocol version line longer than 64 bytes", rejection(new byte[1 << 20]));
    }

    @Test
    void aLineJustUnderTheCapIsStillRead() throws Exception {
        assertEquals(1, read("1" + " ".repeat(61) + "\r\n"));
    }

    @Test
    void nothingAfterTheNewlineIsConsumedSoTheTlsBytesStayUnread() throws Exception {
        InputStream in = new ByteArrayInputStream("1\r\n\u0016\u0003".getBytes(StandardCharsets.ISO_8859_1));
        VersionLine.read(in);
        assertEquals(0x16, in.read());
    }

    @Test
    void readingStopsAtTheCapEvenIfThePeerSendsMore() throws IOException {
        InputStream in = new ByteArrayInputStream(new byte[1000]);
        assertThrows(VersionLine.Rejected.class, () -> VersionLine.read(in));
        assertEquals(1000 - VersionLine.MAX_LENGTH, in.available());
    }

    /** Found by VersionLineFuzzTest: the peer's control characters went into the log line unescaped. */
    @Test
    void controlCharactersInAnInvalidLiteralAreEscapedAsPythonReprDoes() {
        assertEquals("unknown protocol version: invalid literal for int() with base 10: '\u0661\\x01'",
                rejection(new byte[] {(byte) 0xd9, (byte) 0xa1, 0x01}));
        assertEquals("unknown protocol version: invalid literal for int() with base 10: '\\x1b[2J\\\\'",
                rejection("\u001b[2J\\\r\n"));
        assertEquals("unknown protocol version: invalid literal for int() with base 10: 'a\\u200bb'",
                rejection("a\u200bb\n"));
    }
}

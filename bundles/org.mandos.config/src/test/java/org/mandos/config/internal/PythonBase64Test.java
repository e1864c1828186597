package org.mandos.config.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * §2.2: {@code secret} is decoded like Python 3.11's {@code binascii.a2b_base64}. Expected values
 * were taken from {@code python3 -c 'import binascii; print(binascii.a2b_base64(s.encode()))'}.
 */
class PythonBase64Test {

    @ParameterizedTest(name = "{0} decodes to {1}")
    @CsvSource(delimiter = '|', value = {
        "''|''",
        "QQ==|A",
        "QUI=|AB",
        "QUJD|ABC",
        "'Q Q = ='|A",
        "QQ==QUJD|A",
        "=QQ==|A",
        "Q=Q==|A",
        "QUJD====|ABC",
        "QU=I=|AB",
        "Q=U=I=|AB",
        "QUJ=D|AB",
        "Q!Q@==|A",
        "QR==|A",
        "QUJDRA==x|ABCD",
        "é QQ==|A",
    })
    void decodesLikePython(String input, String expected) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), PythonBase64.decode(input));
    }

    @ParameterizedTest(name = "{0} decodes despite newlines")
    @CsvSource(delimiter = '|', value = {"'\nQUJD\nRA=='|ABCD", "'QQ=\n='|A", "'QQ==\n'|A", "'\tQU\r\nJD\t'|ABC"})
    void lineBreaksAndTabsAreSkipped(String input, String expected) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), PythonBase64.decode(input));
    }

    @ParameterizedTest(name = "{0} has incorrect padding")
    @CsvSource({"QQ=", "QQ", "QUI", "QUJDRA", "QUJDRA="})
    void incompleteQuadsAreIncorrectPadding(String input) {
        assertEquals("incorrect padding",
                assertThrows(IllegalArgumentException.class, () -> PythonBase64.decode(input)).getMessage());
    }

    @ParameterizedTest(name = "{0} has {1} data characters")
    @CsvSource({"Q, 1", "QUJDR, 5", "'QUJD R', 5", "QUJDQUJDQ, 9", "Q===, 1", "QUJDQ====, 5"})
    void oneCharacterPastAQuadIsReportedWithTheCount(String input, int count) {
        assertEquals("the number of data characters (" + count + ") cannot be 1 more than a multiple of 4",
                assertThrows(IllegalArgumentException.class, () -> PythonBase64.decode(input)).getMessage());
    }
}

package org.mandos.sample.store.directory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LenientBase64Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "aGk=|hi", "aGVsbG8=|hello", "aGVs bG8=|hello", "aGk=ignored rest|hi",
        "aGk=\u00e9|hi", "aG\u00e9k=|hi", "''|''", "aGVsbG8=aGk=|hello", "YQ==|a", "Y=Q==|a", "=YQ==|a",
        "aGVsbA==|hell", "aGVsbG8h|hello!", "aGVs*bG8h|hello!",
    })
    void decodesLikePython(String text, String expected) throws Exception {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), LenientBase64.decode(text));
    }

    @Test
    void skipsLineBreaksAndIndentation() throws Exception {
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), LenientBase64.decode("\naGVs\n\tbG8=\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "aGk|incorrect padding", "aGVsbG8|incorrect padding", "YQ=|incorrect padding",
        "a|the number of data characters (1) cannot be 1 more than a multiple of 4",
        "aGVsb|the number of data characters (5) cannot be 1 more than a multiple of 4",
    })
    void errors(String text, String message) {
        assertEquals(message, assertThrows(LenientBase64.Base64Exception.class, () -> LenientBase64.decode(text))
                .getMessage());
    }
}

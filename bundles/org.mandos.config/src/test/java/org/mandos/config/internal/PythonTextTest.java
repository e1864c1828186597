package org.mandos.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Python's whitespace and {@code int()} rules, on which stripping, indentation and numbers depend. */
class PythonTextTest {

    @Test
    void whitespaceIsExactlyPythonsStrIsspace() {
        // [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()] in Python 3.11
        List<Integer> python = List.of(0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
                0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
                0x2029, 0x202f, 0x205f, 0x3000);
        assertEquals(python, IntStream.rangeClosed(0, Character.MAX_CODE_POINT).filter(PythonText::isSpace)
                .boxed().collect(Collectors.toList()));
    }

    @Test
    void splitDropsEmptyFields() {
        assertEquals(List.of("5m", "30s"), PythonText.split("\u00a0 5m\t\n30s  "));
        assertEquals(List.of(), PythonText.split("  "));
    }

    @ParameterizedTest(name = "int({0}) == {1}")
    @CsvSource(delimiter = '|', value = {"5|5", "+5|5", "-5|-5", "' 7 '|7", "007|7", "1_000|1000", "\u0665|5",
        "-0|0", "99999999999999999999|99999999999999999999"})
    void intAcceptsWhatPythonAccepts(String text, String expected) {
        assertEquals(new BigInteger(expected), PythonInt.parse(text));
    }

    @ParameterizedTest(name = "int({0}) fails")
    @ValueSource(strings = {"", " ", "+", "-", "1_", "_1", "1__0", "- 5", "5.0", "0x10", "1e3", "++1"})
    void intRejectsWhatPythonRejects(String text) {
        assertThrows(NumberFormatException.class, () -> PythonInt.parse(text));
    }
}

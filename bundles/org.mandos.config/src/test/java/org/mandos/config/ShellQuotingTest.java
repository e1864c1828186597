package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §3.4: Python's {@code shlex.quote}, applied to every value substituted into a checker at run time. */
class ShellQuotingTest {

    @Test
    void theEmptyStringBecomesTwoQuotes() {
        assertEquals("''", ShellQuoting.pythonShlexQuote(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"myhost", "0:05:00", "/clients/foo", "a_b@c%d+e=f:g,h.i/j-k", "True", "ABCxyz019"})
    void safeStringsStayAsTheyAre(String text) {
        assertEquals(text, ShellQuoting.pythonShlexQuote(text));
    }

    @Test
    void aDatetimeIsQuotedBecauseOfItsSpace() {
        assertEquals("'2024-01-02 03:04:05.123456'", ShellQuoting.pythonShlexQuote("2024-01-02 03:04:05.123456"));
    }

    @Test
    void singleQuotesAreWrittenAsQuoteDoubleQuoteQuote() {
        assertEquals("'it'\"'\"'s'", ShellQuoting.pythonShlexQuote("it's"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "$HOME", "a;b", "`x`", "a\nb", "*", "~", "é", "1 day, 0:00:00", "a\"b", "\\"})
    void anythingElseIsSingleQuoted(String text) {
        assertEquals("'" + text + "'", ShellQuoting.pythonShlexQuote(text));
    }
}

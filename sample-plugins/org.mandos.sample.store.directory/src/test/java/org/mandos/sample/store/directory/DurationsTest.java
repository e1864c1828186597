package org.mandos.sample.store.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    /** The examples of mandos-clients.conf(5), DURATIONS, and a few more. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PT5M|PT5M", "PT1H30M|PT1H30M", "P1D|PT24H", "P1DT1H|PT25H", "P1W|PT168H", "P1M|PT672H", "P1Y|PT8736H",
        "P1M1DT1H|PT697H", "P1Y1M1DT1H1M1S|PT9433H1M1S", "PT0S|PT0S", "P0D|PT0S", "P007D|PT168H",
        "PT1M1S|PT61S", "PT2H|PT2H", "P1Y1M|PT9408H", "P2Y|PT17472H", "PT90M|PT1H30M",
    })
    void rfc3339(String text, String expected) throws Exception {
        assertEquals(Duration.parse(expected), Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5m 30s|PT5M30S", "1w 2d|PT216H", "1d 1d|PT48H", "+5m|PT5M", "-5m|PT-5M", "1_0m|PT10M", "''|PT0S",
        "1h|PT1H", "30s|PT30S", "2w|PT336H", "1d  \t 2h|PT26H", "0005m|PT5M",
    })
    void older(String text, String expected) throws Exception {
        assertEquals(Duration.parse(expected), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0665m", "PT\u0665M"}) // ARABIC-INDIC DIGIT FIVE
    void digitsOfAnyScript(String text) throws Exception {
        assertEquals(Duration.ofMinutes(5), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT1H30S", "P1MT1H", "P1YT1H", "P1W1D", "P1D2W", "P", "PT", "P1DT", "pt5m", "P1d",
        "PT1.5S", "1.5m", "5", "5M", "5S", "5 m", "1w2d", "5s5s", "5 minutes", "m", "_1m", "1_m", "1__0m", "+-5m",
        "P1WT1H", "P5", "PT5", "PT5M5M", "P1Y1Y"})
    void invalid(String text) {
        Durations.DurationException e = assertThrows(Durations.DurationException.class, () -> Durations.parse(text));
        assertEquals("invalid duration " + Text.quote(text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000000000d", "-1000000000d", "P1000000000D", "999999999d 1d", "PT100000000000000000000S"})
    void outOfRange(String text) {
        Durations.DurationException e = assertThrows(Durations.DurationException.class, () -> Durations.parse(text));
        assertEquals("duration " + Text.quote(text) + " is out of range", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999d", "-999999999d", "999999999d 86399s"})
    void edgesOfTheRange(String text) throws Exception {
        Durations.parse(text);
    }
}

package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** §2.3: the reference server's {@code string_to_delta}, and Python's {@code str(timedelta)}. */
class DurationsTest {

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Durations.parse(text)).getMessage();
    }

    /** Every row of the §2.3 table. */
    @Nested
    class SpecificationTable {

        @Test
        void pt5mIsFiveMinutes() {
            assertEquals(Duration.ofMinutes(5), Durations.parse("PT5M"));
        }

        @Test
        void p1wIsSevenDays() {
            assertEquals(Duration.ofDays(7), Durations.parse("P1W"));
        }

        @Test
        void p1yIs364Days() {
            assertEquals(Duration.ofDays(364), Durations.parse("P1Y"));
        }

        @Test
        void p1mIs28Days() {
            assertEquals(Duration.ofDays(28), Durations.parse("P1M"));
        }

        @Test
        void pt1h30mIsNinetyMinutes() {
            assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
        }

        @Test
        void hoursCannotBeFollowedBySeconds() {
            assertEquals("invalid duration \"PT1H30S\"", error("PT1H30S"));
        }

        @Test
        void monthsAndYearsCannotBeFollowedByTimeAlthoughRfc3339AllowsIt() {
            assertEquals("invalid duration \"P1MT1H\"", error("P1MT1H"));
            assertEquals("invalid duration \"P1YT1H\"", error("P1YT1H"));
        }

        @Test
        void theEmptyStringIsZero() {
            assertEquals(Duration.ZERO, Durations.parse(""));
        }

        @Test
        void p1dt1hIsOneDayAndOneHour() {
            assertEquals(Duration.ofDays(1).plusHours(1), Durations.parse("P1DT1H"));
        }

        @Test
        void p1m1dt1hIs29DaysAndOneHour() {
            assertEquals(Duration.ofDays(29).plusHours(1), Durations.parse("P1M1DT1H"));
        }

        @Test
        void legacyTokensAreSummed() {
            assertEquals(Duration.ofSeconds(330), Durations.parse("5m 30s"));
        }

        @Test
        void legacyWeeksAndDays() {
            assertEquals(Duration.ofDays(9), Durations.parse("1w 2d"));
        }

        @Test
        void legacyTokensMayRepeat() {
            assertEquals(Duration.ofDays(2), Durations.parse("1d 1d"));
        }

        @Test
        void legacyTokensNeedSpaces() {
            assertEquals("invalid duration \"1w2d\"", error("1w2d"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"5", "5M", "pt5m", "PT1.5S", "P", "PT", "P1D2W"})
        void theseAreErrors(String text) {
            assertEquals("invalid duration \"" + text + "\"", error(text));
        }

        @Test
        void aNegativeLegacyValueIsAccepted() {
            assertEquals(Duration.ofMinutes(-5), Durations.parse("-5m"));
        }
    }

    @Nested
    class Rfc3339Subset {

        @ParameterizedTest
        @CsvSource({
            "P1Y1M1DT1H1M1S, 33958861", "PT1M1S, 61", "PT1S, 1", "PT1H, 3600", "PT1M, 60", "P1D, 86400",
            "P1Y1M, 33868800", "P007D, 604800", "PT0S, 0", "P0D, 0", "P1DT1M, 86460",
        })
        void allowedTransitions(String text, long seconds) {
            assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
        }

        @ParameterizedTest
        @ValueSource(strings = {"P1DT", "PT1H1H", "P1Y1Y", "P1W1D", "P1DT1S1M", "PT1M1H", "P1D1M", "P1W1Y",
            "P1Y1D", "P-1D", "P+1D", " PT5M", "PT5M ", "P1d", "PT5M\n\n"})
        void otherSequencesAreErrors(String text) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        }

        @Test
        void unicodeDigitsAreAllowed() {
            assertEquals(Duration.ofDays(5), Durations.parse("P\u0665D"));
        }

        @Test
        void oneTrailingNewlineIsAcceptedLikePythonsDollar() {
            assertEquals(Duration.ofMinutes(5), Durations.parse("PT5M\n"));
        }
    }

    @Nested
    class LegacyFormat {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "5s|5", "5m|300", "5h|18000", "5d|432000", "1w|604800", "+5m|300", "-0s|0", "1_0m|600",
            "'   '|0", "0m|0", "\u0665m|300", "-1d 1d|0",
        })
        void tokensAreSummed(String text, long seconds) {
            assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
        }

        @Test
        void anyPythonWhitespaceSeparatesTokens() {
            assertEquals(Duration.ofSeconds(301), Durations.parse(" 5m\t 1s\n\u00a0"));
        }

        @Test
        void aTrailingNewlineIsJustWhitespace() {
            assertEquals(Duration.ofMinutes(5), Durations.parse("5m\n"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"m", "-m", "5x", "5S", "5 m", "1.5m", "5s5s", "1__0m", "_1m"})
        void badTokensAreErrors(String text) {
            assertEquals("invalid duration \"" + text + "\"", error(text));
        }

        @Test
        void theMessageEscapesNewlinesToStayOnOneLine() {
            assertEquals("invalid duration \"5M\\n6M\"", error("5M\n6M"));
        }
    }

    @Nested
    class TimedeltaRange {

        @Test
        void upTo999999999DaysIsAccepted() {
            assertEquals(Duration.ofDays(999_999_999), Durations.parse("999999999d"));
            assertEquals(Duration.ofDays(-999_999_999), Durations.parse("-999999999d"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1000000000d", "-1000000000d", "999999999d 1d", "99999999999999999999999999w",
            "P99999999999999999999Y", "-999999999d -1s"})
        void beyondIsOutOfRange(String text) {
            assertEquals("duration \"" + text + "\" is out of range", error(text));
        }
    }

    @Nested
    class PythonTimedelta {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "PT5M|0:05:00",
            "P1D|1 day, 0:00:00",
            "P2DT1H|2 days, 1:00:00",
            "PT0S|0:00:00",
            "-PT1M|-1 day, 23:59:00",
            "-PT5M|-1 day, 23:55:00",
            "PT0.000001S|0:00:00.000001",
            "-PT0.5S|-1 day, 23:59:59.500000",
            "-P2DT-5S|-2 days, 0:00:05",
            "PT25H1.5S|1 day, 1:00:01.500000",
            "PT100H|4 days, 4:00:00",
            "PT0.0000009S|0:00:00",
            "-PT0.0000001S|-1 day, 23:59:59.999999",
        })
        void formatsLikePython(String iso, String expected) {
            assertEquals(expected, Durations.pythonTimedelta(Duration.parse(iso)));
        }

        @Test
        void theLargestTimedelta() {
            assertEquals("999999999 days, 23:59:59.999999", Durations.pythonTimedelta(
                    Duration.ofDays(999_999_999).plusSeconds(86_399).plusNanos(999_999_000)));
        }
    }
}

package org.mandos.ctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeArgumentTest {

    private static final long S = 1000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    @Test
    void rfc3339DurationsAsTheServerReadsThem() {
        assertEquals(5 * M, TimeArgument.rfc3339("PT5M"));
        assertEquals(7 * D, TimeArgument.rfc3339("P1W"));
        assertEquals(364 * D, TimeArgument.rfc3339("P1Y"));
        assertEquals(28 * D, TimeArgument.rfc3339("P1M"));
        assertEquals(D + H, TimeArgument.rfc3339("P1DT1H"));
        assertEquals(29 * D + H, TimeArgument.rfc3339("P1M1DT1H"));
        assertEquals(90 * M, TimeArgument.rfc3339("PT1H30M"));
        assertEquals(330 * S, TimeArgument.rfc3339("PT5M30S"));
        assertEquals(D + 200 * S, TimeArgument.rfc3339("P1DT3M20S"));
        assertEquals(5 * M, TimeArgument.rfc3339("PT5M\n"));
        for (String bad : List.of("", "1D", "PT1S2M", "P1H2S", "P1D2W", "P2W2H", "PT1H30S", "P1MT1H", "P", "PT",
                "pt5m", "PT1.5S", "5m")) {
            assertNull(TimeArgument.rfc3339(bad), bad);
        }
    }

    @Test
    void otherTextIsTheLenientLegacyFormAfterAWarning() {
        List<String> warnings = new ArrayList<>();
        assertEquals(5 * M, TimeArgument.milliseconds("5m", warnings::add));
        assertEquals(List.of("Invalid RFC 3339 duration: \"5m\" - Parsing as pre-1.6.1 interval instead"), warnings);
        assertEquals(H + 2 * M, TimeArgument.milliseconds("1h 2m", w -> { }));
        assertEquals(9 * D + 5, TimeArgument.milliseconds("1w2d5", w -> { }));
        assertEquals(2 * D + 480 * S + 18, TimeArgument.milliseconds("2dxy7zz11y3m5m", w -> { }));
        assertEquals(0, TimeArgument.milliseconds("garbage", w -> { }));
        assertEquals(0, TimeArgument.milliseconds("", w -> { }));
        assertEquals(31, TimeArgument.milliseconds("PT1H30S", w -> { }));
        assertEquals(5 * M, TimeArgument.milliseconds("PT5M", w -> {
            throw new AssertionError("no warning for RFC 3339");
        }));
    }
}

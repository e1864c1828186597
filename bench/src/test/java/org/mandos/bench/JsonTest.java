package org.mandos.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void nestedValuesRoundTripWithDoublesRoundedAndNaNAsNull() throws Exception {
        Json.Obj doc = Json.obj().put("name", "a \"quoted\"\nline").put("rate", 812.34567).put("nan", Double.NaN)
                .put("n", 3).put("ok", true).put("list", Json.arr().add(1.0005f).add(Json.obj().put("k", "v")));
        Map<String, Object> back = JSON.std.mapFrom(doc.toString());
        assertEquals("a \"quoted\"\nline", back.get("name"));
        assertEquals(812.346, ((Number) back.get("rate")).doubleValue());
        assertNull(back.get("nan"));
        assertEquals(3, ((Number) back.get("n")).intValue());
        assertEquals(true, back.get("ok"));
        List<?> list = (List<?>) back.get("list");
        assertEquals(1.0, ((Number) list.get(0)).doubleValue(), 0.001);
        assertEquals(Map.of("k", "v"), list.get(1));
        assertEquals(List.of("name", "rate", "nan", "n", "ok", "list"), List.copyOf(back.keySet()));
    }
}

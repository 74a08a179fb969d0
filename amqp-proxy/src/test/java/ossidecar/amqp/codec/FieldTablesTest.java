package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldTablesTest {

    @Test
    void copyConvertsToTheDecodersTypesAndIsDetached() {
        byte[] bytes = {1, 2};
        List<Object> list = new ArrayList<>(List.of("a"));
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("s", "text");
        raw.put("x", bytes);
        raw.put("l", list);
        raw.put("t", Instant.ofEpochSecond(10, 999_999_999));
        Map<String, Object> copy = FieldTables.copyOf(raw);
        bytes[0] = 9;
        list.add("b");
        raw.put("late", 1);
        assertEquals(LongString.of("text"), copy.get("s"));
        assertEquals(ByteArray.of(new byte[] {1, 2}), copy.get("x"));
        assertEquals(List.of(LongString.of("a")), copy.get("l"));
        assertEquals(Instant.ofEpochSecond(10), copy.get("t"), "timestamps hold whole seconds");
        assertEquals(4, copy.size());
    }

    @Test
    void emptyTableIsTheSharedEmptyMap() {
        assertSame(Map.of(), FieldTables.copyOf(new HashMap<>()));
    }

    @Test
    void refusesNonStringKeysCyclesAndBadDecimalsUpFront() {
        Map<Object, Object> badKey = new HashMap<>();
        badKey.put(1, 1);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object> cast = (Map) badKey;
        assertEquals("table key: 1 (expected: a String)",
                assertThrows(IllegalArgumentException.class, () -> FieldTables.copyOf(cast)).getMessage());

        Map<String, Object> cycle = new HashMap<>();
        cycle.put("self", cycle);
        assertEquals("table depth: 33 (expected: <= 32)",
                assertThrows(IllegalArgumentException.class, () -> FieldTables.copyOf(cycle)).getMessage());

        assertThrows(IllegalArgumentException.class, () -> FieldTables.copyOf(Map.of("d", new BigDecimal("0.1E-300"))));
    }
}

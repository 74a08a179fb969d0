package ossidecar.amqp.codec;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a caller's field table up front and copies it into the immutable form the decoder
 * produces, so a table built in code equals the same table decoded from the wire, and encoding
 * it later cannot fail.
 *
 * <p>Value types (RabbitMQ's errata to spec §4.2.5.5) and the Java types they decode to:
 * {@code t} Boolean, {@code b} Byte, {@code B} {@link Unsigned#u8}, {@code s} Short,
 * {@code u} {@link Unsigned#u16}, {@code I} Integer, {@code i} {@link Unsigned#u32}, {@code l}
 * Long, {@code f} Float, {@code d} Double, {@code D} BigDecimal, {@code S} {@link LongString},
 * {@code A} List, {@code T} Instant (whole seconds), {@code F} Map, {@code V} null, {@code x}
 * {@link ByteArray}. On input a String is accepted for {@code S}, a byte[] for {@code x}, a
 * Date for {@code T} and an Object[] for {@code A}; they are converted.
 */
public final class FieldTables {
    /** Deepest nesting of tables and arrays accepted by default; the top table is depth 1. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    static final String TYPES = "Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal, "
            + "String, LongString, byte[], ByteArray, Unsigned, Instant, Date, Map, List, Object[] or null";

    private FieldTables() {
    }

    /** An immutable, checked copy in the decoder's types; insertion order is kept. */
    public static Map<String, Object> copyOf(Map<String, ?> table) {
        return copyTable(table, 1);
    }

    private static Map<String, Object> copyTable(Map<?, ?> table, int depth) {
        checkDepth(depth);
        if (table.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>(table.size() * 2);
        for (Map.Entry<?, ?> e : table.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("table key: " + e.getKey() + " (expected: a String)");
            }
            WireFormat.checkShortstr(key, "table key");
            copy.put(key, copyValue(e.getValue(), depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<Object> copyArray(Iterable<?> values, int depth) {
        checkDepth(depth);
        List<Object> copy = new ArrayList<>();
        for (Object v : values) {
            copy.add(copyValue(v, depth));
        }
        return copy.isEmpty() ? List.of() : Collections.unmodifiableList(copy);
    }

    private static Object copyValue(Object v, int depth) {
        if (v == null || v instanceof Boolean || v instanceof Byte || v instanceof Short
                || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double
                || v instanceof Unsigned || v instanceof LongString || v instanceof ByteArray) {
            return v;
        }
        if (v instanceof String s) {
            return LongString.of(s);
        }
        if (v instanceof byte[] b) {
            return ByteArray.of(b);
        }
        if (v instanceof BigDecimal d) {
            return checkDecimal(d);
        }
        if (v instanceof Instant t) {
            return Instant.ofEpochSecond(t.getEpochSecond());
        }
        if (v instanceof Date d) {
            return Instant.ofEpochSecond(Math.floorDiv(d.getTime(), 1000L));
        }
        if (v instanceof Map<?, ?> m) {
            return copyTable(m, depth + 1);
        }
        if (v instanceof List<?> l) {
            return copyArray(l, depth + 1);
        }
        if (v instanceof Object[] a) {
            return copyArray(Arrays.asList(a), depth + 1);
        }
        throw new IllegalArgumentException("table value type: " + v.getClass().getName() + " (expected: " + TYPES + ")");
    }

    /** Spec §4.2.5.5: a decimal is a scale octet and a signed 32-bit unscaled value. */
    static BigDecimal checkDecimal(BigDecimal d) {
        if (d.scale() < 0 || d.scale() > 255) {
            throw new IllegalArgumentException("decimal scale: " + d.scale() + " (expected: 0..255)");
        }
        if (d.unscaledValue().bitLength() > 31) {
            throw new IllegalArgumentException("decimal unscaled value: " + d.unscaledValue()
                    + " (expected: a signed 32-bit integer)");
        }
        return d;
    }

    private static void checkDepth(int depth) {
        if (depth > DEFAULT_MAX_DEPTH) {
            throw new IllegalArgumentException("table depth: " + depth + " (expected: <= " + DEFAULT_MAX_DEPTH + ")");
        }
    }
}

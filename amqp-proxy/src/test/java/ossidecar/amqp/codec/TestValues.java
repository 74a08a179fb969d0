package ossidecar.amqp.codec;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Non-trivial values for every domain and table value type, shared by the codec tests. */
final class TestValues {
    private TestValues() {
    }

    /** Every byte value and invalid UTF-8: a longstr must survive as bytes, not text. */
    static byte[] binary() {
        byte[] b = new byte[256 + 3];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        b[256] = (byte) 0xC3;
        b[257] = (byte) 0x28;
        b[258] = (byte) 0xFF;
        return b;
    }

    /** A table with every value type RabbitMQ knows, nested tables and arrays included. */
    static Map<String, Object> everyType() {
        Map<String, Object> t = portable();
        t.put("unsigned-8", Unsigned.u8(250));
        t.put("unsigned-16", Unsigned.u16(65000));
        t.put("unsigned-32", Unsigned.u32(0xFFFF_FFF0L));
        t.put("unsigned-array", List.of(Unsigned.u8(0), Unsigned.u16(1), Unsigned.u32(2)));
        return t;
    }

    /**
     * Every value type the RabbitMQ Java client also writes (all but the unsigned ones), in
     * insertion order, so both encoders produce the same bytes.
     */
    static Map<String, Object> portable() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner-string", LongString.of("inner"));
        nested.put("inner-int", -7);
        List<Object> array = new ArrayList<>(Arrays.asList(
                LongString.of("a"), 1, 2L, true, null, 3.5d, List.of(LongString.of("deep")), Map.of()));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("bool-true", true);
        t.put("bool-false", false);
        t.put("byte", (byte) -128);
        t.put("short", (short) -32768);
        t.put("int", Integer.MIN_VALUE);
        t.put("long", Long.MIN_VALUE);
        t.put("float", 1.5f);
        t.put("double", -2.25e300);
        t.put("decimal", new BigDecimal("-12345.678"));
        t.put("decimal-max", new BigDecimal(java.math.BigInteger.valueOf(Integer.MAX_VALUE), 255));
        t.put("string", LongString.of("x-queue-type ünïcödé 漢字"));
        t.put("binary-string", LongString.of(binary()));
        t.put("empty-string", LongString.EMPTY);
        t.put("timestamp", Instant.ofEpochSecond(1_700_000_000L));
        t.put("void", null);
        t.put("bytes", ByteArray.of(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}));
        t.put("array", array);
        t.put("empty-array", List.of());
        t.put("table", nested);
        t.put("empty-table", Map.of());
        t.put("k".repeat(255), 1);
        return t;
    }

    /**
     * A method with every field set to something other than its zero value, varied by the field's
     * position so a swapped field shows; {@code table} fills the table fields.
     */
    static Method method(MethodType type, Map<String, Object> table) {
        Object[] pairs = new Object[type.fieldCount() * 2];
        for (int i = 0; i < type.fieldCount(); i++) {
            Field f = type.fields().get(i);
            pairs[2 * i] = f.name();
            pairs[2 * i + 1] = value(f, i, table);
        }
        return Method.of(type, pairs);
    }

    static Object value(Field f, int i, Map<String, Object> table) {
        return switch (f.type()) {
            case OCTET -> 200 + i;
            case SHORT -> 40000 + i;
            case LONG -> 0xF000_0000L + i;
            case LONGLONG -> 0x8000_0000_0000_0001L + i;
            case SHORTSTR -> i == 1 ? "s".repeat(250) + "é" + i + "ü" : f.name() + "-ünï-" + i;
            case LONGSTR -> binary();
            case BIT -> i % 3 != 1;
            case TIMESTAMP -> Instant.ofEpochSecond(1_600_000_000L + i);
            case TABLE -> table;
        };
    }
}

package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldTableCodecTest {

    private static byte[] encode(Map<String, ?> table) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FieldTableCodec.encodeTable(table, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static Map<String, Object> decode(byte[] bytes, int maxDepth) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        Map<String, Object> t = FieldTableCodec.decodeTable(buf, maxDepth);
        assertFalse(buf.isReadable(), "decoder left bytes");
        return t;
    }

    /** One entry "k" with the given value bytes, wrapped in the table length. */
    private static byte[] entry(String valueHex) {
        byte[] value = ByteBufUtil.decodeHexDump(valueHex);
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(2 + value.length).writeByte(1).writeByte('k').writeBytes(value);
        return ByteBufUtil.getBytes(buf);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "boolean, 7401",
        "signed 8, 62fe",
        "unsigned 8, 42fe",
        "signed 16, 73fffe",
        "unsigned 16, 75fffe",
        "signed 32, 49fffffffe",
        "unsigned 32, 69fffffffe",
        "signed 64, 6cfffffffffffffffe",
        "float, 663fc00000",
        "double, 64bff8000000000000",
        "decimal, 4402fffffc18",
        "longstr, 530000000268c3",
        "array, 41000000054900000007",
        "timestamp, 54000000006553f100",
        "table, 460000000701614900000001",
        "void, 56",
        "byte array, 7800000003010203",
    })
    void everyValueTypeDecodesAndReencodesToTheSameBytes(String what, String valueHex) {
        byte[] wire = entry(valueHex);
        Map<String, Object> t = decode(wire, 32);
        assertEquals(1, t.size(), what);
        assertEquals(ByteBufUtil.hexDump(wire), ByteBufUtil.hexDump(encode(t)), what);
    }

    @Test
    void valuesDecodeToTheDocumentedJavaTypes() {
        assertEquals(true, decode(entry("7401"), 32).get("k"));
        assertEquals((byte) -2, decode(entry("62fe"), 32).get("k"));
        assertEquals(Unsigned.u8(254), decode(entry("42fe"), 32).get("k"));
        assertEquals((short) -2, decode(entry("73fffe"), 32).get("k"));
        assertEquals(Unsigned.u16(65534), decode(entry("75fffe"), 32).get("k"));
        assertEquals(-2, decode(entry("49fffffffe"), 32).get("k"));
        assertEquals(Unsigned.u32(0xFFFF_FFFEL), decode(entry("69fffffffe"), 32).get("k"));
        assertEquals(-2L, decode(entry("6cfffffffffffffffe"), 32).get("k"));
        assertEquals(1.5f, decode(entry("663fc00000"), 32).get("k"));
        assertEquals(-1.5d, decode(entry("64bff8000000000000"), 32).get("k"));
        assertEquals(new BigDecimal("-10.00"), decode(entry("4402fffffc18"), 32).get("k"));
        assertEquals(LongString.of(new byte[] {'h', (byte) 0xC3}), decode(entry("530000000268c3"), 32).get("k"));
        assertEquals(List.of(7), decode(entry("41000000054900000007"), 32).get("k"));
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), decode(entry("54000000006553f100"), 32).get("k"));
        assertEquals(Map.of("a", 1), decode(entry("460000000701614900000001"), 32).get("k"));
        Map<String, Object> v = decode(entry("56"), 32);
        assertTrue(v.containsKey("k"));
        assertNull(v.get("k"));
        assertEquals(ByteArray.of(new byte[] {1, 2, 3}), decode(entry("7800000003010203"), 32).get("k"));
    }

    @Test
    void everyTypeTogetherRoundTripsAndKeepsOrder() {
        Map<String, Object> table = FieldTables.copyOf(TestValues.everyType());
        byte[] wire = encode(table);
        Map<String, Object> back = decode(wire, 32);
        assertEquals(table, back);
        assertEquals(new ArrayList<>(table.keySet()), new ArrayList<>(back.keySet()));
        assertEquals(ByteBufUtil.hexDump(wire), ByteBufUtil.hexDump(encode(back)));
    }

    @Test
    void convenienceTypesEncodeAsTheirWireTypes() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("s", "text");
        raw.put("x", new byte[] {9});
        raw.put("t", new Date(1_500_000_000_999L));
        raw.put("a", new Object[] {1, null});
        Map<String, Object> decoded = decode(encode(raw), 32);
        assertEquals(LongString.of("text"), decoded.get("s"));
        assertEquals(ByteArray.of(new byte[] {9}), decoded.get("x"));
        assertEquals(Instant.ofEpochSecond(1_500_000_000L), decoded.get("t"));
        assertEquals(Arrays.asList(1, null), decoded.get("a"));
        assertEquals(FieldTables.copyOf(raw), decoded);
    }

    @Test
    void decodedTablesAreImmutable() {
        Map<String, Object> t = decode(encode(FieldTables.copyOf(TestValues.everyType())), 32);
        assertThrows(UnsupportedOperationException.class, () -> t.put("new", 1));
        @SuppressWarnings("unchecked")
        List<Object> array = (List<Object>) t.get("array");
        assertThrows(UnsupportedOperationException.class, () -> array.add(1));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstValue() {
        // length 12: "k" I 1, "k" I 2
        byte[] wire = ByteBufUtil.decodeHexDump("0000000e" + "016b4900000001" + "016b4900000002");
        assertEquals(Map.of("k", 1), decode(wire, 32));
    }

    @Test
    void unknownValueTypeIsASyntaxError() {
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(entry("5a00"), 32));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("table[k]: value type: 'Z' (expected: one of tbBsuIilfdDSATFVx)", e.getMessage());
    }

    @Test
    void nonPrintableValueTypeIsShownInHex() {
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(entry("0000"), 32));
        assertTrue(e.getMessage().startsWith("table[k]: value type: 0x00"), e.getMessage());
    }

    @Test
    void tableLengthBeyondTheBufferIsASyntaxError() {
        byte[] wire = ByteBufUtil.decodeHexDump("00000010016b4900000001");
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(wire, 32));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("table: length: 16 (expected: <= 7)", e.getMessage());
    }

    @Test
    void valueRunningPastTheTableEndIsASyntaxErrorEvenWithBytesAfterIt() {
        // The table claims 5 bytes, but the int needs 4 after "k" and type: 7. The bytes after the
        // table must not be read as part of it.
        byte[] wire = ByteBufUtil.decodeHexDump("00000005016b4900000001");
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(wire, 32));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("table[k]: truncated (needs 4 bytes, 2 remaining)", e.getMessage());
    }

    @Test
    void longstrLengthBeyondTheTableIsASyntaxError() {
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(entry("53ffffffff"), 32));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("table[k]: length: 4294967295 (expected: <= 0)", e.getMessage());
    }

    @Test
    void keyLengthBeyondTheTableIsASyntaxError() {
        byte[] wire = ByteBufUtil.decodeHexDump("0000000209" + "6b");
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(wire, 32));
        assertEquals("table: key: length: 9 (expected: <= 1)", e.getMessage());
    }

    @Test
    void nonUtf8KeyIsASyntaxError() {
        byte[] wire = ByteBufUtil.decodeHexDump("0000000301ff56");
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(wire, 32));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void truncatedLengthPrefixIsASyntaxError() {
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(new byte[] {0, 0}, 32));
        assertEquals("table: truncated (needs 4 bytes, 2 remaining)", e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        Object deep = Map.of();
        for (int i = 0; i < 4; i++) {
            deep = i % 2 == 1 ? Map.of("n", deep) : List.of(deep);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) deep; // depth 5: 3 tables, 2 arrays
        byte[] wire = encode(top);
        assertEquals(top, decode(wire, 5));
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(wire, 4));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("table[n][0][n][0]: depth: 5 (expected: <= 4)", e.getMessage());
    }

    @Test
    void hostileNestingIsStoppedByTheDepthLimitNotTheStack() {
        // 100000 nested arrays, each claiming the rest: a naive recursive decoder overflows.
        int depth = 100_000;
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(0).writeByte(1).writeByte('k');
        for (int i = 0; i < depth; i++) {
            buf.writeByte('A').writeInt(0);
        }
        for (int i = 0; i < depth; i++) {
            int lengthAt = 4 + 2 + i * 5 + 1;
            buf.setInt(lengthAt, buf.writerIndex() - lengthAt - 4);
        }
        buf.setInt(0, buf.writerIndex() - 4);
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> FieldTableCodec.decodeTable(buf, 32));
        assertTrue(e.getMessage().startsWith("table[k]" + "[0]".repeat(31) + ": depth: 33 (expected: <= 32)"), e.getMessage());
        buf.release();
    }

    @Test
    void timestampOutsideWhatInstantHoldsIsASyntaxError() {
        AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(entry("547fffffffffffffff"), 32));
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertTrue(e.getMessage().startsWith("table[k]: timestamp: 9223372036854775807 (expected: "), e.getMessage());
    }

    @Test
    void encodingRefusesValuesTheWireCannotCarry() {
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> encode(Map.of("c", 'c')));
        assertTrue(type.getMessage().startsWith("table value type: java.lang.Character (expected: "), type.getMessage());
        IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
                () -> encode(Map.of("d", new BigDecimal("1E+3"))));
        assertEquals("decimal scale: -3 (expected: 0..255)", scale.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> encode(Map.of("d", new BigDecimal("2147483648"))));
        assertEquals("decimal unscaled value: 2147483648 (expected: a signed 32-bit integer)", big.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> encode(Map.of("k".repeat(256), 1)));
        assertEquals("shortstr length: 256 (expected: <= 255)", key.getMessage());
    }
}

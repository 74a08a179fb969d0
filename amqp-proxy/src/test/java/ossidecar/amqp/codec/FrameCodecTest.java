package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameCodecTest {

    static byte[] encode(Method m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encodeMethod(m, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static Method decode(byte[] payload) {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        Method m = FrameCodec.decodeMethod(buf);
        assertFalse(buf.isReadable());
        return m;
    }

    static AmqpCodecException decodeFails(String hex) {
        return assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump(hex)));
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void everyMethodRoundTripsWithNonTrivialValues(MethodType type) {
        Method m = TestValues.method(type, TestValues.everyType());
        byte[] wire = encode(m);
        Method back = decode(wire);
        assertEquals(m, back);
        assertEquals(ByteBufUtil.hexDump(wire), ByteBufUtil.hexDump(encode(back)), "re-encoding is byte-identical");
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void everyMethodRoundTripsWithAllBitsSetAndZeroValues(MethodType type) {
        Method zero = Method.of(type);
        assertEquals(zero, decode(encode(zero)));
        Method ones = zero;
        for (Field f : type.fields()) {
            if (f.type() == FieldType.BIT) {
                ones = ones.with(f.name(), true);
            }
        }
        assertEquals(ones, decode(encode(ones)));
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void everyTruncationOfEveryMethodIsAFrameErrorNeverAnIndexError(MethodType type) {
        byte[] wire = encode(TestValues.method(type, TestValues.portable()));
        for (int n = 0; n < wire.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(wire, n);
            AmqpCodecException e = assertThrows(AmqpCodecException.class, () -> decode(cut), type + " cut at " + n);
            assertTrue(e.replyCode() == ReplyCode.FRAME_ERROR || e.replyCode() == ReplyCode.SYNTAX_ERROR,
                    type + " cut at " + n + ": " + e.getMessage());
        }
    }

    @Test
    void consecutiveBitsShareAnOctetLowBitFirst() {
        // exchange.declare: ticket, exchange, type, then 5 bits (passive..nowait), then arguments
        Method m = Method.of(MethodType.EXCHANGE_DECLARE, "exchange", "x", "type", "fanout",
                "passive", true, "durable", false, "auto-delete", true, "internal", false, "nowait", true);
        assertEquals("0028000a" + "0000" + "0178" + "0666616e6f7574" + "15" + "00000000",
                ByteBufUtil.hexDump(encode(m)));
    }

    @Test
    void aBitAfterANonBitFieldStartsANewOctet() {
        // basic.deliver: consumer-tag, delivery-tag, redelivered(bit), exchange, routing-key
        Method m = Method.of(MethodType.BASIC_DELIVER, "consumer-tag", "c", "delivery-tag", 1L,
                "redelivered", true, "exchange", "", "routing-key", "k");
        assertEquals("003c003c" + "0163" + "0000000000000001" + "01" + "00" + "016b", ByteBufUtil.hexDump(encode(m)));
        // basic.nack: delivery-tag, multiple, requeue -> both bits in one octet
        assertEquals("003c0078" + "0000000000000002" + "02",
                ByteBufUtil.hexDump(encode(Method.of(MethodType.BASIC_NACK, "delivery-tag", 2L, "requeue", true))));
    }

    @Test
    void unknownMethodIsNotImplemented() {
        AmqpCodecException e = decodeFails("003c03e7");
        assertEquals(ReplyCode.NOT_IMPLEMENTED, e.replyCode());
        assertEquals("method: class-id 60, method-id 999 (expected: a method of AMQP 0-9-1)", e.getMessage());
    }

    @Test
    void tooShortForIdsIsAFrameError() {
        AmqpCodecException e = decodeFails("003c");
        assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
        assertEquals("method frame size: 2 (expected: >= 4)", e.getMessage());
    }

    @Test
    void truncatedFieldNamesTheMethodAndField() {
        AmqpCodecException e = decodeFails("003c0028" + "0000" + "05616d71");
        assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
        assertEquals("basic.publish.exchange: length: 5 (expected: <= 3)", e.getMessage());
        assertEquals("basic.ack.delivery-tag: truncated (needs 8 bytes, 3 remaining)",
                decodeFails("003c0050" + "000000").getMessage());
        assertEquals("basic.ack.multiple: truncated (needs 1 byte, 0 remaining)",
                decodeFails("003c0050" + "0000000000000001").getMessage());
    }

    @Test
    void bytesAfterTheLastFieldAreAFrameError() {
        AmqpCodecException e = decodeFails("003c0050" + "0000000000000001" + "01" + "ffff");
        assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
        assertEquals("basic.ack: 2 bytes after the last field (expected: 0)", e.getMessage());
    }

    @Test
    void longstrLongerThanThePayloadIsAFrameError() {
        AmqpCodecException e = decodeFails("000a0014" + "7fffffff" + "00");
        assertEquals(ReplyCode.FRAME_ERROR, e.replyCode());
        assertEquals("connection.secure.challenge: length: 2147483647 (expected: <= 1)", e.getMessage());
    }

    @Test
    void badTableInAMethodIsASyntaxErrorNamingThePath() {
        // queue.declare with arguments {"k": 'Z'...}
        AmqpCodecException e = decodeFails("0032000a" + "0000" + "0171" + "00" + "00000004" + "016b" + "5a00");
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("queue.declare.arguments[k]: value type: 'Z' (expected: one of tbBsuIilfdDSATFVx)", e.getMessage());
        AmqpCodecException truncated = decodeFails("0032000a" + "0000" + "0171" + "00" + "00000010" + "016b");
        assertEquals(ReplyCode.SYNTAX_ERROR, truncated.replyCode());
        assertEquals("queue.declare.arguments: length: 16 (expected: <= 2)", truncated.getMessage());
    }

    @Test
    void nonUtf8ShortstrIsASyntaxError() {
        AmqpCodecException e = decodeFails("0032000a" + "0000" + "02c328" + "00" + "00000000");
        assertEquals(ReplyCode.SYNTAX_ERROR, e.replyCode());
        assertEquals("queue.declare.queue: not UTF-8 (spec 4.2.5.3)", e.getMessage());
    }

    @Test
    void tableDepthLimitApplies() {
        Method m = Method.of(MethodType.QUEUE_DECLARE, "arguments", Map.of("a", Map.of("b", Map.of())));
        byte[] wire = encode(m);
        assertEquals(m, FrameCodec.decodeMethod(Unpooled.wrappedBuffer(wire), 3));
        AmqpCodecException e = assertThrows(AmqpCodecException.class,
                () -> FrameCodec.decodeMethod(Unpooled.wrappedBuffer(wire), 2));
        assertEquals("queue.declare.arguments[a][b]: depth: 3 (expected: <= 2)", e.getMessage());
    }

    @Test
    void longFieldsAreUnsigned() {
        Method m = decode(ByteBufUtil.decodeHexDump("000a001e" + "ffff" + "ffffffff" + "ffff"));
        assertEquals(65535, m.shortInt("channel-max"));
        assertEquals(0xFFFF_FFFFL, m.longInt("frame-max"));
    }
}

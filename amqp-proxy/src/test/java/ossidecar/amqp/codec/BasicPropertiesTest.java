package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicPropertiesTest {

    static byte[] encode(BasicProperties p) {
        ByteBuf buf = Unpooled.buffer();
        try {
            p.encode(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static BasicProperties decode(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        BasicProperties p = BasicProperties.decode(buf);
        assertFalse(buf.isReadable());
        return p;
    }

    @Test
    void allFourteenPropertiesRoundTrip() {
        BasicProperties p = RabbitClientCrossCheckTest.full().toBuilder().headers(TestValues.everyType()).build();
        byte[] wire = encode(p);
        assertEquals("fffc", ByteBufUtil.hexDump(wire, 0, 2), "flags: bits 15..2 set, no continuation");
        BasicProperties back = decode(wire);
        assertEquals(p, back);
        assertEquals(ByteBufUtil.hexDump(wire), ByteBufUtil.hexDump(encode(back)));
    }

    @Test
    void eachPropertyAloneSetsItsOwnFlagBit() {
        BasicProperties.Builder[] one = {
            BasicProperties.builder().contentType("t"),
            BasicProperties.builder().contentEncoding("e"),
            BasicProperties.builder().headers(Map.of("h", 1)),
            BasicProperties.builder().deliveryMode(2),
            BasicProperties.builder().priority(5),
            BasicProperties.builder().correlationId("c"),
            BasicProperties.builder().replyTo("r"),
            BasicProperties.builder().expiration("1000"),
            BasicProperties.builder().messageId("m"),
            BasicProperties.builder().timestamp(Instant.ofEpochSecond(1)),
            BasicProperties.builder().type("ty"),
            BasicProperties.builder().userId("u"),
            BasicProperties.builder().appId("a"),
            BasicProperties.builder().clusterId("cl"),
        };
        for (int i = 0; i < one.length; i++) {
            BasicProperties p = one[i].build();
            byte[] wire = encode(p);
            assertEquals(1 << (15 - i), ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF), "property " + i);
            assertEquals(p, decode(wire), "property " + i);
        }
    }

    @Test
    void emptyPropertiesAreTwoZeroBytes() {
        assertEquals("0000", ByteBufUtil.hexDump(encode(BasicProperties.EMPTY)));
        BasicProperties p = decode(new byte[2]);
        assertEquals(BasicProperties.EMPTY, p);
        assertNull(p.contentType());
        assertNull(p.headers());
    }

    @Test
    void continuationWordsWithoutPropertiesAreAccepted() {
        // delivery-mode with the continuation bit set, then an empty continuation word
        assertEquals(BasicProperties.builder().deliveryMode(1).build(), decode(ByteBufUtil.decodeHexDump("1001" + "0000" + "01")));
    }

    @Test
    void malformedPropertiesAreSyntaxErrors() {
        assertEquals("property flags: 0x2 (expected: no bit 1, basic has 14 properties)",
                assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("0002"))).getMessage());
        assertEquals("property flags: 0x8000 (expected: no properties beyond the 14 of basic)",
                assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("0001" + "8000"))).getMessage());
        assertEquals("property flags: truncated (needs 2 bytes, 0 remaining)",
                assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("0001"))).getMessage());
        assertEquals("content-type: length: 5 (expected: <= 1)",
                assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("8000" + "0561"))).getMessage());
        assertEquals("delivery-mode: truncated (needs 1 byte, 0 remaining)",
                assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("1000"))).getMessage());
        assertEquals("headers[k]: value type: 'Z' (expected: one of tbBsuIilfdDSATFVx)",
                assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("2000" + "00000004016b5a00"))).getMessage());
        AmqpCodecException trailing = assertThrows(AmqpCodecException.class, () -> decode(ByteBufUtil.decodeHexDump("0000ff")));
        assertEquals(ReplyCode.SYNTAX_ERROR, trailing.replyCode());
        assertEquals("properties: 1 bytes after the last property (expected: 0)", trailing.getMessage());
    }

    @Test
    void valuesAreCheckedWhenBuilt() {
        assertEquals("priority: 256 (expected: 0..255)", assertThrows(IllegalArgumentException.class,
                () -> BasicProperties.builder().priority(256).build()).getMessage());
        assertEquals("message-id length: 300 (expected: <= 255)", assertThrows(IllegalArgumentException.class,
                () -> BasicProperties.builder().messageId("m".repeat(300)).build()).getMessage());
        assertEquals(Instant.ofEpochSecond(5), BasicProperties.builder().timestamp(Instant.ofEpochSecond(5, 700)).build().timestamp());
    }

    @Test
    void contentHeaderFrameDecodesItsRawProperties() {
        BasicProperties p = BasicProperties.builder().contentType("text/plain").deliveryMode(2).build();
        ContentHeaderFrame f = ContentHeaderFrame.of(3, 42, p, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(BasicProperties.CLASS_ID, f.classId());
            assertEquals(42, f.bodySize());
            assertEquals(p, f.basicProperties());
            assertEquals(p, f.basicProperties(), "decoding does not consume the frame's bytes");
        } finally {
            f.release();
        }
    }
}

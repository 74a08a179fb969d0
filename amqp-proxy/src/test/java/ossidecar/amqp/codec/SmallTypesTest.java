package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** ProtocolHeader, MalformedFrame, ReplyCode and the frame value classes. */
class SmallTypesTest {

    @Test
    void protocolHeaderIsAmqp0091() {
        assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, ProtocolHeader.bytes());
        ByteBuf buf = Unpooled.buffer();
        ProtocolHeader.INSTANCE.writeTo(buf);
        assertTrue(ProtocolHeader.matches(buf, 0));
        assertFalse(ProtocolHeader.matches(buf.slice(0, 7), 0), "7 bytes are not enough");
        buf.setByte(7, 0);
        assertFalse(ProtocolHeader.matches(buf, 0));
        assertEquals("'AMQP' 0 0 9 0", ProtocolHeader.describe(buf, 0, 8));
        assertEquals("0x16 0x03 0x01", ProtocolHeader.describe(Unpooled.wrappedBuffer(new byte[] {0x16, 3, 1}), 0, 3));
        buf.release();
    }

    @Test
    void malformedFrameBecomesAConnectionCloseThatFitsAShortstr() {
        MalformedFrame bad = new MalformedFrame(ReplyCode.SYNTAX_ERROR, "x".repeat(400), 3, 60, 40, false);
        Method close = bad.toConnectionClose();
        assertEquals(MethodType.CONNECTION_CLOSE, close.type());
        assertEquals(502, close.shortInt("reply-code"));
        assertEquals(255, close.str("reply-text").length());
        assertTrue(close.str("reply-text").startsWith("SYNTAX_ERROR - xxx"));
        assertEquals(60, close.shortInt("class-id"));
        assertEquals(40, close.shortInt("method-id"));
        String multibyte = new MalformedFrame(501, "é".repeat(200), 0).toConnectionClose().str("reply-text");
        assertTrue(ByteBufUtil.utf8Bytes(multibyte) <= 255);
        assertFalse(new MalformedFrame(501, "r", 0).protocolHeader());
        assertTrue(MalformedFrame.badProtocolHeader("r").protocolHeader());
    }

    @Test
    void replyCodesHaveTheSpecsNamesAndClasses() {
        assertEquals("FRAME_ERROR", ReplyCode.name(ReplyCode.FRAME_ERROR));
        assertEquals("NOT_IMPLEMENTED", ReplyCode.name(540));
        assertEquals("NO_ROUTE", ReplyCode.name(312));
        assertEquals("UNKNOWN", ReplyCode.name(999));
        assertTrue(ReplyCode.isHardError(ReplyCode.UNEXPECTED_FRAME));
        assertTrue(ReplyCode.isHardError(ReplyCode.CONNECTION_FORCED));
        assertFalse(ReplyCode.isHardError(ReplyCode.NOT_FOUND));
        assertFalse(ReplyCode.isHardError(ReplyCode.PRECONDITION_FAILED));
        int[] all = {200, 311, 312, 313, 320, 402, 403, 404, 405, 406, 501, 502, 503, 504, 505, 506, 530, 540, 541};
        for (int code : all) {
            assertFalse(ReplyCode.name(code).equals("UNKNOWN"), Integer.toString(code));
        }
    }

    @Test
    void framesCheckTheirChannelAndCompareByContent() {
        assertThrows(IllegalArgumentException.class, () -> new MethodFrame(65536, Method.of(MethodType.TX_SELECT)));
        assertThrows(IllegalArgumentException.class, () -> new MethodFrame(-1, Method.of(MethodType.TX_SELECT)));
        assertThrows(NullPointerException.class, () -> new MethodFrame(1, null));
        assertEquals(0, HeartbeatFrame.INSTANCE.channel());
        ContentBodyFrame a = new ContentBodyFrame(1, Unpooled.wrappedBuffer(new byte[] {1, 2}));
        ContentBodyFrame b = new ContentBodyFrame(1, Unpooled.wrappedBuffer(new byte[] {1, 2}));
        ContentBodyFrame c = new ContentBodyFrame(2, Unpooled.wrappedBuffer(new byte[] {1, 2}));
        assertEquals(a, b);
        assertFalse(a.equals(c));
        ContentBodyFrame copy = a.copy();
        assertEquals(a, copy);
        assertEquals("ContentBodyFrame(channel 1, 2 bytes)", a.toString());
        ContentHeaderFrame h = new ContentHeaderFrame(1, 60, -1L, Unpooled.wrappedBuffer(new byte[2]));
        assertEquals("ContentHeaderFrame(channel 1, class-id 60, body-size 18446744073709551615, 2 property bytes)",
                h.toString());
        ContentHeaderFrame dup = h.retainedDuplicate();
        assertEquals(h, dup);
        assertEquals(2, h.refCnt());
        assertFalse(dup.release(), "a duplicate shares the frame's count");
        assertEquals(1, h.refCnt());
        for (ByteBufHolderLike r : new ByteBufHolderLike[] {a::release, b::release, c::release, copy::release, h::release}) {
            assertTrue(r.release());
        }
    }

    private interface ByteBufHolderLike {
        boolean release();
    }
}

package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AmqpFrameEncoderTest {
    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void everyBufferIsReleased() {
        assertEquals(List.of(), alloc.unreleased(), "leaked buffers");
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new AmqpFrameEncoder());
        return ch;
    }

    /** Writes {@code msg} and returns the bytes that reached the socket. */
    private static byte[] write(EmbeddedChannel ch, Object msg) {
        ch.writeOutbound(msg);
        ByteBuf out = ch.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private ByteBuf tracked(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(b.length).writeBytes(b);
    }

    @Test
    void protocolHeaderAndHeartbeatHaveFixedBytes() {
        EmbeddedChannel ch = channel();
        assertEquals("414d515000000901", ByteBufUtil.hexDump(write(ch, ProtocolHeader.INSTANCE)));
        assertEquals("08" + "0000" + "00000000" + "ce", ByteBufUtil.hexDump(write(ch, HeartbeatFrame.INSTANCE)));
        assertEquals("08" + "0000" + "00000000" + "ce", ByteBufUtil.hexDump(write(ch, HeartbeatFrame.INSTANCE)),
                "the shared heartbeat buffer is not used up");
        assertFalse(ch.finish());
    }

    @Test
    void methodFrameHasPrefixPayloadAndFrameEnd() {
        EmbeddedChannel ch = channel();
        byte[] wire = write(ch, new MethodFrame(5, Method.of(MethodType.BASIC_ACK, "delivery-tag", 7L, "multiple", true)));
        assertEquals("01" + "0005" + "0000000d" + "003c0050" + "0000000000000007" + "01" + "ce", ByteBufUtil.hexDump(wire));
        assertFalse(ch.finish());
    }

    @Test
    void contentHeaderIsWrittenAndItsPropertiesReleased() {
        EmbeddedChannel ch = channel();
        ByteBuf props = alloc.buffer();
        BasicProperties.builder().deliveryMode(2).build().encode(props);
        ContentHeaderFrame h = new ContentHeaderFrame(1, 60, 10, props);
        byte[] wire = write(ch, h);
        assertEquals("02" + "0001" + "0000000f" + "003c" + "0000" + "000000000000000a" + "1000" + "02" + "ce",
                ByteBufUtil.hexDump(wire));
        assertEquals(0, props.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void smallBodyIsCopiedIntoOneBuffer() {
        EmbeddedChannel ch = channel();
        ByteBuf payload = tracked("hi");
        ch.writeOutbound(new ContentBodyFrame(2, payload));
        ByteBuf out = ch.readOutbound();
        assertFalse(out instanceof CompositeByteBuf);
        assertEquals("03" + "0002" + "00000002" + "6869" + "ce", ByteBufUtil.hexDump(out));
        assertEquals(0, payload.refCnt());
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void largeBodyIsNotCopied() {
        EmbeddedChannel ch = channel();
        String text = "z".repeat(AmqpFrameEncoder.COPY_BODY_MAX + 1);
        ByteBuf payload = tracked(text);
        ch.writeOutbound(new ContentBodyFrame(2, payload));
        ByteBuf out = ch.readOutbound();
        assertInstanceOf(CompositeByteBuf.class, out);
        assertEquals(1, payload.refCnt(), "the frame was released, the composite holds the payload");
        payload.setByte(0, 'A');
        assertEquals('A', out.getByte(7), "the composite reads the payload's own memory");
        assertEquals(text.length() + 8, out.readableBytes());
        assertEquals(0x03, out.getByte(0));
        assertEquals(text.length(), out.getInt(3));
        assertEquals((byte) 0xCE, out.getByte(out.readableBytes() - 1));
        out.release();
        assertEquals(0, payload.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void otherMessagesPassThrough() {
        EmbeddedChannel ch = channel();
        ByteBuf raw = tracked("raw");
        ch.writeOutbound(raw);
        assertSame(raw, ch.readOutbound());
        raw.release();
        ch.writeOutbound("text");
        assertEquals("text", ch.readOutbound());
        assertFalse(ch.finish());
    }

    @Test
    void whatTheEncoderWritesTheDecoderReadsBack() {
        List<Object> frames = List.of(
                ProtocolHeader.INSTANCE,
                new MethodFrame(0, Method.of(MethodType.CONNECTION_START_OK, "client-properties", TestValues.everyType(),
                        "mechanism", "PLAIN", "response", TestValues.binary())),
                new MethodFrame(1, TestValues.method(MethodType.BASIC_PUBLISH, Map.of())),
                AmqpFrameDecoderTest.header(1, 3000, RabbitClientCrossCheckTest.full()),
                new ContentBodyFrame(1, Unpooled.wrappedBuffer(new byte[1000])),
                new ContentBodyFrame(1, Unpooled.wrappedBuffer(TestValues.binary())),
                new ContentBodyFrame(1, Unpooled.wrappedBuffer(new byte[3000 - 1000 - 259])),
                HeartbeatFrame.INSTANCE,
                new MethodFrame(1, TestValues.method(MethodType.CHANNEL_CLOSE, Map.of())));
        List<Object> expected = new ArrayList<>();
        for (Object f : frames) {
            expected.add(f instanceof ContentBodyFrame b ? b.copy() : f instanceof ContentHeaderFrame h ? h.copy() : f);
        }
        EmbeddedChannel out = channel();
        EmbeddedChannel in = new EmbeddedChannel(new AmqpFrameDecoder(true, 131072));
        for (Object f : frames) {
            out.writeOutbound(f);
        }
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            in.writeInbound(b);
        }
        List<Object> decoded = new ArrayList<>();
        for (Object o; (o = in.readInbound()) != null; ) {
            decoded.add(o);
        }
        assertEquals(expected, decoded);
        decoded.forEach(ReferenceCountUtil::release);
        expected.forEach(ReferenceCountUtil::release);
        assertFalse(out.finish());
        assertFalse(in.finish());
    }

    @Test
    void framesBetweenFlushesGoOutAsOneBufferInOrder() {
        EmbeddedChannel ch = channel();
        ByteBuf props = alloc.buffer();
        BasicProperties.builder().deliveryMode(2).build().encode(props);
        ChannelFuture method = ch.write(new MethodFrame(1, Method.of(MethodType.BASIC_ACK, "delivery-tag", 7L,
                "multiple", false)));
        ChannelFuture header = ch.write(new ContentHeaderFrame(1, 60, 2, props));
        ChannelFuture body = ch.write(new ContentBodyFrame(1, tracked("hi")));
        assertNull(ch.readOutbound(), "nothing goes out before the flush");
        assertFalse(method.isDone());
        ch.flush();
        ByteBuf out = ch.readOutbound();
        assertEquals("01" + "0001" + "0000000d" + "003c0050" + "0000000000000007" + "00" + "ce"
                + "02" + "0001" + "0000000f" + "003c" + "0000" + "0000000000000002" + "1000" + "02" + "ce"
                + "03" + "0001" + "00000002" + "6869" + "ce", ByteBufUtil.hexDump(out));
        assertNull(ch.readOutbound(), "one buffer for the three frames");
        assertTrue(method.isSuccess() && header.isSuccess() && body.isSuccess(), "each frame's write completed");
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void aLargeBodyGoesOutAfterWhatWasGatheredBeforeIt() {
        EmbeddedChannel ch = channel();
        ch.write(HeartbeatFrame.INSTANCE);
        ch.write(new ContentBodyFrame(1, tracked("z".repeat(AmqpFrameEncoder.COPY_BODY_MAX + 1))));
        ch.write(HeartbeatFrame.INSTANCE);
        ch.flush();
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        ByteBuf third = ch.readOutbound();
        assertEquals(8, first.readableBytes());
        assertInstanceOf(CompositeByteBuf.class, second);
        assertEquals(8, third.readableBytes());
        first.release();
        second.release();
        third.release();
        assertFalse(ch.finish());
    }

    @Test
    void aLongBatchIsCutAtTheBound() {
        EmbeddedChannel ch = channel();
        int frames = AmqpFrameEncoder.WRITE_AT / 8 + 1;
        for (int i = 0; i < frames; i++) {
            ch.write(HeartbeatFrame.INSTANCE);
        }
        ch.flush();
        ByteBuf early = ch.readOutbound();
        assertEquals(AmqpFrameEncoder.WRITE_AT, early.readableBytes(), "written out at the bound");
        ByteBuf rest = ch.readOutbound();
        assertEquals(8, rest.readableBytes());
        early.release();
        rest.release();
        assertFalse(ch.finish());
    }

    @Test
    void whatIsGatheredWhenTheChannelClosesIsReleasedAndItsWritesFail() {
        EmbeddedChannel ch = channel();
        ChannelFuture pending = ch.write(new ContentBodyFrame(1, tracked("lost")));
        ch.close();
        assertFalse(pending.isSuccess());
        assertFalse(ch.finish());
    }
}

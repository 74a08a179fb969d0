package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AmqpFrameDecoderTest {
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<Object> decoded = new ArrayList<>();

    @AfterEach
    void everyBufferIsReleased() {
        decoded.forEach(ReferenceCountUtil::release);
        assertEquals(List.of(), alloc.unreleased(), "leaked buffers");
    }

    // ---- helpers -------------------------------------------------------------------------

    private EmbeddedChannel channel(boolean server, int maxFrameSize) {
        return channel(new AmqpFrameDecoder(server, maxFrameSize));
    }

    private EmbeddedChannel channel(AmqpFrameDecoder decoder) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(decoder);
        return ch;
    }

    private ByteBuf in(byte[] bytes, int from, int to) {
        return alloc.buffer(to - from).writeBytes(bytes, from, to - from);
    }

    /** Writes {@code bytes} in the given chunk sizes (the last chunk takes the rest). */
    private List<Object> feed(EmbeddedChannel ch, byte[] bytes, int... chunks) {
        int at = 0;
        for (int n : chunks) {
            int to = Math.min(bytes.length, at + n);
            ch.writeInbound(in(bytes, at, to));
            at = to;
        }
        if (at < bytes.length) {
            ch.writeInbound(in(bytes, at, bytes.length));
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        decoded.addAll(out);
        return out;
    }

    /** Releases what a loop iteration decoded, so the leak check covers each iteration. */
    private void releaseAll(List<Object> out) {
        decoded.removeIf(o -> out.stream().anyMatch(x -> x == o));
        out.forEach(ReferenceCountUtil::release);
    }

    private List<Object> feedByteByByte(EmbeddedChannel ch, byte[] bytes) {
        int[] ones = new int[bytes.length];
        Arrays.fill(ones, 1);
        return feed(ch, bytes, ones);
    }

    private MalformedFrame onlyError(List<Object> out) {
        assertEquals(1, out.size(), out.toString());
        return assertInstanceOf(MalformedFrame.class, out.get(0));
    }

    static byte[] frames(Frame... frames) {
        ByteBuf buf = Unpooled.buffer();
        for (Frame f : frames) {
            FrameCodec.encodeFrame(f, buf);
            ReferenceCountUtil.release(f);
        }
        byte[] b = ByteBufUtil.getBytes(buf);
        buf.release();
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteBuf buf = Unpooled.buffer();
        for (byte[] p : parts) {
            buf.writeBytes(p);
        }
        byte[] b = ByteBufUtil.getBytes(buf);
        buf.release();
        return b;
    }

    static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    static MethodFrame method(int channel, MethodType type, Object... fields) {
        return new MethodFrame(channel, Method.of(type, fields));
    }

    static ContentHeaderFrame header(int channel, long bodySize, BasicProperties p) {
        ByteBuf props = Unpooled.buffer();
        p.encode(props);
        return new ContentHeaderFrame(channel, 60, bodySize, props);
    }

    static ContentBodyFrame body(int channel, String text) {
        return new ContentBodyFrame(channel, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** A client's conversation: header, handshake, a channel, a table, a published message. */
    static byte[] clientStream() {
        return concat(ProtocolHeader.bytes(), frames(
                method(0, MethodType.CONNECTION_START_OK, "client-properties", TestValues.everyType(),
                        "mechanism", "PLAIN", "response", "\0guest\0guest", "locale", "en_US"),
                method(0, MethodType.CONNECTION_TUNE_OK, "channel-max", 2047, "frame-max", 131072L, "heartbeat", 60),
                method(0, MethodType.CONNECTION_OPEN, "virtual-host", "/"),
                method(1, MethodType.CHANNEL_OPEN),
                method(1, MethodType.QUEUE_DECLARE, "queue", "q", "durable", true, "arguments", Map.of("x-queue-type", "quorum")),
                method(1, MethodType.BASIC_PUBLISH, "routing-key", "q", "mandatory", true),
                header(1, 11, BasicProperties.builder().contentType("text/plain").deliveryMode(2).build()),
                body(1, "hello "),
                body(1, "world"),
                HeartbeatFrame.INSTANCE,
                method(1, MethodType.BASIC_PUBLISH, "routing-key", "empty"),
                header(1, 0, BasicProperties.EMPTY),
                method(1, MethodType.BASIC_ACK, "delivery-tag", -1L, "multiple", true)));
    }

    private List<Object> expectedClientStream() {
        return feed(channel(true, 131072), clientStream());
    }

    // ---- well-formed input ----------------------------------------------------------------

    @Test
    void decodesTheProtocolHeaderThenEveryFrameType() {
        EmbeddedChannel ch = channel(true, 131072);
        List<Object> out = feed(ch, clientStream());
        assertEquals(14, out.size(), out.toString());
        assertSame(ProtocolHeader.INSTANCE, out.get(0));
        MethodFrame startOk = assertInstanceOf(MethodFrame.class, out.get(1));
        assertEquals(0, startOk.channel());
        assertEquals(FieldTables.copyOf(TestValues.everyType()), startOk.method().table("client-properties"));
        assertEquals("\0guest\0guest", startOk.method().longstr("response"));
        ContentHeaderFrame h = assertInstanceOf(ContentHeaderFrame.class, out.get(7));
        assertEquals(11, h.bodySize());
        assertEquals("text/plain", h.basicProperties().contentType());
        assertEquals("hello ", ((ContentBodyFrame) out.get(8)).payload().toString(StandardCharsets.UTF_8));
        assertEquals("world", ((ContentBodyFrame) out.get(9)).payload().toString(StandardCharsets.UTF_8));
        assertSame(HeartbeatFrame.INSTANCE, out.get(10));
        assertEquals(-1L, ((MethodFrame) out.get(13)).method().longlong("delivery-tag"));
        assertFalse(ch.finish());
    }

    @Test
    void byteByByteDecodesTheSameFrames() {
        List<Object> expected = expectedClientStream();
        EmbeddedChannel ch = channel(true, 131072);
        assertEquals(expected, feedByteByByte(ch, clientStream()));
        assertFalse(ch.finish());
    }

    @Test
    void splitAtEveryPositionDecodesTheSameFrames() {
        List<Object> expected = expectedClientStream();
        byte[] stream = clientStream();
        for (int split = 1; split < stream.length; split++) {
            EmbeddedChannel ch = channel(true, 131072);
            List<Object> out = feed(ch, stream, split);
            assertEquals(expected, out, "split at " + split);
            assertFalse(ch.finish());
            releaseAll(out);
        }
    }

    @Test
    void threeWaySplitsAcrossFrameBoundariesDecodeTheSameFrames() {
        List<Object> expected = expectedClientStream();
        byte[] stream = clientStream();
        for (int a = 1; a < stream.length; a += 7) {
            for (int b = 1; a + b < stream.length; b += 13) {
                EmbeddedChannel ch = channel(true, 131072);
                List<Object> out = feed(ch, stream, a, b);
                assertEquals(expected, out, "split at " + a + ", " + (a + b));
                assertFalse(ch.finish());
                releaseAll(out);
            }
        }
    }

    @Test
    void bodyFramesAreSlicesOfTheInputNotCopies() {
        byte[] stream = frames(method(1, MethodType.BASIC_PUBLISH), header(1, 5, BasicProperties.EMPTY), body(1, "abcde"));
        EmbeddedChannel ch = channel(false, 131072);
        ByteBuf input = in(stream, 0, stream.length);
        ch.writeInbound(input);
        ch.readInbound();
        ContentHeaderFrame h = ch.readInbound();
        ContentBodyFrame b = ch.readInbound();
        int bodyAt = stream.length - 1 - 5;
        input.setByte(bodyAt, 'X');
        assertEquals("Xbcde", b.payload().toString(StandardCharsets.UTF_8), "the payload shares the input's memory");
        assertTrue(input.refCnt() > 0, "the slices keep the input alive");
        h.release();
        assertTrue(input.refCnt() > 0, "the body slice still keeps the input alive");
        b.release();
        assertEquals(0, input.refCnt(), "releasing the frames releases the input");
        assertFalse(ch.finish());
    }

    @Test
    void framesOfUpToMaxFrameSizeAreAccepted() {
        EmbeddedChannel ch = channel(false, 4096);
        String big = "b".repeat(4096 - 8);
        List<Object> out = feed(ch, frames(method(1, MethodType.BASIC_PUBLISH), header(1, big.length(), BasicProperties.EMPTY),
                body(1, big)));
        assertEquals(3, out.size());
        assertEquals(big.length(), ((ContentBodyFrame) out.get(2)).payload().readableBytes());
        assertFalse(ch.finish());
    }

    @Test
    void contentOfChannelsMayInterleave() {
        EmbeddedChannel ch = channel(false, 131072);
        List<Object> out = feed(ch, frames(
                method(1, MethodType.BASIC_DELIVER, "consumer-tag", "c1"),
                method(2, MethodType.BASIC_DELIVER, "consumer-tag", "c2"),
                header(2, 2, BasicProperties.EMPTY),
                header(1, 2, BasicProperties.EMPTY),
                body(1, "a"),
                body(2, "zz"),
                method(2, MethodType.BASIC_ACK),
                body(1, "b"),
                method(1, MethodType.BASIC_ACK)));
        assertEquals(9, out.size());
        out.forEach(o -> assertFalse(o instanceof MalformedFrame, o.toString()));
        assertFalse(ch.finish());
    }

    @Test
    void aPartialFrameAtCloseIsDroppedQuietly() {
        EmbeddedChannel ch = channel(false, 131072);
        byte[] f = frames(method(1, MethodType.BASIC_ACK));
        assertEquals(List.of(), feed(ch, Arrays.copyOf(f, f.length - 1)));
        assertFalse(ch.finish());
    }

    @Test
    void setMaxFrameSizeAppliesToTheNextFrame() {
        AmqpFrameDecoder decoder = new AmqpFrameDecoder(false, 131072);
        EmbeddedChannel ch = channel(decoder);
        byte[] publish = frames(method(1, MethodType.BASIC_PUBLISH), header(1, 5000, BasicProperties.EMPTY), body(1, "x".repeat(5000)));
        assertEquals(3, feed(ch, publish).size());
        decoder.setMaxFrameSize(4096);
        assertEquals(4096, decoder.maxFrameSize());
        List<Object> out = feed(ch, publish);
        assertEquals(3, out.size(), "method and header still fit");
        assertEquals(new MalformedFrame(501, "frame size: 5008 (expected: <= 4096)", 1), out.get(2));
        assertFalse(ch.finish());
    }

    @Test
    void frameMaxZeroMeansNoLimitAndOtherSmallValuesAreRefused() {
        AmqpFrameDecoder decoder = new AmqpFrameDecoder(false, 4096);
        decoder.setMaxFrameSize(0);
        assertEquals(Integer.MAX_VALUE, decoder.maxFrameSize());
        assertEquals("maxFrameSize: 4095 (expected: 0 or >= 4096)",
                assertThrows(IllegalArgumentException.class, () -> decoder.setMaxFrameSize(4095)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> decoder.setMaxFrameSize(-1));
        assertThrows(IllegalArgumentException.class, () -> new AmqpFrameDecoder(true, 100));
        assertThrows(IllegalArgumentException.class, () -> new AmqpFrameDecoder(true, 4096, 0));
        assertEquals(AmqpFrameDecoder.DEFAULT_MAX_FRAME_SIZE, new AmqpFrameDecoder(true).maxFrameSize());
        assertEquals(32, new AmqpFrameDecoder(true).maxTableDepth());
    }

    // ---- the protocol header --------------------------------------------------------------

    @Test
    void foreignProtocolIsRefusedAtTheFirstWrongByte() {
        EmbeddedChannel ch = channel(true, 131072);
        MalformedFrame bad = onlyError(feed(ch, "GET ".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(bad.protocolHeader());
        assertEquals("protocol header: 'GET ' (expected: 'AMQP' 0 0 9 1)", bad.reason());
        assertEquals(List.of(), feed(ch, "/ HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(ch.finish());
    }

    @Test
    void tlsHelloIsRefusedAtOnce() {
        EmbeddedChannel ch = channel(true, 131072);
        MalformedFrame bad = onlyError(feed(ch, new byte[] {0x16}));
        assertEquals("protocol header: 0x16 (expected: 'AMQP' 0 0 9 1)", bad.reason());
        assertFalse(ch.finish());
    }

    @Test
    void anotherAmqpVersionIsReportedWithAllEightBytes() {
        EmbeddedChannel ch = channel(true, 131072);
        byte[] v091old = {'A', 'M', 'Q', 'P', 1, 1, 0, 9};
        assertEquals(List.of(), feed(ch, Arrays.copyOf(v091old, 5)), "waits for the version bytes");
        MalformedFrame bad = onlyError(feed(ch, Arrays.copyOfRange(v091old, 5, 8)));
        assertTrue(bad.protocolHeader());
        assertEquals(ReplyCode.FRAME_ERROR, bad.replyCode());
        assertEquals("protocol header: 'AMQP' 1 1 0 9 (expected: 'AMQP' 0 0 9 1)", bad.reason());
        assertFalse(ch.finish());
    }

    @Test
    void aClientReadsTheServersRefusalHeader() {
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}));
        assertTrue(bad.protocolHeader());
        assertEquals("protocol header from the peer: 'AMQP' 0 0 9 1 (expected: a frame; it refused 'AMQP' 0 0 9 1)",
                bad.reason());
        assertFalse(ch.finish());
    }

    @Test
    void aSecondHeaderFromAClientIsAnUnknownFrameType() {
        EmbeddedChannel ch = channel(true, 131072);
        List<Object> out = feed(ch, concat(ProtocolHeader.bytes(), ProtocolHeader.bytes()));
        assertEquals(2, out.size());
        MalformedFrame bad = assertInstanceOf(MalformedFrame.class, out.get(1));
        assertFalse(bad.protocolHeader());
        assertEquals("frame type: 65 (expected: 1, 2, 3 or 8)", bad.reason());
        assertFalse(ch.finish());
    }

    @Test
    void aServerDoesNotAcceptFramesBeforeTheHeader() {
        EmbeddedChannel ch = channel(true, 131072);
        assertTrue(onlyError(feed(ch, frames(HeartbeatFrame.INSTANCE))).protocolHeader());
        assertFalse(ch.finish());
    }

    // ---- malformed frames ------------------------------------------------------------------

    @Test
    void badFrameEndIsAFrameError() {
        byte[] f = frames(method(3, MethodType.BASIC_ACK));
        f[f.length - 1] = 0;
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, f));
        assertEquals(new MalformedFrame(501, "frame end: 0x00 (expected: 0xce)", 3), bad);
        assertFalse(ch.finish());
    }

    @Test
    void oversizedFrameIsRefusedFromItsSevenBytePrefix() {
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, hex("03 0001 00030d40")));
        assertEquals(ReplyCode.FRAME_ERROR, bad.replyCode());
        assertEquals("frame size: 200008 (expected: <= 131072)", bad.reason());
        assertEquals(1, bad.channel());
        assertFalse(ch.finish());
    }

    @Test
    void sizeNearTheUnsignedLimitDoesNotOverflowTheCheck() {
        EmbeddedChannel ch = channel(false, 131072);
        assertEquals("frame size: 4294967303 (expected: <= 131072)", onlyError(feed(ch, hex("03 0001 ffffffff"))).reason());
        assertFalse(ch.finish());
    }

    @Test
    void unknownFrameTypeIsAFrameError() {
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, hex("09 0000 00000000 ce")));
        assertEquals(new MalformedFrame(501, "frame type: 9 (expected: 1, 2, 3 or 8)", 0), bad);
        assertFalse(ch.finish());
    }

    @Test
    void unknownMethodIsNotImplementedWithItsIds() {
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, hex("01 0002 00000004 003c03e7 ce")));
        assertEquals(ReplyCode.NOT_IMPLEMENTED, bad.replyCode());
        assertEquals(2, bad.channel());
        assertEquals(60, bad.classId());
        assertEquals(999, bad.methodId());
        assertEquals("method: class-id 60, method-id 999 (expected: a method of AMQP 0-9-1)", bad.reason());
        assertEquals(540, bad.toConnectionClose().shortInt("reply-code"));
        assertFalse(ch.finish());
    }

    @Test
    void truncatedTableIsASyntaxError() {
        // queue.declare whose arguments table claims 16 bytes where 2 are left in the frame
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, hex("01 0001 0000000f 0032000a 0000 0171 00 00000010 016b ce")));
        assertEquals(ReplyCode.SYNTAX_ERROR, bad.replyCode());
        assertEquals("queue.declare.arguments: length: 16 (expected: <= 2)", bad.reason());
        assertEquals(50, bad.classId());
        assertEquals(10, bad.methodId());
        assertFalse(ch.finish());
    }

    @Test
    void badTableValueTypeIsASyntaxError() {
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, hex("01 0001 00000011 0032000a 0000 0171 00 00000004 016b 5a00 ce")));
        assertEquals(ReplyCode.SYNTAX_ERROR, bad.replyCode());
        assertEquals("queue.declare.arguments[k]: value type: 'Z' (expected: one of tbBsuIilfdDSATFVx)", bad.reason());
        assertFalse(ch.finish());
    }

    @Test
    void tableDeeperThanTheDecodersLimitIsASyntaxError() {
        EmbeddedChannel ch = channel(new AmqpFrameDecoder(false, 131072, 2));
        MalformedFrame bad = onlyError(feed(ch, frames(method(1, MethodType.QUEUE_DECLARE,
                "arguments", Map.of("a", Map.of("b", Map.of()))))));
        assertEquals(ReplyCode.SYNTAX_ERROR, bad.replyCode());
        assertEquals("queue.declare.arguments[a][b]: depth: 3 (expected: <= 2)", bad.reason());
        assertFalse(ch.finish());
    }

    @Test
    void methodPayloadShorterThanItsFieldsIsAFrameError() {
        EmbeddedChannel ch = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch, hex("01 0001 00000007 003c0050 000000 ce")));
        assertEquals(new MalformedFrame(501, "basic.ack.delivery-tag: truncated (needs 8 bytes, 3 remaining)", 1, 60, 80, false), bad);
        assertFalse(ch.finish());
    }

    @Test
    void heartbeatMustBeEmptyAndOnChannelZero() {
        EmbeddedChannel ch1 = channel(false, 131072);
        assertEquals("heartbeat frame channel: 1 (expected: 0)", onlyError(feed(ch1, hex("08 0001 00000000 ce"))).reason());
        assertFalse(ch1.finish());
        EmbeddedChannel ch2 = channel(false, 131072);
        MalformedFrame bad = onlyError(feed(ch2, hex("08 0000 00000001 00 ce")));
        assertEquals(ReplyCode.FRAME_ERROR, bad.replyCode());
        assertEquals("heartbeat frame size: 9 (expected: 8)", bad.reason());
        assertFalse(ch2.finish());
    }

    @Test
    void contentHeaderNeedsItsFixedPartAndZeroWeight() {
        EmbeddedChannel ch1 = channel(false, 131072);
        assertEquals("content header frame size: 20 (expected: >= 22)",
                onlyError(feed(ch1, hex("02 0001 0000000c 003c 0000 0000000000000000 ce"))).reason());
        assertFalse(ch1.finish());
        EmbeddedChannel ch2 = channel(false, 131072);
        byte[] stream = concat(frames(method(1, MethodType.BASIC_PUBLISH)),
                hex("02 0001 0000000e 003c 0007 0000000000000000 0000 ce"));
        List<Object> out = feed(ch2, stream);
        assertEquals(2, out.size());
        assertEquals(new MalformedFrame(501, "content header weight: 7 (expected: 0)", 1), out.get(1));
        assertFalse(ch2.finish());
    }

    @Test
    void contentFramesOutOfSequenceAreUnexpected() {
        assertUnexpected("frame on channel 1: content header (expected: a method)",
                header(1, 0, BasicProperties.EMPTY));
        assertUnexpected("frame on channel 1: content body (expected: a method)",
                body(1, "x"));
        assertUnexpected("frame on channel 1: method (expected: the content header of basic.publish)",
                method(1, MethodType.BASIC_PUBLISH), method(1, MethodType.BASIC_ACK));
        assertUnexpected("frame on channel 1: content body (expected: the content header of basic.publish)",
                method(1, MethodType.BASIC_PUBLISH), body(1, "x"));
        assertUnexpected("frame on channel 1: method (expected: a content body of basic.publish)",
                method(1, MethodType.BASIC_PUBLISH), header(1, 5, BasicProperties.EMPTY), body(1, "ab"),
                method(1, MethodType.BASIC_ACK));
        assertUnexpected("frame on channel 1: content header (expected: a content body of basic.deliver)",
                method(1, MethodType.BASIC_DELIVER), header(1, 5, BasicProperties.EMPTY), header(1, 5, BasicProperties.EMPTY));
        assertUnexpected("content header class-id: 50 (expected: 60 for basic.publish)",
                method(1, MethodType.BASIC_PUBLISH), new ContentHeaderFrame(1, 50, 0, Unpooled.wrappedBuffer(new byte[2])));
        assertUnexpected("frame on channel 2: content body (expected: a method)",
                method(1, MethodType.BASIC_PUBLISH), header(1, 5, BasicProperties.EMPTY), body(2, "x"));
        assertUnexpected("frame on channel 1: content body (expected: a method)",
                method(1, MethodType.BASIC_PUBLISH), header(1, 0, BasicProperties.EMPTY), body(1, "x"));
    }

    private void assertUnexpected(String reason, Frame... frames) {
        EmbeddedChannel ch = channel(false, 131072);
        List<Object> out = feed(ch, frames(frames));
        assertEquals(frames.length, out.size(), out.toString());
        MalformedFrame bad = assertInstanceOf(MalformedFrame.class, out.get(out.size() - 1));
        assertEquals(reason, bad.reason());
        assertEquals(ReplyCode.UNEXPECTED_FRAME, bad.replyCode());
        assertFalse(ch.finish());
    }

    @Test
    void bodyBeyondTheDeclaredSizeIsAFrameError() {
        EmbeddedChannel ch = channel(false, 131072);
        List<Object> out = feed(ch, frames(method(1, MethodType.BASIC_PUBLISH), header(1, 3, BasicProperties.EMPTY),
                body(1, "ab"), body(1, "cd")));
        assertEquals(4, out.size());
        assertEquals(new MalformedFrame(501, "content body frame size: 2 (expected: <= 1 left of the body-size)", 1),
                out.get(3));
        assertFalse(ch.finish());
    }

    @Test
    void afterAnErrorEverythingIsDiscardedAndNothingThrows() {
        byte[] bad = hex("09 0000 00000000 ce");
        byte[] good = frames(method(1, MethodType.BASIC_ACK), HeartbeatFrame.INSTANCE);
        EmbeddedChannel ch = channel(false, 131072);
        List<Object> out = feed(ch, concat(good, bad, good));
        assertEquals(3, out.size());
        assertInstanceOf(MalformedFrame.class, out.get(2));
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(), feed(ch, good));
            assertEquals(List.of(), feed(ch, bad));
        }
        assertFalse(ch.finish());
    }

    // ---- robustness ------------------------------------------------------------------------

    @Test
    void everySingleByteCorruptionDecodesOrFailsCleanlyAndLeaksNothing() {
        byte[] stream = clientStream();
        int malformed = 0;
        for (int i = 0; i < stream.length; i++) {
            for (int v : new int[] {0x00, 0xFF, (stream[i] ^ 0x5A) & 0xFF}) {
                if ((stream[i] & 0xFF) == v) {
                    continue;
                }
                byte[] corrupt = stream.clone();
                corrupt[i] = (byte) v;
                EmbeddedChannel ch = channel(true, 131072);
                List<Object> out = feed(ch, corrupt, 1 + i % 97, 512);
                for (int k = 0; k < out.size() - 1; k++) {
                    assertFalse(out.get(k) instanceof MalformedFrame, "an error is the last message");
                }
                if (!out.isEmpty() && out.get(out.size() - 1) instanceof MalformedFrame m) {
                    malformed++;
                    assertNotEquals(ReplyCode.INTERNAL_ERROR, m.replyCode(), m.reason());
                }
                assertFalse(ch.finish());
                releaseAll(out);
            }
        }
        assertTrue(malformed > 1000, "corruptions caught: " + malformed);
    }

    @Test
    void randomGarbageNeverThrows() {
        java.util.Random random = new java.util.Random(42);
        for (int run = 0; run < 500; run++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && run % 2 == 0) {
                garbage[0] = (byte) (1 + random.nextInt(3)); // a valid type keeps the decoder going further
                if (garbage.length > 6) {
                    garbage[3] = 0;
                    garbage[4] = 0;
                }
            }
            EmbeddedChannel ch = channel(false, 131072);
            List<Object> out = feed(ch, garbage, 1 + random.nextInt(50), 1 + random.nextInt(50));
            assertFalse(ch.finish());
            releaseAll(out);
        }
    }
}

package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MysqlPacketDecoderTest {
    private static final int MAX = MysqlPacket.MAX_FRAGMENT_LENGTH;

    private static EmbeddedChannel channel(int maxPayload) {
        return new EmbeddedChannel(new MysqlPacketDecoder(maxPayload));
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Wire bytes of one logical packet, split as the protocol requires. */
    private static ByteBuf framed(int sequenceId, byte[] payload) {
        ByteBuf out = Unpooled.buffer(payload.length + 16);
        MysqlPacketEncoder.writeFramed(sequenceId, Unpooled.wrappedBuffer(payload), out);
        return out;
    }

    private static void assertPacket(Object message, int sequenceId, byte[] payload) {
        MysqlPacket packet = assertInstanceOf(MysqlPacket.class, message);
        try {
            assertEquals(sequenceId, packet.sequenceId());
            assertEquals(payload.length, packet.payload().readableBytes());
            assertArrayEquals(payload, Bufs.bytes(packet.payload()));
        } finally {
            packet.release();
        }
    }

    @Test
    void decodesOnePacket() {
        EmbeddedChannel ch = channel(1024);
        assertTrue(ch.writeInbound(Bufs.hex("05 00 00 | 00 | 03 53 45 4c 45")));
        assertPacket(ch.readInbound(), 0, new byte[] {3, 'S', 'E', 'L', 'E'});
        assertFalse(ch.finish());
    }

    @Test
    void decodesEmptyPayload() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(Bufs.hex("00 00 00 07"));
        MysqlPacket packet = ch.readInbound();
        assertEquals(7, packet.sequenceId());
        assertEquals(0, packet.payload().readableBytes());
        assertEquals(8, packet.nextSequenceId());
        packet.release();
        assertFalse(ch.finish());
    }

    @Test
    void decodesByteByByte() {
        EmbeddedChannel ch = channel(1024);
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(framed(1, new byte[] {0x0e}));
        wire.writeBytes(framed(2, "hello".getBytes()));
        wire.writeBytes(framed(3, new byte[0]));
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        assertPacket(ch.readInbound(), 1, new byte[] {0x0e});
        assertPacket(ch.readInbound(), 2, "hello".getBytes());
        assertPacket(ch.readInbound(), 3, new byte[0]);
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void decodesSeveralPacketsInOneBuffer() {
        EmbeddedChannel ch = channel(1024);
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            wire.writeBytes(framed(i, random(i * 10, i)));
        }
        ch.writeInbound(wire);
        for (int i = 0; i < 5; i++) {
            assertPacket(ch.readInbound(), i, random(i * 10, i));
        }
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void packetAcrossBufferBoundaries() {
        EmbeddedChannel ch = channel(1024);
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(framed(0, random(100, 1)));
        wire.writeBytes(framed(1, random(50, 2)));
        assertFalse(ch.writeInbound(wire.readRetainedSlice(2)), "half a header");
        assertFalse(ch.writeInbound(wire.readRetainedSlice(60)), "header and part of the payload");
        assertTrue(ch.writeInbound(wire.readRetainedSlice(50)), "rest of the first, start of the second");
        assertTrue(ch.writeInbound(wire.readRetainedSlice(wire.readableBytes())));
        wire.release();
        assertPacket(ch.readInbound(), 0, random(100, 1));
        assertPacket(ch.readInbound(), 1, random(50, 2));
        assertFalse(ch.finish());
    }

    @Test
    void truncatedHeaderStaysPending() {
        EmbeddedChannel ch = channel(1024);
        assertFalse(ch.writeInbound(Bufs.hex("01 00 00")));
        assertNull(ch.readInbound());
        assertFalse(ch.writeInbound(Bufs.hex("00")));
        assertNull(ch.readInbound(), "header complete, payload missing");
        assertTrue(ch.writeInbound(Bufs.hex("0e")));
        assertPacket(ch.readInbound(), 0, new byte[] {0x0e});
        assertFalse(ch.finish());
    }

    @Test
    void closingWithPartialPacketEmitsNothing() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(Bufs.hex("10 00 00 00 01 02"));
        assertFalse(ch.finish());
    }

    @Test
    void payloadOfExactlyMaxFragmentEndsWithEmptyPacket() {
        byte[] payload = random(MAX, 42);
        ByteBuf wire = framed(3, payload);
        assertEquals(MAX + 8, wire.readableBytes(), "two headers: the full fragment and the empty trailer");
        assertEquals(0, wire.getUnsignedMedium(MAX + 4), "empty trailer");
        assertEquals(4, wire.getUnsignedByte(MAX + 7), "trailer sequence id");

        EmbeddedChannel ch = channel(32 * 1024 * 1024);
        feedInChunks(ch, wire, 1 << 20);
        MysqlPacket packet = ch.readInbound();
        assertEquals(3, packet.sequenceId());
        assertEquals(5, packet.nextSequenceId());
        assertPacket(packet, 3, payload);
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void payloadOf16MiBPlus1000IsJoined() {
        int length = 16 * 1024 * 1024 + 1000;
        byte[] payload = random(length, 7);
        ByteBuf wire = framed(5, payload);
        assertEquals(MAX, wire.getUnsignedMediumLE(0));
        assertEquals(5, wire.getUnsignedByte(3));
        assertEquals(length - MAX, wire.getUnsignedMediumLE(4 + MAX));
        assertEquals(6, wire.getUnsignedByte(4 + MAX + 3), "consecutive sequence id");

        EmbeddedChannel ch = channel(32 * 1024 * 1024);
        feedInChunks(ch, wire, 3_000_001);
        MysqlPacket packet = ch.readInbound();
        assertEquals(7, packet.nextSequenceId());
        assertPacket(packet, 5, payload);
        assertFalse(ch.finish());
    }

    @Test
    void joinedSequenceIdsWrapAround() {
        byte[] payload = random(MAX + 5, 9);
        EmbeddedChannel ch = channel(32 * 1024 * 1024);
        ch.writeInbound(framed(255, payload));
        MysqlPacket packet = ch.readInbound();
        assertEquals(1, packet.nextSequenceId());
        assertPacket(packet, 255, payload);
        assertFalse(ch.finish());
    }

    @Test
    void smallPacketAfterJoinedOneIsSeparate() {
        byte[] big = random(MAX, 1);
        ByteBuf wire = framed(0, big);
        wire.writeBytes(framed(2, new byte[] {1, 2, 3}));
        EmbeddedChannel ch = channel(32 * 1024 * 1024);
        ch.writeInbound(wire);
        assertPacket(ch.readInbound(), 0, big);
        assertPacket(ch.readInbound(), 2, new byte[] {1, 2, 3});
        assertFalse(ch.finish());
    }

    @Test
    void oversizedPacketIsRefusedWithoutBuffering() {
        EmbeddedChannel ch = channel(1024);
        ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(2000).writeByte(0).writeBytes(new byte[100]);
        assertTrue(ch.writeInbound(wire));
        MalformedPacket malformed = ch.readInbound();
        assertEquals("packet length: 2000 (expected: <= 1024)", malformed.reason());
        assertEquals(0, wire.refCnt(), "nothing retained");
        // everything after is discarded, including well-formed packets
        assertFalse(ch.writeInbound(Unpooled.buffer().writeBytes(new byte[1900])));
        assertFalse(ch.writeInbound(framed(1, new byte[] {1})));
        assertNull(ch.readInbound());
        assertTrue(ch.isOpen(), "closing is the handler's decision");
        assertFalse(ch.finish());
    }

    @Test
    void oversizedJoinedPacketIsRefusedAtTheContinuationHeader() {
        EmbeddedChannel ch = channel(MAX + 10);
        ByteBuf wire = framed(0, random(MAX + 11, 3));
        assertTrue(ch.writeInbound(wire));
        MalformedPacket malformed = ch.readInbound();
        assertEquals("packet length: " + (MAX + 11) + " (expected: <= " + (MAX + 10) + ")", malformed.reason());
        assertEquals(0, wire.refCnt(), "the buffered first fragment was released");
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void packetOfExactlyMaxPayloadIsAccepted() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(framed(0, random(10, 1)));
        assertPacket(ch.readInbound(), 0, random(10, 1));
        assertFalse(ch.finish());
    }

    @Test
    void continuationWithWrongSequenceIdIsMalformed() {
        ByteBuf wire = framed(0, random(MAX + 3, 4));
        wire.setByte(4 + MAX + 3, 9);
        EmbeddedChannel ch = channel(32 * 1024 * 1024);
        ch.writeInbound(wire);
        MalformedPacket malformed = ch.readInbound();
        assertEquals("continuation sequence id: 9 (expected: 1)", malformed.reason());
        assertEquals(0, wire.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void decodedPayloadReleasesInput() {
        ByteBuf wire = framed(0, new byte[] {1, 2, 3});
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(wire);
        MysqlPacket packet = ch.readInbound();
        assertTrue(wire.refCnt() > 0, "the payload is a slice of the input, not a copy");
        packet.release();
        assertEquals(0, wire.refCnt());
        assertFalse(ch.finish());
    }

    @Test
    void rejectsNonPositiveLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MysqlPacketDecoder(0));
        assertEquals("maxPayload: 0 (expected: > 0)", e.getMessage());
    }

    @Test
    void packetSequenceIdIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new MysqlPacket(256, Unpooled.EMPTY_BUFFER));
        assertThrows(IllegalArgumentException.class, () -> new MysqlPacket(-1, Unpooled.EMPTY_BUFFER));
    }

    @Test
    void nextSequenceIdCountsFragments() {
        assertEquals(1, MysqlPacket.nextSequenceId(0, 0));
        assertEquals(1, MysqlPacket.nextSequenceId(0, MAX - 1));
        assertEquals(2, MysqlPacket.nextSequenceId(0, MAX));
        assertEquals(2, MysqlPacket.nextSequenceId(0, MAX + 1));
        assertEquals(3, MysqlPacket.nextSequenceId(0, 2 * MAX));
        assertEquals(0, MysqlPacket.nextSequenceId(255, 10));
    }

    private static void feedInChunks(EmbeddedChannel ch, ByteBuf wire, int chunk) {
        List<ByteBuf> parts = new ArrayList<>();
        while (wire.isReadable()) {
            parts.add(wire.readRetainedSlice(Math.min(chunk, wire.readableBytes())));
        }
        wire.release();
        for (ByteBuf part : parts) {
            ch.writeInbound(part);
        }
    }
}

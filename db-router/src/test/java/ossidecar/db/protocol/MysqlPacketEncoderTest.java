package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MysqlPacketEncoderTest {
    private static final int MAX = MysqlPacket.MAX_FRAGMENT_LENGTH;

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Everything the channel wrote, concatenated. */
    private static ByteBuf written(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf buf = ch.readOutbound(); buf != null; buf = ch.readOutbound()) {
            all.writeBytes(buf);
            buf.release();
        }
        return all;
    }

    private static ByteBuf encode(int sequenceId, byte[] payload) {
        EmbeddedChannel ch = new EmbeddedChannel(new MysqlPacketEncoder());
        ByteBuf content = Unpooled.buffer(payload.length).writeBytes(payload);
        assertTrue(ch.writeOutbound(new MysqlPacket(sequenceId, content)));
        ByteBuf wire = written(ch);
        assertEquals(0, content.refCnt(), "payload released once written");
        assertFalse(ch.finish());
        return wire;
    }

    @Test
    void framesSmallPacket() {
        ByteBuf wire = encode(0, new byte[] {0x03, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1'});
        assertEquals("0900000003" + "53454c4543542031", Bufs.hexOf(wire));
        wire.release();
    }

    @Test
    void framesEmptyPacket() {
        ByteBuf wire = encode(3, new byte[0]);
        assertEquals("00000003", Bufs.hexOf(wire));
        wire.release();
    }

    @Test
    void framesMediumPacketWithoutSplitting() {
        byte[] payload = random(100_000, 1);
        ByteBuf wire = encode(1, payload);
        assertEquals(100_000, wire.readUnsignedMediumLE());
        assertEquals(1, wire.readUnsignedByte());
        assertArrayEquals(payload, Bufs.bytes(wire));
        wire.release();
    }

    @Test
    void splitsExactlyMaxFragmentWithEmptyTrailer() {
        byte[] payload = random(MAX, 2);
        ByteBuf wire = encode(7, payload);
        assertEquals(MAX + 8, wire.readableBytes());
        assertEquals(MAX, wire.getUnsignedMediumLE(0));
        assertEquals(7, wire.getUnsignedByte(3));
        assertEquals(0, wire.getUnsignedMediumLE(MAX + 4));
        assertEquals(8, wire.getUnsignedByte(MAX + 7));
        wire.release();
    }

    @Test
    void splitsTwiceMaxFragmentIntoThreePackets() {
        byte[] payload = random(2 * MAX, 3);
        ByteBuf wire = encode(254, payload);
        assertEquals(2 * MAX + 12, wire.readableBytes());
        assertEquals(254, wire.getUnsignedByte(3));
        assertEquals(255, wire.getUnsignedByte(MAX + 7));
        assertEquals(0, wire.getUnsignedByte(2 * MAX + 11), "sequence id wraps");
        assertEquals(0, wire.getUnsignedMediumLE(2 * MAX + 8));
        assertEquals(0, MysqlPacket.nextSequenceId(254, 2 * MAX) - 1, "next is 1");
        wire.release();
    }

    @Test
    void roundTripsLargePayloadThroughTheDecoder() {
        int length = 16 * 1024 * 1024 + 1000;
        byte[] payload = random(length, 4);
        EmbeddedChannel encoder = new EmbeddedChannel(new MysqlPacketEncoder());
        encoder.writeOutbound(new MysqlPacket(9, Unpooled.wrappedBuffer(payload)));
        EmbeddedChannel decoder = new EmbeddedChannel(new MysqlPacketDecoder(32 * 1024 * 1024));
        int buffers = 0;
        for (ByteBuf buf = encoder.readOutbound(); buf != null; buf = encoder.readOutbound()) {
            decoder.writeInbound(buf);
            buffers++;
        }
        assertEquals(4, buffers, "two headers and two slices: the payload was not copied");
        MysqlPacket packet = decoder.readInbound();
        assertEquals(9, packet.sequenceId());
        assertEquals(11, packet.nextSequenceId());
        assertArrayEquals(payload, Bufs.bytes(packet.payload()));
        packet.release();
        assertNull(decoder.readInbound());
        assertFalse(encoder.finish());
        assertFalse(decoder.finish());
    }

    @Test
    void roundTripsManySizesThroughTheDecoder() {
        EmbeddedChannel encoder = new EmbeddedChannel(new MysqlPacketEncoder());
        EmbeddedChannel decoder = new EmbeddedChannel(new MysqlPacketDecoder(64 * 1024 * 1024));
        int[] sizes = {0, 1, 250, 251, 8192, 8193, 65_536, MAX - 1, MAX, MAX + 1, 2 * MAX};
        for (int i = 0; i < sizes.length; i++) {
            encoder.writeOutbound(new MysqlPacket(i, Unpooled.wrappedBuffer(random(sizes[i], i))));
        }
        for (ByteBuf buf = encoder.readOutbound(); buf != null; buf = encoder.readOutbound()) {
            decoder.writeInbound(buf);
        }
        for (int i = 0; i < sizes.length; i++) {
            MysqlPacket packet = decoder.readInbound();
            assertEquals(i, packet.sequenceId(), "size " + sizes[i]);
            assertArrayEquals(random(sizes[i], i), Bufs.bytes(packet.payload()), "size " + sizes[i]);
            packet.release();
        }
        assertFalse(encoder.finish());
        assertFalse(decoder.finish());
    }

    @Test
    void writeFramedReturnsNextSequenceIdAndLeavesPayloadUnread() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2});
        ByteBuf out = Unpooled.buffer();
        assertEquals(6, MysqlPacketEncoder.writeFramed(5, payload, out));
        assertEquals("0200000501" + "02", Bufs.hexOf(out));
        assertEquals(2, payload.readableBytes());
        ByteBuf big = Unpooled.wrappedBuffer(new byte[MAX]);
        assertEquals(7, MysqlPacketEncoder.writeFramed(5, big, out.clear()));
        assertEquals(MAX + 8, out.readableBytes());
    }

    @Test
    void encodesFromPayloadReaderIndex() {
        ByteBuf content = Unpooled.wrappedBuffer(new byte[] {9, 9, 1, 2});
        content.skipBytes(2);
        EmbeddedChannel ch = new EmbeddedChannel(new MysqlPacketEncoder());
        ch.writeOutbound(new MysqlPacket(0, content));
        ByteBuf wire = written(ch);
        assertEquals("0200000001" + "02", Bufs.hexOf(wire));
        wire.release();
        assertFalse(ch.finish());
    }

    @Test
    void packetsOfOneFlushGoOutAsOneBufferAndALargeOneApart() {
        EmbeddedChannel ch = new EmbeddedChannel(new MysqlPacketEncoder());
        ch.write(new MysqlPacket(1, Unpooled.wrappedBuffer(new byte[] {1})));
        ch.write(new MysqlPacket(2, Unpooled.wrappedBuffer(new byte[] {2, 2})));
        ch.write(new MysqlPacket(3, Unpooled.wrappedBuffer(random(20_000, 3))));
        ch.write(new MysqlPacket(4, Unpooled.wrappedBuffer(new byte[] {4})));
        assertNull(ch.readOutbound(), "nothing before the flush");
        ch.flush();
        ByteBuf gathered = ch.readOutbound();
        assertEquals("0100000101" + "020000020202", Bufs.hexOf(gathered), "the two small packets in one buffer");
        gathered.release();
        ByteBuf header = ch.readOutbound();
        assertEquals("204e0003", Bufs.hexOf(header), "the large one's header, then its payload uncopied");
        header.release();
        ByteBuf payload = ch.readOutbound();
        assertEquals(20_000, payload.readableBytes());
        payload.release();
        ByteBuf last = ch.readOutbound();
        assertEquals("0100000404", Bufs.hexOf(last), "what follows it comes after it");
        last.release();
        assertNull(ch.readOutbound());
        assertFalse(ch.finish());
    }
}

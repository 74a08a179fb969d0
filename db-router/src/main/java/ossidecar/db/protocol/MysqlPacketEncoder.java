package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import ossidecar.core.net.GatheringEncoder;

/**
 * Writes {@link MysqlPacket}s with their framing. A payload of 0xFFFFFF bytes or more is split
 * into 0xFFFFFF-byte wire packets with consecutive sequence ids, ending with a shorter one,
 * empty if the length is an exact multiple (MariaDB manual, "0 - Packet");
 * {@link MysqlPacket#nextSequenceId()} tells the id to continue with. Small payloads are copied
 * behind their header into the buffer gathered until the flush ({@link GatheringEncoder}: a
 * result set is many small packets); large ones go out as header buffers and retained slices,
 * never copied. One instance per channel.
 */
public final class MysqlPacketEncoder extends GatheringEncoder {
    /** Up to this size copying beats a header plus a slice. */
    private static final int COPY_THRESHOLD = 8192;

    @Override
    protected boolean accepts(Object msg) {
        return msg instanceof MysqlPacket;
    }

    @Override
    protected boolean gathers(Object msg) {
        return ((MysqlPacket) msg).payload().readableBytes() <= COPY_THRESHOLD;
    }

    @Override
    protected void encode(Object msg, ByteBuf out) {
        MysqlPacket packet = (MysqlPacket) msg;
        writeFramed(packet.sequenceId(), packet.payload(), out);
    }

    @Override
    protected void encodeAlone(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        MysqlPacket packet = (MysqlPacket) msg;
        ByteBuf payload = packet.payload();
        int sequenceId = packet.sequenceId();
        int offset = payload.readerIndex();
        int remaining = payload.readableBytes();
        while (true) {
            int fragment = Math.min(remaining, MysqlPacket.MAX_FRAGMENT_LENGTH);
            ByteBuf header = ctx.alloc().buffer(MysqlPacket.HEADER_LENGTH);
            header.writeMediumLE(fragment).writeByte(sequenceId);
            out.add(header);
            if (fragment > 0) {
                out.add(payload.retainedSlice(offset, fragment));
            }
            offset += fragment;
            remaining -= fragment;
            sequenceId = (sequenceId + 1) & 0xFF;
            if (fragment < MysqlPacket.MAX_FRAGMENT_LENGTH) {
                return;
            }
        }
    }

    /**
     * Writes the readable bytes of {@code payload} framed, split as above, into {@code out},
     * without moving {@code payload}'s reader index; returns the sequence id to continue with.
     */
    public static int writeFramed(int sequenceId, ByteBuf payload, ByteBuf out) {
        int offset = payload.readerIndex();
        int remaining = payload.readableBytes();
        int id = sequenceId;
        while (true) {
            int fragment = Math.min(remaining, MysqlPacket.MAX_FRAGMENT_LENGTH);
            out.writeMediumLE(fragment).writeByte(id);
            out.writeBytes(payload, offset, fragment);
            offset += fragment;
            remaining -= fragment;
            id = (id + 1) & 0xFF;
            if (fragment < MysqlPacket.MAX_FRAGMENT_LENGTH) {
                return id;
            }
        }
    }
}

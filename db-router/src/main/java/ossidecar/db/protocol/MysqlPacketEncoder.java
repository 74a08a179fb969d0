package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link MysqlPacket}s with their framing. A payload of 0xFFFFFF bytes or more is split
 * into 0xFFFFFF-byte wire packets with consecutive sequence ids, ending with a shorter one,
 * empty if the length is an exact multiple (MariaDB manual, "0 - Packet");
 * {@link MysqlPacket#nextSequenceId()} tells the id to continue with. Small payloads are copied
 * behind their header into one buffer; large ones go out as header buffers and retained slices,
 * never copied.
 */
@ChannelHandler.Sharable
public final class MysqlPacketEncoder extends MessageToMessageEncoder<MysqlPacket> {
    /** Up to this size one contiguous write beats a header plus a slice. */
    private static final int COPY_THRESHOLD = 8192;

    public MysqlPacketEncoder() {
        super(MysqlPacket.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MysqlPacket packet, List<Object> out) {
        ByteBuf payload = packet.payload();
        int length = payload.readableBytes();
        if (length <= COPY_THRESHOLD) {
            ByteBuf buf = ctx.alloc().buffer(MysqlPacket.HEADER_LENGTH + length);
            writeFramed(packet.sequenceId(), payload, buf);
            out.add(buf);
            return;
        }
        int sequenceId = packet.sequenceId();
        int offset = payload.readerIndex();
        int remaining = length;
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

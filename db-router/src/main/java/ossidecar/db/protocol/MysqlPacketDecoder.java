package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The one place that reads packet framing (MariaDB manual, "0 - Packet"): a 3-byte
 * little-endian payload length and a 1-byte sequence id. A payload of exactly 0xFFFFFF bytes
 * continues in the next wire packet; fragments are joined, without copying, into one
 * {@link MysqlPacket} carrying the first fragment's sequence id.
 *
 * <p>The joined length is checked against {@code maxPayload} from each header, before any
 * payload byte is buffered. A refused packet (too long, or a continuation with the wrong
 * sequence id) produces one {@link MalformedPacket}; the decoder then discards all input,
 * since the stream cannot be resynchronized. Nothing is thrown into the pipeline.
 */
public final class MysqlPacketDecoder extends ByteToMessageDecoder {
    private enum State { HEADER, PAYLOAD, BAD }

    private final int maxPayload;
    private State state = State.HEADER;
    private int fragmentLength;
    private int fragmentSequenceId;
    /** Fragments of a split payload so far, or {@code null}. */
    private CompositeByteBuf joined;
    private int firstSequenceId;
    private int joinedFragments;

    /** @param maxPayload the largest joined payload accepted, in bytes */
    public MysqlPacketDecoder(int maxPayload) {
        if (maxPayload <= 0) {
            throw new IllegalArgumentException("maxPayload: " + maxPayload + " (expected: > 0)");
        }
        this.maxPayload = maxPayload;
    }

    @Override
    @SuppressWarnings("fallthrough")
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEADER:
                if (in.readableBytes() < MysqlPacket.HEADER_LENGTH) {
                    return;
                }
                int length = in.getUnsignedMediumLE(in.readerIndex());
                int sequenceId = in.getUnsignedByte(in.readerIndex() + 3);
                if (joined != null) {
                    int expected = (firstSequenceId + joinedFragments) & 0xFF;
                    if (sequenceId != expected) {
                        fail(in, out, "continuation sequence id: " + sequenceId + " (expected: " + expected + ")");
                        return;
                    }
                }
                long total = (long) joinedFragments * MysqlPacket.MAX_FRAGMENT_LENGTH + length;
                if (total > maxPayload) {
                    fail(in, out, "packet length: " + total + " (expected: <= " + maxPayload + ")");
                    return;
                }
                in.skipBytes(MysqlPacket.HEADER_LENGTH);
                fragmentLength = length;
                fragmentSequenceId = sequenceId;
                state = State.PAYLOAD;
                // fall through: the payload may already be here
            case PAYLOAD:
                if (in.readableBytes() < fragmentLength) {
                    return;
                }
                ByteBuf fragment = in.readRetainedSlice(fragmentLength);
                state = State.HEADER;
                if (fragmentLength == MysqlPacket.MAX_FRAGMENT_LENGTH) {
                    if (joined == null) {
                        joined = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                        firstSequenceId = fragmentSequenceId;
                    }
                    joined.addComponent(true, fragment);
                    joinedFragments++;
                } else if (joined == null) {
                    out.add(new MysqlPacket(fragmentSequenceId, fragment));
                } else {
                    joined.addComponent(true, fragment);
                    out.add(new MysqlPacket(firstSequenceId, joined));
                    joined = null;
                    joinedFragments = 0;
                }
                return;
            case BAD:
                in.skipBytes(in.readableBytes());
                return;
            default:
                throw new IllegalStateException("unknown state " + state);
        }
    }

    private void fail(ByteBuf in, List<Object> out, String reason) {
        releaseJoined();
        state = State.BAD;
        in.skipBytes(in.readableBytes());
        out.add(new MalformedPacket(reason));
    }

    private void releaseJoined() {
        if (joined != null) {
            joined.release();
            joined = null;
            joinedFragments = 0;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseJoined();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            releaseJoined();
        }
    }
}

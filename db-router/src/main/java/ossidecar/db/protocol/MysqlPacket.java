package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One logical packet: a sequence id and the payload, with the 16 MiB continuation fragments
 * already joined (MariaDB manual, "0 - Packet": a payload of 0xFFFFFF bytes continues in the
 * next packet). The sequence id is the first fragment's. Reference counted: whoever receives
 * one releases it.
 */
public final class MysqlPacket extends DefaultByteBufHolder {
    /** The largest payload of one wire packet; a fragment this long announces a continuation. */
    public static final int MAX_FRAGMENT_LENGTH = 0xFF_FFFF;
    /** 3-byte little-endian length + 1-byte sequence id. */
    public static final int HEADER_LENGTH = 4;

    private final int sequenceId;
    private final int payloadLength;

    public MysqlPacket(int sequenceId, ByteBuf payload) {
        super(payload);
        if (sequenceId < 0 || sequenceId > 0xFF) {
            throw new IllegalArgumentException("sequence id: " + sequenceId + " (expected: 0-255)");
        }
        this.sequenceId = sequenceId;
        this.payloadLength = payload.readableBytes();
    }

    public int sequenceId() {
        return sequenceId;
    }

    public ByteBuf payload() {
        return content();
    }

    /**
     * The sequence id of the packet that follows this one on the wire: one past the last
     * fragment's, whether or not the payload was split.
     */
    public int nextSequenceId() {
        return nextSequenceId(sequenceId, payloadLength);
    }

    /**
     * The sequence id following a packet of {@code payloadLength} bytes sent with
     * {@code sequenceId}: the payload takes {@code payloadLength / 0xFFFFFF + 1} wire packets
     * (an exact multiple of 0xFFFFFF ends with an empty one), each taking the next id mod 256.
     */
    public static int nextSequenceId(int sequenceId, int payloadLength) {
        return (sequenceId + payloadLength / MAX_FRAGMENT_LENGTH + 1) & 0xFF;
    }

    @Override
    public MysqlPacket replace(ByteBuf content) {
        return new MysqlPacket(sequenceId, content);
    }

    @Override
    public MysqlPacket copy() {
        return (MysqlPacket) super.copy();
    }

    @Override
    public MysqlPacket duplicate() {
        return (MysqlPacket) super.duplicate();
    }

    @Override
    public MysqlPacket retainedDuplicate() {
        return (MysqlPacket) super.retainedDuplicate();
    }

    @Override
    public MysqlPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public MysqlPacket retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public MysqlPacket touch() {
        super.touch();
        return this;
    }

    @Override
    public MysqlPacket touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "MysqlPacket(seq=" + sequenceId + ", " + payloadLength + " bytes)";
    }
}

package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A content header frame (spec §4.2.6.1): class-id, body-size and the property flags and list.
 * The properties stay raw bytes so a proxy relays them without decoding and re-encoding; call
 * {@link #basicProperties()} to read them. Reference counted through the properties buffer.
 */
public final class ContentHeaderFrame extends DefaultByteBufHolder implements Frame {
    private final int channel;
    private final int classId;
    private final long bodySize;

    /**
     * @param properties the property flags and property list, as on the wire
     * @param bodySize the whole content's size, an unsigned 64-bit value in a long's bits
     */
    public ContentHeaderFrame(int channel, int classId, long bodySize, ByteBuf properties) {
        super(properties);
        if (classId < 0 || classId > 0xFFFF) {
            throw new IllegalArgumentException("class-id: " + classId + " (expected: 0..65535)");
        }
        this.channel = Frame.checkChannel(channel);
        this.classId = classId;
        this.bodySize = bodySize;
    }

    /** A basic-class header with {@code properties} encoded into a buffer from {@code alloc}. */
    public static ContentHeaderFrame of(int channel, long bodySize, BasicProperties properties, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer();
        try {
            properties.encode(buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return new ContentHeaderFrame(channel, BasicProperties.CLASS_ID, bodySize, buf);
    }

    @Override
    public int channel() {
        return channel;
    }

    public int classId() {
        return classId;
    }

    public long bodySize() {
        return bodySize;
    }

    /** Property flags and property list; same as {@link #content()}. */
    public ByteBuf properties() {
        return content();
    }

    /** Decodes the properties as basic's; throws {@link AmqpCodecException} when malformed. */
    public BasicProperties basicProperties() {
        return BasicProperties.decode(content().duplicate());
    }

    @Override
    public ContentHeaderFrame replace(ByteBuf content) {
        return new ContentHeaderFrame(channel, classId, bodySize, content);
    }

    @Override
    public ContentHeaderFrame copy() {
        return (ContentHeaderFrame) super.copy();
    }

    @Override
    public ContentHeaderFrame duplicate() {
        return (ContentHeaderFrame) super.duplicate();
    }

    @Override
    public ContentHeaderFrame retainedDuplicate() {
        return (ContentHeaderFrame) super.retainedDuplicate();
    }

    @Override
    public ContentHeaderFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public ContentHeaderFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public ContentHeaderFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public ContentHeaderFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentHeaderFrame f && f.channel == channel && f.classId == classId
                && f.bodySize == bodySize && super.equals(o);
    }

    @Override
    public int hashCode() {
        return (super.hashCode() * 31 + channel) * 31 + Long.hashCode(bodySize);
    }

    @Override
    public String toString() {
        return "ContentHeaderFrame(channel " + channel + ", class-id " + classId + ", body-size "
                + Long.toUnsignedString(bodySize) + ", " + content().readableBytes() + " property bytes)";
    }
}

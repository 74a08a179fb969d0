package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A content body frame (spec §4.2.6.2): a slice of the message body. The decoder emits a
 * retained slice of its input, not a copy; release the frame once it is written or dropped.
 */
public final class ContentBodyFrame extends DefaultByteBufHolder implements Frame {
    private final int channel;

    public ContentBodyFrame(int channel, ByteBuf payload) {
        super(payload);
        this.channel = Frame.checkChannel(channel);
    }

    @Override
    public int channel() {
        return channel;
    }

    /** The body bytes, readable from the reader index; same as {@link #content()}. */
    public ByteBuf payload() {
        return content();
    }

    @Override
    public ContentBodyFrame replace(ByteBuf content) {
        return new ContentBodyFrame(channel, content);
    }

    @Override
    public ContentBodyFrame copy() {
        return (ContentBodyFrame) super.copy();
    }

    @Override
    public ContentBodyFrame duplicate() {
        return (ContentBodyFrame) super.duplicate();
    }

    @Override
    public ContentBodyFrame retainedDuplicate() {
        return (ContentBodyFrame) super.retainedDuplicate();
    }

    @Override
    public ContentBodyFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public ContentBodyFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public ContentBodyFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public ContentBodyFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentBodyFrame f && f.channel == channel && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + channel;
    }

    @Override
    public String toString() {
        return "ContentBodyFrame(channel " + channel + ", " + content().readableBytes() + " bytes)";
    }
}

package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import ossidecar.core.net.GatheringEncoder;

/**
 * Writes {@link ProtocolHeader} and every {@link Frame} (spec §4.2.3), gathering the frames of
 * one flush into one buffer ({@link GatheringEncoder}): a relayed publish or delivery is three
 * frames. Large body payloads are not copied: such a frame goes out as a composite of a 7-byte
 * prefix, the payload itself and the frame-end octet. Other messages pass through in order.
 * One instance per channel.
 *
 * <p>It does not split bodies to fit frame-max: whoever builds body frames sizes them (a relayed
 * body frame already fits the frame-max its sender agreed to).
 */
public class AmqpFrameEncoder extends GatheringEncoder {
    /** Bodies up to this size are copied into the gathered buffer: cheaper than a composite of three. */
    static final int COPY_BODY_MAX = 1024;

    @Override
    protected boolean accepts(Object msg) {
        return msg instanceof Frame || msg instanceof ProtocolHeader;
    }

    @Override
    protected boolean gathers(Object msg) {
        return !(msg instanceof ContentBodyFrame body) || body.payload().readableBytes() <= COPY_BODY_MAX;
    }

    @Override
    protected void encode(Object msg, ByteBuf out) {
        if (msg instanceof ProtocolHeader header) {
            header.writeTo(out);
        } else {
            FrameCodec.encodeFrame((Frame) msg, out);
        }
    }

    @Override
    protected void encodeAlone(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ContentBodyFrame body = (ContentBodyFrame) msg;
        ByteBuf payload = body.payload();
        ByteBuf prefix = ctx.alloc().ioBuffer(AmqpConstants.FRAME_PREFIX_SIZE)
                .writeByte(AmqpConstants.FRAME_BODY).writeShort(body.channel()).writeInt(payload.readableBytes());
        ByteBuf end = ctx.alloc().ioBuffer(1).writeByte(AmqpConstants.FRAME_END);
        CompositeByteBuf frame = ctx.alloc().compositeDirectBuffer(3);
        // the frame is released by the caller; the composite keeps its own reference
        frame.addComponents(true, prefix, payload.retainedSlice(), end);
        out.add(frame);
    }
}

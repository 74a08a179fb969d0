package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link ProtocolHeader} and every {@link Frame} (spec §4.2.3). Large body payloads are
 * not copied: the frame goes out as a composite of a 7-byte prefix, the payload itself and the
 * frame-end octet. Other messages pass through untouched. Stateless, so one instance may serve
 * every channel.
 *
 * <p>It does not split bodies to fit frame-max: whoever builds body frames sizes them (a relayed
 * body frame already fits the frame-max its sender agreed to).
 */
@Sharable
public class AmqpFrameEncoder extends MessageToMessageEncoder<Object> {
    public static final AmqpFrameEncoder INSTANCE = new AmqpFrameEncoder();

    /** Bodies up to this size are copied into one buffer: cheaper than a composite of three. */
    static final int COPY_BODY_MAX = 1024;
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(Unpooled.directBuffer(8)
            .writeByte(AmqpConstants.FRAME_HEARTBEAT).writeShort(0).writeInt(0).writeByte(AmqpConstants.FRAME_END)
            .asReadOnly());

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Frame || msg instanceof ProtocolHeader;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof HeartbeatFrame) {
            out.add(HEARTBEAT.duplicate());
        } else if (msg instanceof ProtocolHeader header) {
            ByteBuf buf = ctx.alloc().ioBuffer(ProtocolHeader.LENGTH);
            header.writeTo(buf);
            out.add(buf);
        } else if (msg instanceof ContentBodyFrame body && body.payload().readableBytes() > COPY_BODY_MAX) {
            out.add(zeroCopyBody(ctx, body));
        } else {
            ByteBuf buf = ctx.alloc().ioBuffer();
            try {
                FrameCodec.encodeFrame((Frame) msg, buf);
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
            out.add(buf);
        }
    }

    private static ByteBuf zeroCopyBody(ChannelHandlerContext ctx, ContentBodyFrame body) {
        ByteBuf payload = body.payload();
        ByteBuf prefix = ctx.alloc().ioBuffer(AmqpConstants.FRAME_PREFIX_SIZE)
                .writeByte(AmqpConstants.FRAME_BODY).writeShort(body.channel()).writeInt(payload.readableBytes());
        ByteBuf end = ctx.alloc().ioBuffer(1).writeByte(AmqpConstants.FRAME_END);
        CompositeByteBuf frame = ctx.alloc().compositeDirectBuffer(3);
        // The encoder releases the frame after encode(); the composite keeps its own reference.
        frame.addComponents(true, prefix, payload.retainedSlice(), end);
        return frame;
    }
}

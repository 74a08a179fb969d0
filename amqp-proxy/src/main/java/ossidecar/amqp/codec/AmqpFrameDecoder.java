package ossidecar.amqp.codec;

import static ossidecar.amqp.codec.AmqpConstants.CONTENT_HEADER_FIXED_SIZE;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_BODY;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_END;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_HEADER;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_HEARTBEAT;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_METHOD;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_OVERHEAD;
import static ossidecar.amqp.codec.AmqpConstants.FRAME_PREFIX_SIZE;
import static ossidecar.amqp.codec.ReplyCode.FRAME_ERROR;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into {@link Frame}s (spec §4.2.3: type(1) channel(2) size(4) payload
 * frame-end(0xCE)), decoding method payloads through {@link MethodType}'s table.
 *
 * <p>Facing a client ({@code expectProtocolHeader}), it first reads the 8-byte protocol header
 * and emits {@link ProtocolHeader#INSTANCE}. Body frames are emitted as retained slices of the
 * input (no copy); content headers keep their properties as a retained slice too.
 *
 * <p>Limits are checked before the bytes they guard are buffered: the frame size against
 * {@code maxFrameSize} (the negotiated frame-max, which counts the 8 bytes of framing) as soon as
 * the 7-byte prefix is in, the frame type likewise; table nesting against
 * {@code maxTableDepth}; every string, table and array length against what is left of the
 * payload. Content frames are checked to follow their method in sequence per channel
 * ({@link ContentTracker}).
 *
 * <p>It never throws on bad input: it emits one {@link MalformedFrame} with the spec's reply code
 * (501 framing, 502 field values, 505 frame out of sequence, 540 unknown method; spec §4.2.3),
 * then discards everything that follows.
 */
public class AmqpFrameDecoder extends ByteToMessageDecoder {
    /** RabbitMQ's default frame_max, used until connection.tune says otherwise. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 131072;
    public static final int DEFAULT_MAX_TABLE_DEPTH = FieldTables.DEFAULT_MAX_DEPTH;

    private enum State { PROTOCOL_HEADER, FRAME, BAD_MESSAGE }

    private final int maxTableDepth;
    private final boolean facingServer;
    private final ContentTracker content = new ContentTracker();
    private State state;
    private int maxFrameSize;
    private boolean anyFrame;

    public AmqpFrameDecoder(boolean expectProtocolHeader) {
        this(expectProtocolHeader, DEFAULT_MAX_FRAME_SIZE);
    }

    public AmqpFrameDecoder(boolean expectProtocolHeader, int maxFrameSize) {
        this(expectProtocolHeader, maxFrameSize, DEFAULT_MAX_TABLE_DEPTH);
    }

    /**
     * @param expectProtocolHeader true facing a client: the stream starts with the protocol header
     * @param maxFrameSize largest whole frame accepted, framing included: >= 4096 (spec frame-min-size), or 0 for no limit
     * @param maxTableDepth deepest nesting of field tables and arrays; the top table is depth 1
     */
    public AmqpFrameDecoder(boolean expectProtocolHeader, int maxFrameSize, int maxTableDepth) {
        if (maxTableDepth < 1) {
            throw new IllegalArgumentException("maxTableDepth: " + maxTableDepth + " (expected: >= 1)");
        }
        this.maxTableDepth = maxTableDepth;
        this.facingServer = !expectProtocolHeader;
        this.state = expectProtocolHeader ? State.PROTOCOL_HEADER : State.FRAME;
        setMaxFrameSize(maxFrameSize);
    }

    /**
     * Applies the frame-max agreed in connection.tune/tune-ok. 0 means "no limit" as in the
     * spec; anything else must be at least frame-min-size (4096).
     */
    public void setMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize == 0) {
            this.maxFrameSize = Integer.MAX_VALUE;
            return;
        }
        if (maxFrameSize < AmqpConstants.FRAME_MIN_SIZE) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize
                    + " (expected: 0 or >= " + AmqpConstants.FRAME_MIN_SIZE + ")");
        }
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public int maxTableDepth() {
        return maxTableDepth;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case PROTOCOL_HEADER -> decodeProtocolHeader(in, out);
            case FRAME -> {
                try {
                    decodeFrame(in, out);
                } catch (RuntimeException e) {
                    // Every malformed input is checked for explicitly; this only turns a bug into a
                    // closed connection instead of a frame stream that lost its place.
                    fail(in, out, new MalformedFrame(ReplyCode.INTERNAL_ERROR, "cannot decode frame: " + e, 0));
                }
            }
            case BAD_MESSAGE -> in.skipBytes(in.readableBytes());
        }
    }

    private void decodeProtocolHeader(ByteBuf in, List<Object> out) {
        int index = in.readerIndex();
        int readable = Math.min(in.readableBytes(), ProtocolHeader.LENGTH);
        int mismatch = ProtocolHeader.mismatchAt(in, index, readable);
        // Not "AMQP" at all (TLS, HTTP...): say so at once. "AMQP" with another version: wait for
        // all 8 bytes so the reason shows the version the client asked for.
        if (mismatch >= 0 && (mismatch < 4 || readable == ProtocolHeader.LENGTH)) {
            fail(in, out, MalformedFrame.badProtocolHeader("protocol header: "
                    + ProtocolHeader.describe(in, index, readable) + " (expected: 'AMQP' 0 0 9 1)"));
            return;
        }
        if (readable < ProtocolHeader.LENGTH) {
            return;
        }
        in.skipBytes(ProtocolHeader.LENGTH);
        state = State.FRAME;
        out.add(ProtocolHeader.INSTANCE);
    }

    private void decodeFrame(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < FRAME_PREFIX_SIZE) {
            return;
        }
        int start = in.readerIndex();
        int type = in.getUnsignedByte(start);
        int channel = in.getUnsignedShort(start + 1);
        long size = in.getUnsignedInt(start + 3);
        if (type != FRAME_METHOD && type != FRAME_HEADER && type != FRAME_BODY && type != FRAME_HEARTBEAT) {
            if (facingServer && !anyFrame && ProtocolHeader.looksLikeHeader(in, start, in.readableBytes())) {
                // A server that refuses our version answers with its own header (spec §4.2.2).
                int n = Math.min(in.readableBytes(), ProtocolHeader.LENGTH);
                fail(in, out, MalformedFrame.badProtocolHeader("protocol header from the peer: "
                        + ProtocolHeader.describe(in, start, n) + " (expected: a frame; it refused 'AMQP' 0 0 9 1)"));
            } else {
                fail(in, out, new MalformedFrame(FRAME_ERROR, "frame type: " + type
                        + " (expected: 1, 2, 3 or 8)", channel));
            }
            return;
        }
        if (size + FRAME_OVERHEAD > maxFrameSize) {
            fail(in, out, new MalformedFrame(FRAME_ERROR, "frame size: " + (size + FRAME_OVERHEAD)
                    + " (expected: <= " + maxFrameSize + ")", channel));
            return;
        }
        int length = (int) size;
        if (in.readableBytes() < length + FRAME_OVERHEAD) {
            return;
        }
        int payload = start + FRAME_PREFIX_SIZE;
        int end = in.getUnsignedByte(payload + length);
        if (end != FRAME_END) {
            fail(in, out, new MalformedFrame(FRAME_ERROR, String.format(
                    "frame end: 0x%02x (expected: 0x%02x)", end, FRAME_END), channel));
            return;
        }
        MalformedFrame error = switch (type) {
            case FRAME_METHOD -> decodeMethodFrame(in, channel, payload, length, out);
            case FRAME_HEADER -> decodeHeaderFrame(in, channel, payload, length, out);
            case FRAME_BODY -> decodeBodyFrame(in, channel, payload, length, out);
            default -> decodeHeartbeat(in, channel, payload, length, out);
        };
        if (error != null) {
            fail(in, out, error);
            return;
        }
        anyFrame = true;
    }

    private MalformedFrame decodeMethodFrame(ByteBuf in, int channel, int payload, int length, List<Object> out) {
        MalformedFrame error = content.onMethod(channel);
        if (error != null) {
            return error;
        }
        in.readerIndex(payload);
        Method method;
        try {
            method = FrameCodec.decodeMethod(in, length, maxTableDepth);
        } catch (AmqpCodecException e) {
            int classId = length >= 2 ? in.getUnsignedShort(payload) : 0;
            int methodId = length >= 4 ? in.getUnsignedShort(payload + 2) : 0;
            return new MalformedFrame(e.replyCode(), e.getMessage(), channel, classId, methodId, false);
        }
        in.readerIndex(payload + length + 1);
        content.afterMethod(channel, method.type());
        out.add(new MethodFrame(channel, method));
        return null;
    }

    private MalformedFrame decodeHeaderFrame(ByteBuf in, int channel, int payload, int length, List<Object> out) {
        // class-id, weight, body-size, then at least the 2-byte property flags (spec §4.2.6.1).
        if (length < CONTENT_HEADER_FIXED_SIZE + 2) {
            return new MalformedFrame(FRAME_ERROR, "content header frame size: " + (length + FRAME_OVERHEAD)
                    + " (expected: >= " + (CONTENT_HEADER_FIXED_SIZE + 2 + FRAME_OVERHEAD) + ")", channel);
        }
        int classId = in.getUnsignedShort(payload);
        int weight = in.getUnsignedShort(payload + 2);
        long bodySize = in.getLong(payload + 4);
        if (weight != 0) {
            // Spec §4.2.6.1: "The weight field is unused and must be zero."
            return new MalformedFrame(FRAME_ERROR, "content header weight: " + weight + " (expected: 0)", channel);
        }
        MalformedFrame error = content.onHeader(channel, classId, bodySize);
        if (error != null) {
            return error;
        }
        ByteBuf properties = in.retainedSlice(payload + CONTENT_HEADER_FIXED_SIZE, length - CONTENT_HEADER_FIXED_SIZE);
        in.readerIndex(payload + length + 1);
        out.add(new ContentHeaderFrame(channel, classId, bodySize, properties));
        return null;
    }

    private MalformedFrame decodeBodyFrame(ByteBuf in, int channel, int payload, int length, List<Object> out) {
        MalformedFrame error = content.onBody(channel, length);
        if (error != null) {
            return error;
        }
        ByteBuf body = in.retainedSlice(payload, length);
        in.readerIndex(payload + length + 1);
        out.add(new ContentBodyFrame(channel, body));
        return null;
    }

    private static MalformedFrame decodeHeartbeat(ByteBuf in, int channel, int payload, int length, List<Object> out) {
        // Spec §4.2.7: heartbeats use channel 0; anything else is a frame error.
        if (channel != 0) {
            return new MalformedFrame(FRAME_ERROR, "heartbeat frame channel: " + channel + " (expected: 0)", channel);
        }
        if (length != 0) {
            return new MalformedFrame(FRAME_ERROR, "heartbeat frame size: " + (length + FRAME_OVERHEAD)
                    + " (expected: " + FRAME_OVERHEAD + ")", channel);
        }
        in.readerIndex(payload + length + 1);
        out.add(HeartbeatFrame.INSTANCE);
        return null;
    }

    private void fail(ByteBuf in, List<Object> out, MalformedFrame error) {
        state = State.BAD_MESSAGE;
        in.skipBytes(in.readableBytes());
        out.add(error);
    }
}

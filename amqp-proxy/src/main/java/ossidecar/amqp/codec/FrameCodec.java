package ossidecar.amqp.codec;

import static ossidecar.amqp.codec.ReplyCode.FRAME_ERROR;

import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.Map;

/**
 * Method payloads derived from {@link MethodType}'s table (spec §4.2.4: class-id, method-id,
 * then the arguments; consecutive bits packed into octets, spec §4.2.5.2), and whole frames
 * for the encoder (spec §4.2.3). No method is written by hand: each one walks its field list.
 *
 * <p>Decoding a method reports a payload that ends too early, or has bytes after the last field,
 * as 501 FRAME_ERROR (RabbitMQ does the same: the frame's payload does not match its method), a
 * malformed field table or non-UTF-8 shortstr as 502 SYNTAX_ERROR, and unknown ids as
 * 540 NOT_IMPLEMENTED.
 */
public final class FrameCodec {
    private FrameCodec() {
    }

    /** Writes class-id, method-id and the arguments. */
    public static void encodeMethod(Method method, ByteBuf out) {
        MethodType type = method.type();
        out.writeShort(type.classId()).writeShort(type.methodId());
        int bits = 0;
        int bitCount = 0;
        for (int i = 0, n = type.fieldCount(); i < n; i++) {
            FieldType ft = type.field(i).type();
            Object v = method.value(i);
            if (ft == FieldType.BIT) {
                if (bitCount == 8) {
                    out.writeByte(bits);
                    bits = 0;
                    bitCount = 0;
                }
                if ((Boolean) v) {
                    bits |= 1 << bitCount;
                }
                bitCount++;
                continue;
            }
            if (bitCount > 0) {
                out.writeByte(bits);
                bits = 0;
                bitCount = 0;
            }
            switch (ft) {
                case OCTET -> out.writeByte((Integer) v);
                case SHORT -> out.writeShort((Integer) v);
                case LONG -> out.writeInt((int) (long) (Long) v);
                case LONGLONG -> out.writeLong((Long) v);
                case SHORTSTR -> WireFormat.writeShortstr(out, (String) v);
                case LONGSTR -> WireFormat.writeLongstr(out, (LongString) v);
                case TIMESTAMP -> WireFormat.writeTimestamp(out, (Instant) v);
                case TABLE -> {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> table = (Map<String, ?>) v;
                    FieldTableCodec.writeTable(out, table);
                }
                default -> throw new AssertionError(ft);
            }
        }
        if (bitCount > 0) {
            out.writeByte(bits);
        }
    }

    /** Decodes all readable bytes as one method payload, with the default table depth limit. */
    public static Method decodeMethod(ByteBuf in) {
        return decodeMethod(in, FieldTables.DEFAULT_MAX_DEPTH);
    }

    /** Decodes all readable bytes as one method payload; throws {@link AmqpCodecException}. */
    public static Method decodeMethod(ByteBuf in, int maxTableDepth) {
        return decodeMethod(in, in.readableBytes(), maxTableDepth);
    }

    /** Decodes the {@code length} bytes at the reader index as a method payload, consuming them. */
    static Method decodeMethod(ByteBuf in, int length, int maxTableDepth) {
        int end = in.readerIndex() + length;
        if (length < 4) {
            throw new AmqpCodecException(FRAME_ERROR, "method frame size: " + length + " (expected: >= 4)");
        }
        int classId = in.readUnsignedShort();
        int methodId = in.readUnsignedShort();
        MethodType type = MethodType.of(classId, methodId);
        if (type == null) {
            throw new AmqpCodecException(ReplyCode.NOT_IMPLEMENTED, "method: class-id " + classId
                    + ", method-id " + methodId + " (expected: a method of AMQP 0-9-1)");
        }
        Object[] values = new Object[type.fieldCount()];
        int bits = 0;
        int bitMask = 0x100;
        int i = 0;
        try {
            for (; i < values.length; i++) {
                FieldType ft = type.field(i).type();
                if (ft == FieldType.BIT) {
                    if (bitMask == 0x100) {
                        WireFormat.need(in, end, 1, FRAME_ERROR);
                        bits = in.readUnsignedByte();
                        bitMask = 1;
                    }
                    values[i] = (bits & bitMask) != 0;
                    bitMask <<= 1;
                    continue;
                }
                bitMask = 0x100;
                values[i] = readField(in, end, ft, maxTableDepth);
            }
        } catch (AmqpCodecException e) {
            throw e.within(type + "." + type.field(i).name());
        }
        if (in.readerIndex() != end) {
            throw new AmqpCodecException(FRAME_ERROR, type + ": " + (end - in.readerIndex())
                    + " bytes after the last field (expected: 0)");
        }
        return new Method(type, values);
    }

    private static Object readField(ByteBuf in, int end, FieldType ft, int maxTableDepth) {
        switch (ft) {
            case OCTET:
                WireFormat.need(in, end, 1, FRAME_ERROR);
                return (int) in.readUnsignedByte();
            case SHORT:
                WireFormat.need(in, end, 2, FRAME_ERROR);
                return in.readUnsignedShort();
            case LONG:
                WireFormat.need(in, end, 4, FRAME_ERROR);
                return in.readUnsignedInt();
            case LONGLONG:
                WireFormat.need(in, end, 8, FRAME_ERROR);
                return in.readLong();
            case SHORTSTR:
                return WireFormat.readShortstr(in, end, FRAME_ERROR);
            case LONGSTR:
                return WireFormat.readLongstr(in, end, FRAME_ERROR);
            case TIMESTAMP:
                return WireFormat.readTimestamp(in, end, FRAME_ERROR);
            case TABLE:
                return FieldTableCodec.readTable(in, end, 1, maxTableDepth);
            default:
                throw new AssertionError(ft);
        }
    }

    /**
     * Writes a whole frame: type, channel, size, payload, frame-end. Body payloads are copied;
     * {@link AmqpFrameEncoder} avoids that copy for large bodies. Does not release the frame.
     */
    public static void encodeFrame(Frame frame, ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(frameType(frame)).writeShort(frame.channel()).writeInt(0);
        if (frame instanceof MethodFrame m) {
            encodeMethod(m.method(), out);
        } else if (frame instanceof ContentHeaderFrame h) {
            out.writeShort(h.classId()).writeShort(0).writeLong(h.bodySize());
            ByteBuf props = h.properties();
            out.writeBytes(props, props.readerIndex(), props.readableBytes());
        } else if (frame instanceof ContentBodyFrame b) {
            ByteBuf payload = b.payload();
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        }
        out.setInt(start + 3, out.writerIndex() - start - AmqpConstants.FRAME_PREFIX_SIZE);
        out.writeByte(AmqpConstants.FRAME_END);
    }

    static int frameType(Frame frame) {
        if (frame instanceof MethodFrame) {
            return AmqpConstants.FRAME_METHOD;
        } else if (frame instanceof ContentHeaderFrame) {
            return AmqpConstants.FRAME_HEADER;
        } else if (frame instanceof ContentBodyFrame) {
            return AmqpConstants.FRAME_BODY;
        }
        return AmqpConstants.FRAME_HEARTBEAT;
    }
}

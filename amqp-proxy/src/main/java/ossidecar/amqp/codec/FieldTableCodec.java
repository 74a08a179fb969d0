package ossidecar.amqp.codec;

import static ossidecar.amqp.codec.ReplyCode.SYNTAX_ERROR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field tables and arrays on the wire (spec §4.2.5.5 with RabbitMQ's errata for the value
 * types; see {@link FieldTables} for the Java type of each). Decoding checks every length against
 * the enclosing bound and the nesting depth against a limit, and reports bad input as
 * {@link AmqpCodecException} 502 SYNTAX_ERROR (a bad field value, spec §4.2.3). A key that occurs
 * twice keeps its first value, as the RabbitMQ Java client does.
 */
public final class FieldTableCodec {
    private FieldTableCodec() {
    }

    /** Decodes a length-prefixed table at the reader index, advancing past it. */
    public static Map<String, Object> decodeTable(ByteBuf in, int maxDepth) {
        try {
            return readTable(in, in.writerIndex(), 1, maxDepth);
        } catch (AmqpCodecException e) {
            throw e.within("table");
        }
    }

    /** Encodes a length-prefixed table; accepts the types {@link FieldTables} lists. */
    public static void encodeTable(Map<String, ?> table, ByteBuf out) {
        writeTable(out, table);
    }

    /**
     * Errors name where they happened, {@code [key]} per table level and {@code [index]} per
     * array level, added on the way out of the failure.
     */
    static Map<String, Object> readTable(ByteBuf in, int end, int depth, int maxDepth) {
        checkDepth(depth, maxDepth);
        int length = WireFormat.readLength(in, end, SYNTAX_ERROR);
        if (length == 0) {
            return Map.of();
        }
        int tableEnd = in.readerIndex() + length;
        Map<String, Object> table = new LinkedHashMap<>();
        while (in.readerIndex() < tableEnd) {
            String key;
            try {
                key = WireFormat.readShortstr(in, tableEnd, SYNTAX_ERROR);
            } catch (AmqpCodecException e) {
                throw e.within("key");
            }
            Object value;
            try {
                value = readValue(in, tableEnd, depth, maxDepth);
            } catch (AmqpCodecException e) {
                throw e.within("[" + key + "]");
            }
            table.putIfAbsent(key, value);
        }
        return Collections.unmodifiableMap(table);
    }

    private static List<Object> readArray(ByteBuf in, int end, int depth, int maxDepth) {
        checkDepth(depth, maxDepth);
        int length = WireFormat.readLength(in, end, SYNTAX_ERROR);
        if (length == 0) {
            return List.of();
        }
        int arrayEnd = in.readerIndex() + length;
        List<Object> values = new ArrayList<>();
        while (in.readerIndex() < arrayEnd) {
            try {
                values.add(readValue(in, arrayEnd, depth, maxDepth));
            } catch (AmqpCodecException e) {
                throw e.within("[" + values.size() + "]");
            }
        }
        return Collections.unmodifiableList(values);
    }

    private static Object readValue(ByteBuf in, int end, int depth, int maxDepth) {
        WireFormat.need(in, end, 1, SYNTAX_ERROR);
        int type = in.readUnsignedByte();
        switch (type) {
            case 't':
                WireFormat.need(in, end, 1, SYNTAX_ERROR);
                return in.readByte() != 0;
            case 'b':
                WireFormat.need(in, end, 1, SYNTAX_ERROR);
                return in.readByte();
            case 'B':
                WireFormat.need(in, end, 1, SYNTAX_ERROR);
                return Unsigned.u8(in.readUnsignedByte());
            case 's':
                WireFormat.need(in, end, 2, SYNTAX_ERROR);
                return in.readShort();
            case 'u':
                WireFormat.need(in, end, 2, SYNTAX_ERROR);
                return Unsigned.u16(in.readUnsignedShort());
            case 'I':
                WireFormat.need(in, end, 4, SYNTAX_ERROR);
                return in.readInt();
            case 'i':
                WireFormat.need(in, end, 4, SYNTAX_ERROR);
                return Unsigned.u32(in.readUnsignedInt());
            case 'l':
                WireFormat.need(in, end, 8, SYNTAX_ERROR);
                return in.readLong();
            case 'f':
                WireFormat.need(in, end, 4, SYNTAX_ERROR);
                return in.readFloat();
            case 'd':
                WireFormat.need(in, end, 8, SYNTAX_ERROR);
                return in.readDouble();
            case 'D': {
                WireFormat.need(in, end, 5, SYNTAX_ERROR);
                int scale = in.readUnsignedByte();
                return new BigDecimal(BigInteger.valueOf(in.readInt()), scale);
            }
            case 'S':
                return WireFormat.readLongstr(in, end, SYNTAX_ERROR);
            case 'A':
                return readArray(in, end, depth + 1, maxDepth);
            case 'T':
                return WireFormat.readTimestamp(in, end, SYNTAX_ERROR);
            case 'F':
                return readTable(in, end, depth + 1, maxDepth);
            case 'V':
                return null;
            case 'x':
                return ByteArray.read(in, WireFormat.readLength(in, end, SYNTAX_ERROR));
            default:
                throw new AmqpCodecException(SYNTAX_ERROR, "value type: " + describeType(type)
                        + " (expected: one of tbBsuIilfdDSATFVx)");
        }
    }

    private static String describeType(int type) {
        return type >= 0x21 && type < 0x7F
                ? "'" + (char) type + "'"
                : String.format("0x%02x", type);
    }

    private static void checkDepth(int depth, int maxDepth) {
        if (depth > maxDepth) {
            throw new AmqpCodecException(SYNTAX_ERROR, "depth: " + depth + " (expected: <= " + maxDepth + ")");
        }
    }

    static void writeTable(ByteBuf out, Map<String, ?> table) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Map.Entry<String, ?> e : table.entrySet()) {
            WireFormat.writeShortstr(out, e.getKey());
            writeValue(out, e.getValue());
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    private static void writeArray(ByteBuf out, Iterable<?> values) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        for (Object v : values) {
            writeValue(out, v);
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(ByteBuf out, Object v) {
        if (v instanceof LongString s) {
            out.writeByte('S');
            WireFormat.writeLongstr(out, s);
        } else if (v instanceof String s) {
            out.writeByte('S');
            int lengthIndex = out.writerIndex();
            out.writeInt(0);
            out.setInt(lengthIndex, ByteBufUtil.writeUtf8(out, s));
        } else if (v instanceof Integer i) {
            out.writeByte('I').writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte('l').writeLong(l);
        } else if (v instanceof Boolean b) {
            out.writeByte('t').writeByte(b ? 1 : 0);
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte('F');
            writeTable(out, (Map<String, ?>) m);
        } else if (v instanceof List<?> l) {
            out.writeByte('A');
            writeArray(out, l);
        } else if (v == null) {
            out.writeByte('V');
        } else if (v instanceof Byte b) {
            out.writeByte('b').writeByte(b);
        } else if (v instanceof Short s) {
            out.writeByte('s').writeShort(s);
        } else if (v instanceof Unsigned u) {
            out.writeByte(u.tag());
            switch (u.tag()) {
                case 'B' -> out.writeByte(u.intValue());
                case 'u' -> out.writeShort(u.intValue());
                default -> out.writeInt(u.intValue());
            }
        } else if (v instanceof Float f) {
            out.writeByte('f').writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte('d').writeDouble(d);
        } else if (v instanceof BigDecimal d) {
            FieldTables.checkDecimal(d);
            out.writeByte('D').writeByte(d.scale()).writeInt(d.unscaledValue().intValue());
        } else if (v instanceof Instant t) {
            out.writeByte('T');
            WireFormat.writeTimestamp(out, t);
        } else if (v instanceof Date d) {
            out.writeByte('T').writeLong(Math.floorDiv(d.getTime(), 1000L));
        } else if (v instanceof ByteArray a) {
            out.writeByte('x').writeInt(a.length());
            a.writeTo(out);
        } else if (v instanceof byte[] b) {
            out.writeByte('x').writeInt(b.length).writeBytes(b);
        } else if (v instanceof Object[] a) {
            out.writeByte('A');
            writeArray(out, Arrays.asList(a));
        } else {
            throw new IllegalArgumentException("table value type: " + v.getClass().getName()
                    + " (expected: " + FieldTables.TYPES + ")");
        }
    }
}

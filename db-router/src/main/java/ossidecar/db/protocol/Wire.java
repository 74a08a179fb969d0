package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol's basic data types on a {@link ByteBuf} (MariaDB manual, "Protocol Data
 * Types"): little-endian fixed-length integers, length-encoded integers and strings,
 * NUL-terminated strings. Every read checks the bytes it needs first and raises
 * {@link MysqlProtocolException} naming the field, so a truncated packet never surfaces as an
 * {@code IndexOutOfBoundsException}. Text is UTF-8. The {@code what} arguments are constant
 * field names for error messages.
 */
public final class Wire {
    /** The first byte of a length-encoded integer that means NULL in a text result row. */
    public static final int NULL_MARKER = 0xFB;

    private Wire() {
    }

    // ---- fixed-length integers ----

    public static int readUnsignedByte(ByteBuf buf, String what) {
        require(buf, 1, what);
        return buf.readUnsignedByte();
    }

    public static int readUnsignedShortLE(ByteBuf buf, String what) {
        require(buf, 2, what);
        return buf.readUnsignedShortLE();
    }

    public static int readUnsignedMediumLE(ByteBuf buf, String what) {
        require(buf, 3, what);
        return buf.readUnsignedMediumLE();
    }

    public static long readUnsignedIntLE(ByteBuf buf, String what) {
        require(buf, 4, what);
        return buf.readUnsignedIntLE();
    }

    public static long readLongLE(ByteBuf buf, String what) {
        require(buf, 8, what);
        return buf.readLongLE();
    }

    public static byte[] readBytes(ByteBuf buf, int length, String what) {
        require(buf, length, what);
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return bytes;
    }

    public static void skipBytes(ByteBuf buf, int length, String what) {
        require(buf, length, what);
        buf.skipBytes(length);
    }

    // ---- length-encoded integers ----

    /**
     * Reads a length-encoded integer: one byte below 0xFB, else 0xFC + 2 bytes, 0xFD + 3 bytes,
     * 0xFE + 8 bytes. The 8-byte form is unsigned; values above {@code Long.MAX_VALUE} come back
     * negative. 0xFB (NULL, only meaningful in rows) and 0xFF (ERR header) are rejected.
     */
    public static long readLengthEncodedInteger(ByteBuf buf, String what) {
        long value = getLengthEncodedInteger(buf, buf.readerIndex(), what);
        buf.skipBytes(lengthEncodedIntegerSize(buf.getUnsignedByte(buf.readerIndex()), what));
        return value;
    }

    /** Consumes a NULL marker (0xFB) of a text row if one is next; returns whether it did. */
    public static boolean readNullIfPresent(ByteBuf buf) {
        if (buf.isReadable() && buf.getUnsignedByte(buf.readerIndex()) == NULL_MARKER) {
            buf.skipBytes(1);
            return true;
        }
        return false;
    }

    /**
     * Reads the length-encoded integer at an absolute index without moving the reader index:
     * what the response tracker uses to peek at column counts and OK packet fields.
     */
    public static long getLengthEncodedInteger(ByteBuf buf, int index, String what) {
        requireAt(buf, index, 1, what);
        int first = buf.getUnsignedByte(index);
        int size = lengthEncodedIntegerSize(first, what);
        requireAt(buf, index, size, what);
        return switch (size) {
            case 1 -> first;
            case 3 -> buf.getUnsignedShortLE(index + 1);
            case 4 -> buf.getUnsignedMediumLE(index + 1);
            default -> buf.getLongLE(index + 1);
        };
    }

    /** The encoded size (1, 3, 4 or 9) of a length-encoded integer starting with {@code firstByte}. */
    public static int lengthEncodedIntegerSize(int firstByte, String what) {
        if (firstByte < NULL_MARKER) {
            return 1;
        }
        return switch (firstByte) {
            case 0xFC -> 3;
            case 0xFD -> 4;
            case 0xFE -> 9;
            case NULL_MARKER -> throw new MysqlProtocolException(what + ": unexpected NULL (0xfb) where a length-encoded integer is required");
            default -> throw new MysqlProtocolException(what + ": 0x" + Integer.toHexString(firstByte)
                    + " is not a valid length-encoded integer prefix");
        };
    }

    /** The number of bytes {@link #writeLengthEncodedInteger} writes for {@code value}. */
    public static int lengthEncodedIntegerSize(long value) {
        if (value >= 0 && value < 0xFB) {
            return 1;
        }
        if (value >= 0 && value < 0x1_0000) {
            return 3;
        }
        if (value >= 0 && value < 0x100_0000) {
            return 4;
        }
        return 9;
    }

    /** Writes {@code value} (unsigned; negative means above {@code Long.MAX_VALUE}) in the shortest form. */
    public static void writeLengthEncodedInteger(ByteBuf buf, long value) {
        switch (lengthEncodedIntegerSize(value)) {
            case 1 -> buf.writeByte((int) value);
            case 3 -> buf.writeByte(0xFC).writeShortLE((int) value);
            case 4 -> buf.writeByte(0xFD).writeMediumLE((int) value);
            default -> buf.writeByte(0xFE).writeLongLE(value);
        }
    }

    // ---- length-encoded strings ----

    public static byte[] readLengthEncodedBytes(ByteBuf buf, String what) {
        return readBytes(buf, readLength(buf, what), what);
    }

    public static String readLengthEncodedString(ByteBuf buf, String what) {
        int length = readLength(buf, what);
        require(buf, length, what);
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length);
        return value;
    }

    public static void writeLengthEncodedBytes(ByteBuf buf, byte[] value) {
        writeLengthEncodedInteger(buf, value.length);
        buf.writeBytes(value);
    }

    public static void writeLengthEncodedString(ByteBuf buf, String value) {
        writeLengthEncodedInteger(buf, ByteBufUtil.utf8Bytes(value));
        buf.writeCharSequence(value, StandardCharsets.UTF_8);
    }

    /** The number of bytes {@link #writeLengthEncodedString} writes for {@code value}. */
    public static int lengthEncodedStringSize(String value) {
        int length = ByteBufUtil.utf8Bytes(value);
        return lengthEncodedIntegerSize(length) + length;
    }

    private static int readLength(ByteBuf buf, String what) {
        long length = readLengthEncodedInteger(buf, what);
        if (length < 0 || length > buf.readableBytes()) {
            throw new MysqlProtocolException("truncated " + what + ": length " + Long.toUnsignedString(length)
                    + " exceeds the " + buf.readableBytes() + " remaining bytes");
        }
        return (int) length;
    }

    // ---- NUL-terminated strings ----

    public static String readNulTerminatedString(ByteBuf buf, String what) {
        int length = nulTerminatedLength(buf, what);
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length + 1);
        return value;
    }

    public static byte[] readNulTerminatedBytes(ByteBuf buf, String what) {
        byte[] value = readBytes(buf, nulTerminatedLength(buf, what), what);
        buf.skipBytes(1);
        return value;
    }

    /**
     * Reads a string up to a NUL byte or the end of the packet. Some servers omit the NUL after
     * the last string of a packet (the auth plugin name of MySQL 5.5.7-5.5.9, MySQL Bug#59453).
     */
    public static String readNulTerminatedStringOrRest(ByteBuf buf) {
        int length = buf.bytesBefore((byte) 0);
        if (length < 0) {
            return readRestAsString(buf);
        }
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length + 1);
        return value;
    }

    public static void writeNulTerminatedString(ByteBuf buf, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL-terminated string cannot contain NUL: " + value.replace('\0', '?'));
        }
        buf.writeCharSequence(value, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }

    private static int nulTerminatedLength(ByteBuf buf, String what) {
        int length = buf.bytesBefore((byte) 0);
        if (length < 0) {
            throw new MysqlProtocolException("unterminated " + what + ": no NUL byte in the remaining "
                    + buf.readableBytes() + " bytes");
        }
        return length;
    }

    // ---- rest of packet ----

    /** Reads the rest of the packet as text (string&lt;EOF&gt;). */
    public static String readRestAsString(ByteBuf buf) {
        String value = buf.toString(StandardCharsets.UTF_8);
        buf.skipBytes(buf.readableBytes());
        return value;
    }

    public static byte[] readRestAsBytes(ByteBuf buf) {
        return readBytes(buf, buf.readableBytes(), "rest of packet");
    }

    // ---- connection attributes ----

    /**
     * Reads connection attributes: a length-encoded total size, then that many bytes of
     * length-encoded key/value string pairs (MariaDB manual, "Connection", Handshake response).
     */
    public static Map<String, String> readConnectAttributes(ByteBuf buf) {
        ByteBuf region = buf.readSlice(readLength(buf, "connection attributes"));
        Map<String, String> attributes = new LinkedHashMap<>();
        while (region.isReadable()) {
            String key = readLengthEncodedString(region, "connection attribute name");
            attributes.put(key, readLengthEncodedString(region, "connection attribute value"));
        }
        return Collections.unmodifiableMap(attributes);
    }

    public static void writeConnectAttributes(ByteBuf buf, Map<String, String> attributes) {
        long size = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            size += lengthEncodedStringSize(e.getKey()) + lengthEncodedStringSize(e.getValue());
        }
        writeLengthEncodedInteger(buf, size);
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            writeLengthEncodedString(buf, e.getKey());
            writeLengthEncodedString(buf, e.getValue());
        }
    }

    // ---- bounds ----

    static void require(ByteBuf buf, int length, String what) {
        if (length < 0 || buf.readableBytes() < length) {
            throw new MysqlProtocolException("truncated " + what + ": needs " + length + " bytes, has "
                    + buf.readableBytes());
        }
    }

    private static void requireAt(ByteBuf buf, int index, int length, String what) {
        int available = buf.writerIndex() - index;
        if (index < buf.readerIndex() || available < length) {
            throw new MysqlProtocolException("truncated " + what + ": needs " + length + " bytes, has "
                    + Math.max(available, 0));
        }
    }
}

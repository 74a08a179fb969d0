package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * An immutable field-table byte array (type {@code x}, RabbitMQ's errata to spec §4.2.5.5). Kept
 * apart from {@link LongString} so a table relays with the same type tags it arrived with.
 */
public final class ByteArray {
    public static final ByteArray EMPTY = new ByteArray(new byte[0]);
    private static final int TO_STRING_MAX_BYTES = 32;

    private final byte[] bytes;

    private ByteArray(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}. */
    public static ByteArray of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new ByteArray(bytes.clone());
    }

    static ByteArray read(ByteBuf in, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] b = new byte[length];
        in.readBytes(b);
        return new ByteArray(b);
    }

    void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    public int length() {
        return bytes.length;
    }

    /** A copy of the octets. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteArray a && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Hex of the first bytes, e.g. {@code x[3]0a0b0c}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("x[").append(bytes.length).append(']');
        int n = Math.min(bytes.length, TO_STRING_MAX_BYTES);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        if (n < bytes.length) {
            sb.append("...");
        }
        return sb.toString();
    }
}

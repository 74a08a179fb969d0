package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * An immutable field-table byte array (type {@code x}, RabbitMQ's errata to spec §4.2.5.5). Kept
 * apart from {@link LongString} so a table relays with the same type tags it arrived with.
 */
public final class ByteArray extends Octets {
    public static final ByteArray EMPTY = new ByteArray(new byte[0]);
    private static final int TO_STRING_MAX_BYTES = 32;

    private ByteArray(byte[] bytes) {
        super(bytes);
    }

    /** Copies {@code bytes}. */
    public static ByteArray of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new ByteArray(bytes.clone());
    }

    static ByteArray read(ByteBuf in, int length) {
        if (length == 0) {
            return EMPTY;
        }
        return new ByteArray(readBytes(in, length));
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

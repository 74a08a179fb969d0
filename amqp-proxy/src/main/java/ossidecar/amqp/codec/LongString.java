package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable longstr (spec §4.2.5.3): any octets, UTF-8 by convention but not by rule, so the
 * bytes are kept as received and relayed unchanged. Field-table values of type {@code S} and
 * method fields of domain longstr decode to this type. {@link #toString()} is the UTF-8 text.
 */
public final class LongString {
    public static final LongString EMPTY = new LongString(new byte[0]);

    private final byte[] bytes;

    private LongString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static LongString of(String text) {
        return text.isEmpty() ? EMPTY : new LongString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies {@code bytes}. */
    public static LongString of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new LongString(bytes.clone());
    }

    /** Reads {@code length} octets at the reader index; the caller has checked they are there. */
    static LongString read(ByteBuf in, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] b = new byte[length];
        in.readBytes(b);
        return new LongString(b);
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
        return o instanceof LongString s && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The octets decoded as UTF-8 (malformed sequences become U+FFFD). */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

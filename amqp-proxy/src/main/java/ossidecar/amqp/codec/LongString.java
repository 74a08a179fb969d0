package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An immutable longstr (spec §4.2.5.3): any octets, UTF-8 by convention but not by rule, so the
 * bytes are kept as received and relayed unchanged. Field-table values of type {@code S} and
 * method fields of domain longstr decode to this type. {@link #toString()} is the UTF-8 text.
 */
public final class LongString extends Octets {
    public static final LongString EMPTY = new LongString(new byte[0]);

    private LongString(byte[] bytes) {
        super(bytes);
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
        return new LongString(readBytes(in, length));
    }

    /** The octets decoded as UTF-8 (malformed sequences become U+FFFD). */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

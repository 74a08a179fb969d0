package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Immutable octets as a field-table or method value: kept exactly as received, so they relay
 * unchanged. Subclasses say which wire type they are ({@code S} longstr or {@code x} byte
 * array), which a table must keep to re-encode with the same tags.
 */
public abstract class Octets {
    final byte[] bytes;

    Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Reads {@code length} octets at the reader index; the caller has checked they are there. */
    static byte[] readBytes(ByteBuf in, int length) {
        byte[] b = new byte[length];
        in.readBytes(b);
        return b;
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

    /** Equal when of the same wire type with the same octets. */
    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(((Octets) o).bytes, bytes);
    }

    @Override
    public final int hashCode() {
        return 31 * getClass().hashCode() + Arrays.hashCode(bytes);
    }
}

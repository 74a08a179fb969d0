package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The strings a proxy decodes over and over (exchange names, routing keys, consumer tags: the
 * same few on every publish and delivery), kept so that a repeat costs a byte comparison instead
 * of a UTF-8 check, a decode and two allocations. Direct-mapped by a hash of the bytes; a slot
 * holds the last string that hashed there. Shared by every connection without locks: entries
 * are immutable and a lost race only costs a miss.
 */
final class ShortstrCache {
    private static final int SLOTS = 1024;
    private static final Entry[] ENTRIES = new Entry[SLOTS];

    private record Entry(byte[] bytes, String value) {
    }

    private ShortstrCache() {
    }

    /**
     * The string of the {@code length} bytes at {@code index}, or null when they are not cached
     * (the caller decodes and {@link #put}s them).
     */
    static String get(ByteBuf in, int index, int length) {
        Entry e = ENTRIES[slot(in, index, length)];
        if (e == null || e.bytes.length != length) {
            return null;
        }
        byte[] b = e.bytes;
        for (int i = 0; i < length; i++) {
            if (in.getByte(index + i) != b[i]) {
                return null;
            }
        }
        return e.value;
    }

    /** Remembers {@code value}, the decoded form of the {@code length} bytes at {@code index}. */
    static void put(ByteBuf in, int index, int length, String value) {
        byte[] bytes = new byte[length];
        in.getBytes(index, bytes);
        ENTRIES[slot(in, index, length)] = new Entry(bytes, value);
    }

    /** Exposed for tests: decodes through the cache. */
    static String decode(ByteBuf in, int index, int length) {
        String s = get(in, index, length);
        if (s == null) {
            s = in.toString(index, length, StandardCharsets.UTF_8);
            put(in, index, length, s);
        }
        return s;
    }

    private static int slot(ByteBuf in, int index, int length) {
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + in.getByte(index + i);
        }
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}

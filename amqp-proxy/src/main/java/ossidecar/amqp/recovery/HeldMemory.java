package ossidecar.amqp.recovery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import ossidecar.amqp.codec.ContentBodyFrame;
import ossidecar.amqp.codec.ContentHeaderFrame;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.FrameCodec;
import ossidecar.amqp.codec.MethodFrame;

/**
 * The memory a frame the proxy holds on to really keeps alive, for the per-connection buffer
 * bound. Content arrives as retained slices of the socket read buffer: a slice pins that whole
 * buffer, so it counts as the buffer's capacity, not as its own length ({@link #compactedIfWasteful}
 * gives a small slice a buffer of its own). A decoded method is Java objects: counted as twice
 * its wire size (strings are UTF-16, tables are maps) plus the frame and method objects.
 */
public final class HeldMemory {
    /** A slice is copied out when its buffer is more than this many times its size. */
    static final int WASTE_FACTOR = 2;
    /** Object headers and references of a frame with its method (a rough, deliberately high figure). */
    static final int METHOD_OVERHEAD = 96;
    /** A content header frame's fixed part: class, weight, body size, flags. */
    static final int HEADER_FIXED = 14;

    private HeldMemory() {
    }

    /** What holding {@code f} keeps in memory. */
    public static long of(Frame f) {
        if (f instanceof ContentBodyFrame b) {
            return pinned(b.payload());
        }
        if (f instanceof ContentHeaderFrame h) {
            return pinned(h.properties()) + HEADER_FIXED;
        }
        if (f instanceof MethodFrame m) {
            return METHOD_OVERHEAD + 2L * wireSize(m);
        }
        return METHOD_OVERHEAD;
    }

    /** The capacity of the buffer {@code b} is a view of (itself when it is not a view). */
    static long pinned(ByteBuf b) {
        ByteBuf root = b;
        for (ByteBuf up = root.unwrap(); up != null; up = up.unwrap()) {
            root = up;
        }
        return Math.max(root.capacity(), b.readableBytes());
    }

    /** Whether {@code b} pins a buffer much larger than itself. */
    static boolean wasteful(ByteBuf b) {
        return pinned(b) > (long) WASTE_FACTOR * b.readableBytes() + 64;
    }

    /**
     * {@code b} itself when it does not pin much more than its size; otherwise a copy in a buffer
     * of its own (from the same allocator) and {@code b} released.
     */
    static ByteBuf compactedIfWasteful(ByteBuf b) {
        if (!wasteful(b)) {
            return b;
        }
        ByteBuf copy = b.alloc().buffer(b.readableBytes(), b.readableBytes());
        copy.writeBytes(b, b.readerIndex(), b.readableBytes());
        b.release();
        return copy;
    }

    private static int wireSize(MethodFrame m) {
        ByteBuf scratch = Unpooled.buffer(64);
        try {
            FrameCodec.encodeMethod(m.method(), scratch);
            return scratch.readableBytes();
        } finally {
            scratch.release();
        }
    }
}

package ossidecar.amqp.codec;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Per-channel check of the content frame sequence (spec §4.2.6): a method with content is
 * followed on its channel by exactly one content header of its class, then body frames that add
 * up to the header's body-size, with no method in between. Frames of other channels may
 * interleave. A violation is 505 UNEXPECTED_FRAME (spec §4.2.3); a body frame larger than
 * what remains of the declared size is 501 FRAME_ERROR. Returns the violation's
 * {@link MalformedFrame} instead of throwing; null when the frame is in sequence.
 */
final class ContentTracker {
    /** One per channel that ever carried content, reused, so steady traffic allocates nothing. */
    private static final class Expecting {
        MethodType method;
        boolean header;
        long remaining;
    }

    private final IntObjectMap<Expecting> channels = new IntObjectHashMap<>();

    MalformedFrame onMethod(int channel) {
        Expecting e = channels.get(channel);
        if (e != null && e.method != null) {
            return unexpected(channel, "method", e);
        }
        return null;
    }

    /** After a method decoded: opens the content sequence when the method carries content. */
    void afterMethod(int channel, MethodType type) {
        if (type.hasContent()) {
            Expecting e = channels.get(channel);
            if (e == null) {
                e = new Expecting();
                channels.put(channel, e);
            }
            e.method = type;
            e.header = true;
        }
    }

    MalformedFrame onHeader(int channel, int classId, long bodySize) {
        Expecting e = channels.get(channel);
        if (e == null || e.method == null || !e.header) {
            return unexpected(channel, "content header", e);
        }
        if (classId != e.method.classId()) {
            return new MalformedFrame(ReplyCode.UNEXPECTED_FRAME, "content header class-id: " + classId
                    + " (expected: " + e.method.classId() + " for " + e.method + ")", channel);
        }
        e.header = false;
        e.remaining = bodySize;
        if (bodySize == 0) {
            e.method = null;
        }
        return null;
    }

    MalformedFrame onBody(int channel, int size) {
        Expecting e = channels.get(channel);
        if (e == null || e.method == null || e.header) {
            return unexpected(channel, "content body", e);
        }
        // remaining is unsigned 64-bit: a body-size above Long.MAX_VALUE must not look negative.
        if (Long.compareUnsigned(size, e.remaining) > 0) {
            return new MalformedFrame(ReplyCode.FRAME_ERROR, "content body frame size: " + size
                    + " (expected: <= " + Long.toUnsignedString(e.remaining) + " left of the body-size)", channel);
        }
        e.remaining -= size;
        if (e.remaining == 0) {
            e.method = null;
        }
        return null;
    }

    private static MalformedFrame unexpected(int channel, String got, Expecting e) {
        String expected = e == null || e.method == null
                ? "a method"
                : (e.header ? "the content header of " : "a content body of ") + e.method;
        return new MalformedFrame(ReplyCode.UNEXPECTED_FRAME,
                "frame on channel " + channel + ": " + got + " (expected: " + expected + ")", channel);
    }
}

package ossidecar.amqp.recovery;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import ossidecar.amqp.codec.ContentBodyFrame;
import ossidecar.amqp.codec.ContentHeaderFrame;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.MethodFrame;

/**
 * One content-bearing method with its header and body frames (§4.2.6), collected until the
 * body is complete. The proxy only ever passes on whole messages: a publish is kept whole for
 * re-publishing, and a delivery cut by an upstream loss must not reach the client half sent.
 * The decoder has already checked the frame sequence, so frames arrive in order here.
 *
 * <p>Holds references to the frames' buffers until {@link #release()}.
 */
public final class ContentAssembly {
    private final MethodFrame method;
    private ContentHeaderFrame header;
    private final List<ContentBodyFrame> bodies = new ArrayList<>(1);
    private long remaining = -1;
    private long bytes;

    public ContentAssembly(MethodFrame method) {
        this.method = method;
    }

    public MethodFrame method() {
        return method;
    }

    /** Takes over {@code frame} (a retained header or body); returns whether the content is complete. */
    public boolean add(Frame frame) {
        bytes += HeldMemory.of(frame);
        if (frame instanceof ContentHeaderFrame h) {
            header = h;
            remaining = h.bodySize();
        } else if (frame instanceof ContentBodyFrame b) {
            bodies.add(b);
            remaining -= b.payload().readableBytes();
        } else {
            throw new IllegalArgumentException("not a content frame: " + frame);
        }
        return complete();
    }

    public boolean complete() {
        return header != null && remaining == 0;
    }

    /** The memory header and bodies keep alive ({@link HeldMemory}): what the buffer bound counts. */
    public long bytes() {
        return bytes;
    }

    /**
     * For a message kept for long (until the broker confirms it): content frames that pin a
     * read buffer much larger than themselves get buffers of their own, so that a small kept
     * message does not hold a whole socket buffer. {@link #bytes()} is recounted.
     */
    public void compact() {
        long held = 0;
        if (header != null) {
            ByteBuf props = HeldMemory.compactedIfWasteful(header.properties().retain());
            if (props != header.properties()) {
                ContentHeaderFrame old = header;
                header = new ContentHeaderFrame(old.channel(), old.classId(), old.bodySize(), props);
                old.release();
            } else {
                props.release();
            }
            held += HeldMemory.of(header);
        }
        for (int i = 0; i < bodies.size(); i++) {
            ContentBodyFrame b = bodies.get(i);
            ByteBuf payload = HeldMemory.compactedIfWasteful(b.payload().retain());
            if (payload != b.payload()) {
                bodies.set(i, new ContentBodyFrame(b.channel(), payload));
                b.release();
            } else {
                payload.release();
            }
            held += HeldMemory.of(bodies.get(i));
        }
        bytes = held;
    }

    /** Writes the method and new references to the content frames; this assembly keeps its own. */
    public void writeTo(Consumer<Frame> out) {
        writeTo(method, out);
    }

    /** As {@link #writeTo(Consumer)} with another method (a rewritten tag or routing key). */
    public void writeTo(MethodFrame replacement, Consumer<Frame> out) {
        out.accept(replacement);
        out.accept(header.retainedDuplicate());
        for (ContentBodyFrame b : bodies) {
            out.accept(b.retainedDuplicate());
        }
    }

    public void release() {
        if (header != null) {
            header.release();
            header = null;
        }
        bodies.forEach(ContentBodyFrame::release);
        bodies.clear();
    }
}

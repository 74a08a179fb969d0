package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;

/**
 * {@code limit_data}: passes exactly {@code bytes} bytes of this direction, then ends the
 * stream (the connection closes); the rest of the chunk that crosses the limit is dropped. The
 * count survives updates, as Toxiproxy's per-connection toxic state does.
 */
final class LimitDataStage extends ToxicStage {
    private long transmitted;

    LimitDataStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        long remaining = Math.max(0, toxic.attribute("bytes") - transmitted);
        if (remaining < buf.readableBytes()) {
            int keep = (int) remaining;
            ByteBuf head = keep > 0 ? buf.readRetainedSlice(keep) : null;
            link.drop(buf);
            if (head != null) {
                transmitted += keep;
                emit(head);
            }
        } else {
            transmitted += buf.readableBytes();
            emit(buf);
        }
        if (toxic.attribute("bytes") - transmitted <= 0) {
            emitEnd();
        }
    }

    @Override
    protected void onEnd() {
        emitEnd();
    }
}

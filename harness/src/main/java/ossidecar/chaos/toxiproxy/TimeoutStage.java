package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code timeout}: drops all data. With {@code timeout} &gt; 0 the stream is closed that many ms
 * after the toxic started on this connection (restarted by an update); with 0 it stays open and
 * silent. Removing the toxic closes the connections it applied to (Toxiproxy's
 * {@code TimeoutToxic.Cleanup}), since their data is lost.
 */
final class TimeoutStage extends ToxicStage {
    private ScheduledFuture<?> timer;

    TimeoutStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        link.drop(buf);
    }

    @Override
    protected void onEnd() {
        emitEnd();
    }

    @Override
    protected void restart() {
        long timeout = toxic.attribute("timeout");
        if (active() && timeout > 0) {
            timer = loop().schedule(() -> {
                timer = null;
                emitEnd();
            }, timeout, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void interrupt() {
        timer = cancel(timer);
    }

    @Override
    void remove() {
        timer = cancel(timer);
        if (active()) {
            emitEnd();
        }
    }

    @Override
    void dispose() {
        timer = cancel(timer);
    }
}

package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code slow_close}: data passes unchanged; the end of the stream (and so the close of the
 * destination) is held for {@code delay} ms. An update restarts the wait with the new delay;
 * removal lets the end through at once.
 */
final class SlowCloseStage extends ToxicStage {
    private boolean endPending;
    private ScheduledFuture<?> timer;

    SlowCloseStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        emit(buf);
    }

    @Override
    protected void onEnd() {
        endPending = true;
        restart();
    }

    @Override
    protected void restart() {
        if (!endPending) {
            return;
        }
        long delay = toxic.attribute("delay");
        if (!active() || delay <= 0) {
            emitEnd();
        } else {
            timer = loop().schedule(() -> {
                timer = null;
                emitEnd();
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void interrupt() {
        timer = cancel(timer);
    }

    @Override
    void remove() {
        timer = cancel(timer);
        if (endPending) {
            emitEnd();
        }
    }

    @Override
    void dispose() {
        timer = cancel(timer);
    }
}

package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code reset_peer}: the first data (or end) in its direction starts a wait of {@code timeout}
 * ms, then the stream ends; data is dropped meanwhile. The close is a TCP RST on connections
 * that were opened while a reset_peer toxic existed, because those get SO_LINGER 0 when they
 * start (Toxiproxy's {@code ToxicLink.Start}); older connections are closed normally, as with
 * Toxiproxy. An update keeps a started wait; removal ends a started wait at once.
 */
final class ResetPeerStage extends ToxicStage {
    private boolean triggered;
    private ScheduledFuture<?> timer;

    ResetPeerStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        link.drop(buf);
        trigger();
    }

    @Override
    protected void onEnd() {
        trigger();
    }

    private void trigger() {
        if (triggered) {
            return;
        }
        triggered = true;
        long timeout = toxic.attribute("timeout");
        if (timeout <= 0) {
            emitEnd();
        } else {
            timer = loop().schedule(() -> {
                timer = null;
                emitEnd();
            }, timeout, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    void remove() {
        if (triggered) {
            timer = cancel(timer);
            emitEnd();
        }
    }

    @Override
    void dispose() {
        timer = cancel(timer);
    }
}

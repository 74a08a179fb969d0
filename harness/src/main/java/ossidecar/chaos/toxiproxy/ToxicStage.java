package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A toxic running on one link, the counterpart of Toxiproxy's {@code ToxicStub}. Toxicity is
 * rolled when the stage starts and after each update (Toxiproxy rolls in {@code ToxicStub.Run});
 * a stage that lost the roll passes everything on unchanged. An update interrupts the stage
 * (held data moves on), keeps its state (limit_data's count) and starts it with the new
 * settings. Once the stage has ended its stream, later input is dropped.
 */
abstract class ToxicStage extends Stage {
    protected final Link link;
    protected Toxic toxic;
    private boolean active;
    private boolean ended;

    protected ToxicStage(Link link, Toxic toxic) {
        this.link = link;
        this.toxic = toxic;
        this.active = roll(toxic);
    }

    static ToxicStage create(Link link, Toxic toxic) {
        return switch (toxic.type()) {
            case NOOP -> new PassStage(link, toxic);
            case LATENCY -> new LatencyStage(link, toxic);
            case BANDWIDTH -> new BandwidthStage(link, toxic);
            case SLOW_CLOSE -> new SlowCloseStage(link, toxic);
            case TIMEOUT -> new TimeoutStage(link, toxic);
            case RESET_PEER -> new ResetPeerStage(link, toxic);
            case SLICER -> new SlicerStage(link, toxic);
            case LIMIT_DATA -> new LimitDataStage(link, toxic);
        };
    }

    private static boolean roll(Toxic toxic) {
        return ThreadLocalRandom.current().nextFloat() < toxic.toxicity();
    }

    String name() {
        return toxic.name();
    }

    @Override
    final void data(ByteBuf buf) {
        if (ended) {
            link.drop(buf);
        } else if (!active) {
            next.data(buf);
        } else {
            onData(buf);
        }
    }

    @Override
    final void end() {
        if (ended) {
            return;
        }
        if (!active) {
            emitEnd();
        } else {
            onEnd();
        }
    }

    /** Called once the stage is linked into the chain. */
    final void begin() {
        if (!ended) {
            restart();
        }
    }

    /** New settings for the same toxic (Toxiproxy's interrupt, then Run with the new toxic). */
    final void update(Toxic updated) {
        interrupt();
        toxic = updated;
        active = roll(updated);
        if (!ended) {
            restart();
        }
    }

    /** The toxic is being removed: everything held moves on now. */
    void remove() {
        interrupt();
    }

    /** The connection is gone: cancel timers, release held buffers. */
    void dispose() {
    }

    protected abstract void onData(ByteBuf buf);

    protected abstract void onEnd();

    /** Cancels timers and passes every held chunk (and a held end) on now. */
    protected void interrupt() {
    }

    /** (Re)starts the toxic's own clock; only called while the stage has not ended. */
    protected void restart() {
    }

    protected final boolean active() {
        return active;
    }

    protected final boolean ended() {
        return ended;
    }

    protected final void emit(ByteBuf buf) {
        next.data(buf);
    }

    protected final void emitEnd() {
        if (!ended) {
            ended = true;
            next.end();
        }
    }

    protected final EventLoop loop() {
        return link.loop();
    }

    protected static ScheduledFuture<?> cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
        return null;
    }
}

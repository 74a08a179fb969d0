package ossidecar.amqp.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import ossidecar.amqp.codec.HeartbeatFrame;

/**
 * One side's heartbeat (AMQP 0-9-1 §4.2.7): sends a heartbeat frame when nothing was written
 * for an interval, and declares the peer dead when nothing at all (any frame counts) was read
 * for two intervals. Death is not declared while {@code suspended} is true: while the proxy
 * itself stopped reading (backpressure), or the broker said connection.blocked, silence is
 * not the peer's fault.
 */
final class HeartbeatHandler extends ChannelDuplexHandler {
    static final String NAME = "heartbeat";
    private static final String IDLE = "heartbeat-idle";

    private final BooleanSupplier suspended;
    private final Consumer<Duration> onDead;
    private long lastReadNanos = System.nanoTime();
    private boolean dead;

    private HeartbeatHandler(BooleanSupplier suspended, Consumer<Duration> onDead) {
        this.suspended = suspended;
        this.onDead = onDead;
    }

    /**
     * Adds the heartbeat to {@code pipeline} after {@code after}; does nothing for an interval
     * of 0 (the side negotiated no heartbeat). {@code onDead} gets how long the peer was silent.
     */
    static void install(ChannelPipeline pipeline, String after, int intervalSeconds, BooleanSupplier suspended,
                        Consumer<Duration> onDead) {
        if (intervalSeconds <= 0) {
            return;
        }
        long ms = TimeUnit.SECONDS.toMillis(intervalSeconds);
        pipeline.addAfter(after, IDLE, new IdleStateHandler(2 * ms, ms, 0, TimeUnit.MILLISECONDS));
        pipeline.addAfter(IDLE, NAME, new HeartbeatHandler(suspended, onDead));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent e)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (e.state() == IdleState.WRITER_IDLE) {
            ctx.writeAndFlush(HeartbeatFrame.INSTANCE);
        } else if (e.state() == IdleState.READER_IDLE && !dead) {
            if (suspended.getAsBoolean()) {
                lastReadNanos = System.nanoTime();
                return;
            }
            dead = true;
            onDead.accept(Duration.ofNanos(System.nanoTime() - lastReadNanos));
        }
    }
}

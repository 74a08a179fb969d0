package ossidecar.amqp.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.pool.BackendPool;
import ossidecar.core.pool.BackendPool.Backend;
import ossidecar.core.pool.ProbeSchedule;

/**
 * Probes the pool's DOWN nodes so that a broker that is back takes new connections again,
 * instead of waiting until some client happens to try it. {@link ProbeSchedule} decides what to
 * probe and when; {@link BrokerProbe} does the I/O; the pool hears each outcome, and its
 * {@link ossidecar.core.health.NodeHealth} logs the DOWN -> UP transition once.
 *
 * <p>Everything runs on one event loop of the proxy: a tick only reads node states and starts
 * non-blocking connects, so it never holds up client traffic, and the schedule needs no lock.
 */
final class NodeProber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeProber.class);

    private final BackendPool pool;
    private final EventLoop loop;
    private final ProbeSchedule schedule;
    private final Duration probeTimeout;
    private final ScheduledFuture<?> ticks;
    private volatile boolean closed;

    /**
     * Ticks every tenth of the interval (20 ms to 250 ms): fine enough that the schedule's
     * jittered waits are kept, and a node that goes down is seen within a tick.
     */
    NodeProber(BackendPool pool, EventLoop loop, Duration interval, Duration probeTimeout) {
        this.pool = pool;
        this.loop = loop;
        this.schedule = new ProbeSchedule(interval);
        this.probeTimeout = probeTimeout;
        long tick = Math.max(20, Math.min(250, interval.toMillis() / 10));
        this.ticks = loop.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (closed) {
            return;
        }
        for (Backend b : schedule.due(pool.backends(), nowMillis())) {
            BrokerProbe.probe(loop, b.node().address(), probeTimeout).addListener(f -> {
                if (closed) {
                    return;
                }
                if (f.isSuccess()) {
                    schedule.answered(b);
                    pool.probeAnswered(b, (Duration) f.getNow());
                } else {
                    schedule.failed(b, nowMillis());
                    pool.probeFailed(b);
                    // every interval while the node is down: not worth more than debug
                    LOG.debug("[{}] probe {} of node {} failed: {}", "amqp", schedule.attempts(b), b,
                            String.valueOf(f.cause()));
                }
            });
        }
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public void close() {
        closed = true;
        ticks.cancel(false);
    }
}

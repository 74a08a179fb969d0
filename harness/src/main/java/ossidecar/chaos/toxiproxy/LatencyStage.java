package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code latency}: each chunk leaves {@code latency} ± {@code jitter} ms after it arrived here,
 * and never before the chunk ahead of it (order is kept, so jitter cannot reorder bytes). The
 * end of the stream follows the last chunk. Reading goes on while chunks wait, so latency
 * does not cap throughput beyond the link's in-flight limit.
 */
final class LatencyStage extends ToxicStage {
    private record Held(ByteBuf buf, long dueNanos) {
    }

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long lastDue = Long.MIN_VALUE;
    private ScheduledFuture<?> timer;

    LatencyStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        long due = System.nanoTime() + delayNanos();
        if (lastDue != Long.MIN_VALUE && due - lastDue < 0) {
            due = lastDue;
        }
        lastDue = due;
        queue.add(new Held(buf, due));
        pump();
    }

    @Override
    protected void onEnd() {
        queue.add(new Held(null, lastDue == Long.MIN_VALUE ? System.nanoTime() : lastDue));
        pump();
    }

    private long delayNanos() {
        long ms = toxic.attribute("latency");
        long jitter = toxic.attribute("jitter");
        if (jitter > 0) {
            ms += ThreadLocalRandom.current().nextLong(jitter * 2) - jitter;
        }
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms));
    }

    private void pump() {
        if (timer != null) {
            return;
        }
        while (!queue.isEmpty()) {
            Held head = queue.peek();
            long wait = head.dueNanos() - System.nanoTime();
            if (wait > 0) {
                timer = loop().schedule(this::fire, wait, TimeUnit.NANOSECONDS);
                return;
            }
            release(queue.poll());
        }
    }

    private void fire() {
        timer = null;
        pump();
    }

    private void release(Held h) {
        if (h.buf() == null) {
            emitEnd();
        } else {
            emit(h.buf());
        }
    }

    @Override
    protected void interrupt() {
        timer = cancel(timer);
        while (!queue.isEmpty()) {
            release(queue.poll());
        }
    }

    @Override
    void dispose() {
        timer = cancel(timer);
        for (Held h : queue) {
            if (h.buf() != null) {
                h.buf().release();
            }
        }
        queue.clear();
    }
}

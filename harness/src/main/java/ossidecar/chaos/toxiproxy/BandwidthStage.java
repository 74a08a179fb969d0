package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bandwidth}: {@code rate} KB/s (1 KB = 1000 bytes, as Toxiproxy computes
 * {@code len * 1ms / rate}); 0 or less passes data unthrottled. A slice of at most 100 ms worth
 * of bytes leaves once its transmission time has passed, so a chunk is never sent faster than
 * the rate; idle time is not saved up for bursts. While bytes wait here the link stops reading
 * once its in-flight limit is reached, which throttles the sender too.
 */
final class BandwidthStage extends ToxicStage {
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private boolean endQueued;
    private long cursor = Long.MIN_VALUE;
    private ScheduledFuture<?> timer;

    BandwidthStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        queue.add(buf);
        pump();
    }

    @Override
    protected void onEnd() {
        endQueued = true;
        pump();
    }

    private void pump() {
        while (timer == null) {
            ByteBuf head = queue.peek();
            if (head == null) {
                if (endQueued) {
                    endQueued = false;
                    emitEnd();
                }
                return;
            }
            long rate = toxic.attribute("rate");
            if (rate <= 0 || !head.isReadable()) {
                emit(queue.poll());
                continue;
            }
            long maxSlice = rate > Integer.MAX_VALUE / 100 ? Integer.MAX_VALUE : rate * 100;
            int n = (int) Math.min(head.readableBytes(), maxSlice);
            long now = System.nanoTime();
            if (cursor == Long.MIN_VALUE || cursor - now < 0) {
                cursor = now;
            }
            cursor += n * 1_000_000L / rate;
            timer = loop().schedule(() -> {
                timer = null;
                sendSlice(n);
                pump();
            }, cursor - now, TimeUnit.NANOSECONDS);
        }
    }

    private void sendSlice(int n) {
        ByteBuf head = queue.peek();
        if (head == null) {
            return;
        }
        if (n >= head.readableBytes()) {
            emit(queue.poll());
        } else {
            emit(head.readRetainedSlice(n));
        }
    }

    @Override
    protected void interrupt() {
        timer = cancel(timer);
        while (!queue.isEmpty()) {
            emit(queue.poll());
        }
        if (endQueued) {
            endQueued = false;
            emitEnd();
        }
    }

    @Override
    void dispose() {
        timer = cancel(timer);
        queue.forEach(ByteBuf::release);
        queue.clear();
    }
}

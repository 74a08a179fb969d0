package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code slicer}: each chunk is cut into slices of about {@code average_size} ±
 * {@code size_variation} bytes ({@link #sliceSizes}), written one by one with {@code delay}
 * microseconds after each slice, as Toxiproxy's {@code SlicerToxic.Pipe}. An interrupt passes
 * the remaining slices on at once.
 */
final class SlicerStage extends ToxicStage {
    private static final Object END = new Object();

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> slices = new ArrayDeque<>();
    private ScheduledFuture<?> timer;

    SlicerStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        queue.add(buf);
        pump();
    }

    @Override
    protected void onEnd() {
        queue.add(END);
        pump();
    }

    private void pump() {
        while (timer == null) {
            ByteBuf slice = slices.poll();
            if (slice != null) {
                emit(slice);
                long delayMicros = toxic.attribute("delay");
                if (delayMicros > 0) {
                    timer = loop().schedule(() -> {
                        timer = null;
                        pump();
                    }, delayMicros, TimeUnit.MICROSECONDS);
                }
                continue;
            }
            Object item = queue.poll();
            if (item == null) {
                return;
            }
            if (item == END) {
                emitEnd();
                return;
            }
            ByteBuf buf = (ByteBuf) item;
            for (int size : sliceSizes(buf.readableBytes(), toxic.attribute("average_size"),
                    toxic.attribute("size_variation"), ThreadLocalRandom.current())) {
                slices.add(buf.readRetainedSlice(size));
            }
            buf.release();
        }
    }

    /**
     * Toxiproxy's {@code SlicerToxic.chunk}: a piece no longer than average + variation is kept,
     * a longer one is cut near its middle (± variation) and both halves are cut again. Unlike
     * Toxiproxy, a variation of 0 cuts exactly in the middle (Go's {@code rand.Intn(0)} panics)
     * and every slice has at least one byte.
     */
    static List<Integer> sliceSizes(int length, long averageSize, long sizeVariation, Random random) {
        List<Integer> out = new ArrayList<>();
        if (length <= 0) {
            return out;
        }
        long variation = Math.max(0, Math.min(sizeVariation, Integer.MAX_VALUE / 2));
        ArrayDeque<int[]> todo = new ArrayDeque<>();
        todo.push(new int[] {0, length});
        while (!todo.isEmpty()) {
            int[] piece = todo.pop();
            int start = piece[0];
            int end = piece[1];
            int size = end - start;
            if (size - averageSize <= variation || size <= 1) {
                out.add(size);
                continue;
            }
            long mid = start + size / 2;
            if (variation > 0) {
                mid += random.nextInt((int) variation * 2) - variation;
            }
            int cut = (int) Math.max(start + 1, Math.min(end - 1, mid));
            todo.push(new int[] {cut, end});
            todo.push(new int[] {start, cut});
        }
        return out;
    }

    @Override
    protected void interrupt() {
        timer = cancel(timer);
        while (!slices.isEmpty()) {
            emit(slices.poll());
        }
        while (!queue.isEmpty()) {
            Object item = queue.poll();
            if (item == END) {
                emitEnd();
            } else {
                emit((ByteBuf) item);
            }
        }
    }

    @Override
    void dispose() {
        timer = cancel(timer);
        slices.forEach(ByteBuf::release);
        slices.clear();
        for (Object item : queue) {
            if (item instanceof ByteBuf b) {
                b.release();
            }
        }
        queue.clear();
    }
}

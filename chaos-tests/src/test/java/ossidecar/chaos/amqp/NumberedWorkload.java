package ossidecar.chaos.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownNotifier;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Numbered messages 0..count-1 published at a steady rate to one queue and consumed from it,
 * on two connections through the proxy (publisher, consumer), with the client's own recovery
 * off. It records what the application would notice of a failover: any exception or close it
 * did not ask for, lost or duplicated numbers, and the longest silences (deliveries, confirms).
 *
 * <pre>{@code
 * try (NumberedWorkload w = NumberedWorkload.start(proxy.factory(), queue, 20_000, true, 700)) {
 *     w.awaitProgress(0.25, Duration.ofSeconds(60));
 *     // inject the fault
 *     NumberedWorkload.Result r = w.finish(Duration.ofSeconds(120));
 * }
 * }</pre>
 */
final class NumberedWorkload implements AutoCloseable {
    /** What the workload saw, for assertions and one report line. */
    record Result(boolean confirms, int messages, int published, int confirmed, int nacked, int distinctReceived,
                  int duplicates, int redelivered, List<Integer> missing, List<String> clientFailures,
                  long maxDeliveryGapMs, long maxConfirmGapMs) {
        private static final int MISSING_SHOWN = 10;

        /** Publishes with neither an ack nor a nack (always 0 without confirms). */
        int unanswered() {
            return confirms ? published - confirmed - nacked : 0;
        }

        @Override
        public String toString() {
            return String.format("confirms %s: published %d/%d, confirmed %d, nacked %d, unanswered %d;"
                            + " received %d distinct (+%d duplicates, %d redelivered), missing %d %s;"
                            + " client failures %d %s; longest gap: deliveries %d ms, confirms %s",
                    confirms ? "on" : "off", published, messages, confirmed, nacked, unanswered(),
                    distinctReceived, duplicates, redelivered, missing.size(),
                    missing.subList(0, Math.min(MISSING_SHOWN, missing.size())),
                    clientFailures.size(), clientFailures, maxDeliveryGapMs,
                    confirms ? maxConfirmGapMs + " ms" : "n/a");
        }
    }

    private static final int PREFETCH = 200;
    /** Multiple acks, so that a failover leaves some spanning the old and the new upstream. */
    private static final int ACK_EVERY = 50;
    /** After a stall the publisher resumes its rate instead of bursting to catch up. */
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String queue;
    private final int count;
    private final boolean confirms;
    private final int ratePerSecond;
    private final Failures failures = new Failures();
    private final AtomicInteger published = new AtomicInteger();
    /** Publish sequence number -> message number, until acked or nacked. */
    private final ConcurrentSkipListMap<Long, Integer> unconfirmed = new ConcurrentSkipListMap<>();
    private final BitSet confirmed = new BitSet();
    private final AtomicInteger nacked = new AtomicInteger();
    private final BitSet received = new BitSet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger redelivered = new AtomicInteger();
    private final GapMeter deliveryGaps = new GapMeter();
    private final GapMeter confirmGaps = new GapMeter();
    private final Thread publisherThread;
    private volatile boolean closing;
    private Connection consumerConnection;
    private Channel consumerChannel;
    private Connection publisherConnection;
    private Channel publisherChannel;

    private NumberedWorkload(String queue, int count, boolean confirms, int ratePerSecond) {
        this.queue = queue;
        this.count = count;
        this.confirms = confirms;
        this.ratePerSecond = ratePerSecond;
        this.publisherThread = daemonThreads("publisher").newThread(this::publishAll);
    }

    /**
     * Opens both connections through {@code factory}, starts consuming {@code queue} (which must
     * exist) and then publishing {@code count} messages at {@code ratePerSecond} to it through
     * the default exchange.
     */
    static NumberedWorkload start(ConnectionFactory factory, String queue, int count, boolean confirms,
                                  int ratePerSecond) throws IOException, TimeoutException {
        if (count < 1 || ratePerSecond < 1) {
            throw new IllegalArgumentException("count and rate must be positive");
        }
        NumberedWorkload w = new NumberedWorkload(queue, count, confirms, ratePerSecond);
        try {
            w.open(factory);
        } catch (IOException | TimeoutException | RuntimeException e) {
            w.close();
            throw e;
        }
        w.publisherThread.start();
        return w;
    }

    private void open(ConnectionFactory template) throws IOException, TimeoutException {
        ConnectionFactory factory = template.clone();
        factory.setExceptionHandler(new RecordingExceptionHandler());
        factory.setThreadFactory(daemonThreads("client"));

        consumerConnection = factory.newConnection("numbered-consumer");
        watch("consumer connection", consumerConnection);
        consumerChannel = consumerConnection.createChannel();
        watch("consumer channel", consumerChannel);
        consumerChannel.basicQos(PREFETCH);
        consumerChannel.basicConsume(queue, false, new NumberConsumer(consumerChannel));

        publisherConnection = factory.newConnection("numbered-publisher");
        watch("publisher connection", publisherConnection);
        publisherChannel = publisherConnection.createChannel();
        watch("publisher channel", publisherChannel);
        if (confirms) {
            publisherChannel.confirmSelect();
            publisherChannel.addConfirmListener((seq, multiple) -> settle(seq, multiple, true),
                    (seq, multiple) -> settle(seq, multiple, false));
        }
    }

    /** Messages whose publish call returned. */
    int published() {
        return published.get();
    }

    /** Messages the broker confirmed (0 without confirms). */
    int confirmedCount() {
        synchronized (confirmed) {
            return confirmed.cardinality();
        }
    }

    /** Share of the run done: confirmed (with confirms) or published (without) over the message count. */
    double progress() {
        return (double) (confirms ? confirmedCount() : published()) / count;
    }

    /** Waits until {@link #progress()} reaches {@code fraction}; throws on timeout or when it cannot. */
    void awaitProgress(double fraction, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (progress() < fraction) {
            if (!progressPossible() || System.nanoTime() > deadline) {
                throw new IllegalStateException("workload did not reach progress " + fraction + " within "
                        + timeout + ": " + result());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until publishing is done, then until every confirmed number (with confirms, once no
     * publish awaits its confirm) or every published number (without) has been received, or
     * until {@code timeout} has passed or no progress is possible any more; then closes.
     */
    Result finish(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            publisherThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            while (System.nanoTime() < deadline && progressPossible() && !everythingExpectedReceived()) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return result();
    }

    private boolean everythingExpectedReceived() {
        return (!confirms || unconfirmed.isEmpty()) && missing().isEmpty();
    }

    /** False once nothing more can arrive: the consumer is gone, or confirms are owed on a dead channel. */
    private boolean progressPossible() {
        return consumerChannel.isOpen()
                && (!confirms || unconfirmed.isEmpty() || publisherChannel.isOpen() || publisherThread.isAlive());
    }

    private List<Integer> missing() {
        BitSet expected;
        if (confirms) {
            synchronized (confirmed) {
                expected = (BitSet) confirmed.clone();
            }
        } else {
            expected = new BitSet();
            expected.set(0, published());
        }
        synchronized (received) {
            expected.andNot(received);
        }
        return expected.stream().boxed().toList();
    }

    private Result result() {
        int distinct;
        synchronized (received) {
            distinct = received.cardinality();
        }
        return new Result(confirms, count, published(), confirmedCount(), nacked.get(), distinct,
                duplicates.get(), redelivered.get(), missing(), failures.snapshot(),
                deliveryGaps.maxMillis(), confirmGaps.maxMillis());
    }

    private void publishAll() {
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long next = System.nanoTime();
        try {
            for (int n = 0; n < count && !closing; n++) {
                next = pace(next, interval);
                publish(n);
                published.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failures.add("publisher: " + describe(e));
            }
        }
    }

    private long pace(long next, long interval) {
        long now = System.nanoTime();
        if (now - next > MAX_CATCH_UP_NANOS) {
            return now + interval;
        }
        for (long left = next - now; left > 0 && !closing; left = next - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        return next + interval;
    }

    private void publish(int n) throws IOException {
        String number = Integer.toString(n);
        AMQP.BasicProperties props = MessageProperties.PERSISTENT_TEXT_PLAIN.builder().messageId(number).build();
        long seq = publisherChannel.getNextPublishSeqNo();
        if (confirms) {
            unconfirmed.put(seq, n);
        }
        try {
            publisherChannel.basicPublish("", queue, props, number.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            unconfirmed.remove(seq);
            throw e;
        }
    }

    private void settle(long seq, boolean multiple, boolean ack) {
        confirmGaps.tick();
        NavigableMap<Long, Integer> settled = multiple
                ? unconfirmed.headMap(seq, true)
                : unconfirmed.subMap(seq, true, seq, true);
        // a real broker answers each publish exactly once: anything else is the proxy's mapping
        if (settled.isEmpty()) {
            failures.add("publisher: " + (ack ? "ack" : "nack") + (multiple ? " multiple" : "")
                    + " for sequence number " + seq + " with no publish awaiting it");
            return;
        }
        List<Integer> numbers = new ArrayList<>(settled.values());
        settled.clear();
        if (ack) {
            synchronized (confirmed) {
                numbers.forEach(confirmed::set);
            }
        } else {
            nacked.addAndGet(numbers.size());
        }
    }

    private void received(int n, boolean redelivery) {
        deliveryGaps.tick();
        if (redelivery) {
            redelivered.incrementAndGet();
        }
        synchronized (received) {
            if (received.get(n)) {
                duplicates.incrementAndGet();
            }
            received.set(n);
        }
    }

    /** Every shutdown the workload did not ask for is something the application would have seen. */
    private void watch(String what, ShutdownNotifier notifier) {
        notifier.addShutdownListener(sse -> {
            if (!(closing && sse.isInitiatedByApplication())) {
                failures.add(what + " closed: " + describe(sse));
            }
        });
    }

    /** Stops publishing and closes both connections (aborting one that does not close in time). */
    @Override
    public void close() {
        closing = true;
        publisherThread.interrupt();
        try {
            publisherThread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(publisherConnection);
        closeQuietly(consumerConnection);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close((int) CLOSE_TIMEOUT.toMillis());
        } catch (IOException | RuntimeException e) {
            c.abort((int) CLOSE_TIMEOUT.toMillis());
        }
    }

    private static ThreadFactory daemonThreads(String role) {
        ThreadFactory base = Executors.defaultThreadFactory();
        return r -> {
            Thread t = base.newThread(r);
            t.setName("numbered-workload-" + role + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.replaceAll("\\s+", " "));
    }

    private final class NumberConsumer extends DefaultConsumer {
        private int sinceAck;

        NumberConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            try {
                String text = new String(body, StandardCharsets.US_ASCII);
                int n = Integer.parseInt(text);
                if (n < 0 || n >= count || !text.equals(props.getMessageId())) {
                    failures.add("consumer: unexpected message " + text + " with message-id " + props.getMessageId());
                } else {
                    received(n, envelope.isRedeliver());
                }
                if (++sinceAck >= ACK_EVERY) {
                    getChannel().basicAck(envelope.getDeliveryTag(), true);
                    sinceAck = 0;
                }
            } catch (IOException | RuntimeException e) {
                failures.add("consumer: " + describe(e));
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            failures.add("consumer: cancelled by the broker (" + consumerTag + ")");
        }
    }

    /** Whatever the client library reports from its own threads (listeners, connection driver). */
    private final class RecordingExceptionHandler extends ForgivingExceptionHandler {
        @Override
        protected void log(String message, Throwable e) {
            if (!closing) {
                failures.add("client library: " + message + " " + describe(e));
            }
            super.log(message, e);
        }
    }

    /** The longest interval between consecutive ticks, from the second tick on. */
    private static final class GapMeter {
        private long last;
        private long maxNanos;

        synchronized void tick() {
            long now = System.nanoTime();
            if (last != 0) {
                maxNanos = Math.max(maxNanos, now - last);
            }
            last = now;
        }

        synchronized long maxMillis() {
            return TimeUnit.NANOSECONDS.toMillis(maxNanos);
        }
    }

    /** Failures in arrival order; the first few kept verbatim, the rest counted. */
    private static final class Failures {
        private static final int KEPT = 50;
        private final List<String> kept = new ArrayList<>();
        private int dropped;

        synchronized void add(String failure) {
            if (kept.size() < KEPT) {
                kept.add(failure);
            } else {
                dropped++;
            }
        }

        synchronized List<String> snapshot() {
            List<String> copy = new ArrayList<>(kept);
            if (dropped > 0) {
                copy.add("... and " + dropped + " more");
            }
            return List.copyOf(copy);
        }
    }
}

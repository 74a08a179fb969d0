package ossidecar.chaos.workload;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import ossidecar.chaos.suite.Check;
import ossidecar.chaos.suite.Narrator;
import ossidecar.chaos.suite.Timeline;
import ossidecar.chaos.suite.Workload;

/**
 * A publisher with confirms and a consumer with manual acks on one quorum queue, through the
 * proxy, numbering every message. When its connection is closed under it, it reconnects
 * through the proxy (as oslo.messaging would) and counts what that cost, nacks and publishes
 * never answered included: the client would have to retry those, so they are failures too.
 * Each publish is one operation on the timeline, from the publish to its confirm (or nack).
 */
public final class NumberedMessages implements Workload {
    /**
     * How long a stopped workload keeps consuming so that confirmed messages can arrive, and
     * waits for the answers to its last publishes.
     */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    private final ConnectionFactory factory;
    private final String queue;
    private final Narrator clock;
    private final Timeline timeline;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextId = new AtomicLong();
    private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    private final Set<Long> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger nacked = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger connectionLosses = new AtomicInteger();
    private final AtomicLong lastLossNanos = new AtomicLong();
    private final AtomicLong lastRecoveryMillis = new AtomicLong(-1);
    private final Thread thread;

    public NumberedMessages(ConnectionFactory factory, String queue, Narrator clock, Timeline timeline) {
        this.factory = factory;
        this.queue = queue;
        this.clock = clock;
        this.timeline = timeline;
        this.thread = new Thread(this::run, "demo-amqp-workload");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running.get()) {
            // publish sequence number -> message number and publish time, until acked or nacked;
            // per connection, since sequence numbers start again on a new channel
            ConcurrentNavigableMap<Long, long[]> outstanding = new ConcurrentSkipListMap<>();
            try (Connection c = factory.newConnection("sidecar-demo")) {
                long lost = lastLossNanos.get();
                if (lost != 0) {
                    lastRecoveryMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost));
                    clock.say("workload: reconnected through the proxy after %d ms", lastRecoveryMillis.get());
                }
                session(c, outstanding);
            } catch (Exception e) {
                if (!running.get()) {
                    return;
                }
                if (lastLossNanos.get() == 0 || e instanceof ShutdownSignalException
                        || e.getCause() instanceof ShutdownSignalException) {
                    connectionLosses.incrementAndGet();
                    long now = System.nanoTime();
                    timeline.error(now, now, "connection lost", describe(e));
                    lastLossNanos.set(System.nanoTime());
                    clock.say("workload: connection closed under it: %s", describe(e));
                }
                sleepQuietly(100);
            } finally {
                // the connection is closed (or dead): no answer can come for what is left
                unanswered.addAndGet(outstanding.size());
                long now = System.nanoTime();
                outstanding.values().forEach(m -> timeline.error(m[1], now, "unanswered"));
            }
        }
    }

    private void session(Connection c, ConcurrentNavigableMap<Long, long[]> outstanding) throws Exception {
        Channel pub = c.createChannel();
        Channel sub = c.createChannel();
        pub.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
        sub.basicQos(50);
        sub.basicConsume(queue, false, (tag, d) -> {
            long id = Long.parseLong(new String(d.getBody(), StandardCharsets.US_ASCII));
            if (!received.add(id)) {
                duplicates.incrementAndGet();
            }
            sub.basicAck(d.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        pub.confirmSelect();
        pub.addConfirmListener((seq, multiple) -> settle(outstanding, seq, multiple, true),
                (seq, multiple) -> settle(outstanding, seq, multiple, false));
        while (running.get() && c.isOpen()) {
            long id = nextId.incrementAndGet();
            outstanding.put(pub.getNextPublishSeqNo(), new long[] {id, System.nanoTime()});
            pub.basicPublish("", queue, com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC,
                    Long.toString(id).getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(5);
        }
        if (!c.isOpen()) {
            throw c.getCloseReason();
        }
        // stopped: let the last publishes be answered and the consumer take what the broker
        // confirmed before the connection goes
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (c.isOpen() && (!outstanding.isEmpty() || confirmedNotReceived() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void settle(ConcurrentNavigableMap<Long, long[]> outstanding, long seq, boolean multiple, boolean ack) {
        Map<Long, long[]> done = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
        long now = System.nanoTime();
        for (long[] m : done.values()) {
            if (ack) {
                confirmed.add(m[0]);
                timeline.success(m[1], now);
            } else {
                nacked.incrementAndGet();
                timeline.error(m[1], now, "nack");
            }
        }
        done.clear();
    }

    public int published() {
        return (int) nextId.get();
    }

    public int confirmed() {
        return confirmed.size();
    }

    public int nacked() {
        return nacked.get();
    }

    /** Publishes neither acked nor nacked when their connection ended; final once {@link #close()} returned. */
    public int unanswered() {
        return unanswered.get();
    }

    /** The counts so far; final once {@link #close()} returned. */
    public NumberedMessagesResult result() {
        return new NumberedMessagesResult(published(), confirmed(), nacked(), unanswered(), received(), duplicates(),
                confirmedNotReceived(), connectionLosses());
    }

    public int received() {
        return received.size();
    }

    public int duplicates() {
        return duplicates.get();
    }

    public int connectionLosses() {
        return connectionLosses.get();
    }

    public long lastRecoveryMillis() {
        return lastRecoveryMillis.get();
    }

    /** Confirmed messages not (yet) received. */
    public long confirmedNotReceived() {
        return confirmed.stream().filter(id -> !received.contains(id)).count();
    }

    @Override
    public String name() {
        return "confirmed publishing and consuming (AMQP, quorum queue)";
    }

    @Override
    public Timeline timeline() {
        return timeline;
    }

    /**
     * Stops publishing, lets the consumer take every confirmed message (bounded), and checks:
     * no confirmed message lost, none nacked or unanswered, no connection loss at the client.
     */
    @Override
    public Result finish() throws InterruptedException {
        stop(); // the session drains before its connection closes: see DRAIN
        NumberedMessagesResult r = result();
        Map<String, Object> counts = new java.util.LinkedHashMap<>();
        counts.put("published", r.published());
        counts.put("confirmed", r.confirmed());
        counts.put("received", r.received());
        counts.put("duplicates", r.duplicates());
        return new Result(List.of(Check.zero("confirmed messages lost", r.lost()),
                Check.zero("publishes nacked", r.nacked()),
                Check.zero("publishes never answered", r.unanswered()),
                Check.zero("connection losses the client saw", r.connectionLosses())), counts);
    }

    /** Stops publishing; the consumer stays until its bounded drain is over. */
    public void stop() throws InterruptedException {
        running.set(false);
        thread.join(DRAIN.toMillis() + 10_000);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(DRAIN.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The whole cause chain: "connection error" alone does not say what went wrong. */
    static String describe(Exception e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            out.append(out.length() == 0 ? "" : "; cause: ").append(t.getClass().getSimpleName())
                    .append(m == null ? "" : ": " + m.replaceAll("\\s+", " "));
        }
        return out.toString();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

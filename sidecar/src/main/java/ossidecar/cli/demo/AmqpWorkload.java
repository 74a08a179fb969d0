package ossidecar.cli.demo;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher with confirms and a consumer with manual acks on one quorum queue, through the
 * proxy, numbering every message. When its connection is closed under it, it reconnects
 * through the proxy (as oslo.messaging would) and counts what that cost, nacks and publishes
 * never answered included: the client would have to retry those, so they are failures too.
 */
public final class AmqpWorkload implements AutoCloseable {
    /**
     * How long a stopped workload keeps consuming so that confirmed messages can arrive, and
     * waits for the answers to its last publishes.
     */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    private final ConnectionFactory factory;
    private final String queue;
    private final DemoClock clock;
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

    public AmqpWorkload(ConnectionFactory factory, String queue, DemoClock clock) {
        this.factory = factory;
        this.queue = queue;
        this.clock = clock;
        this.thread = new Thread(this::run, "demo-amqp-workload");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running.get()) {
            // publish sequence number -> message number, until acked or nacked; per connection,
            // since sequence numbers start again on a new channel
            ConcurrentNavigableMap<Long, Long> outstanding = new ConcurrentSkipListMap<>();
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
                    lastLossNanos.set(System.nanoTime());
                    clock.say("workload: connection closed under it: %s", describe(e));
                }
                sleepQuietly(100);
            } finally {
                // the connection is closed (or dead): no answer can come for what is left
                unanswered.addAndGet(outstanding.size());
            }
        }
    }

    private void session(Connection c, ConcurrentNavigableMap<Long, Long> outstanding) throws Exception {
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
            outstanding.put(pub.getNextPublishSeqNo(), id);
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

    private void settle(ConcurrentNavigableMap<Long, Long> outstanding, long seq, boolean multiple, boolean ack) {
        Map<Long, Long> done = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
        if (ack) {
            confirmed.addAll(done.values());
        } else {
            nacked.addAndGet(done.size());
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
    public AmqpWorkloadResult result() {
        return new AmqpWorkloadResult(published(), confirmed(), nacked(), unanswered(), received(), duplicates(),
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
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(DRAIN.toMillis() + 10_000);
    }

    /** The whole cause chain: "connection error" alone does not say what went wrong. */
    private static String describe(Exception e) {
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

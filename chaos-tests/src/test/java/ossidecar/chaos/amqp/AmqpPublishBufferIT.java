package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.chaos.toxiproxy.ProxiedNodes;
import ossidecar.chaos.toxiproxy.ToxiproxyEndpoint;

/**
 * The re-publish buffer is bounded: while the broker under the client swallows data and
 * confirms nothing (a Toxiproxy blackhole, before the heartbeat notices), the proxy keeps at
 * most the configured bytes of unconfirmed publishes and then stops reading that client. It
 * drops nothing: after the failover every publish is confirmed and in the queue.
 */
class AmqpPublishBufferIT {
    private static final int VICTIM = 3;
    private static final int SURVIVOR = 1;
    private static final long BOUND = 64 * 1024;
    private static final int BODY = 4 * 1024;
    /** Long enough that the bound, not the heartbeat, is what stops the client first. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);

    @Test
    void atTheBoundTheProxyStopsReadingTheClientAndDropsNothing() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        String queue = "buffer-q-" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = cluster.connectionFactory(SURVIVOR).newConnection("buffer-admin")) {
            Channel adminCh = admin.createChannel();
            adminCh.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            try (ToxiproxyEndpoint toxiproxy = ToxiproxyEndpoint.start();
                 ProxiedNodes nodes = ProxiedNodes.create(toxiproxy, "amqp-buffer-" + queue, cluster.nodes());
                 ProxyUnderTest proxy = ProxyUnderTest.start(List.of(VICTIM, SURVIVOR), nodes::port, HEARTBEAT,
                         Duration.ofSeconds(60), BOUND)) {
                Connection c = proxy.connect();
                Channel ch = c.createChannel();
                ch.confirmSelect();
                ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
                AtomicInteger nacks = new AtomicInteger();
                ch.addConfirmListener((seq, multiple) -> settle(unconfirmed, seq, multiple),
                        (seq, multiple) -> {
                            nacks.incrementAndGet();
                            settle(unconfirmed, seq, multiple);
                        });
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger published = new AtomicInteger();
                AtomicReference<Throwable> publisherError = new AtomicReference<>();
                byte[] padding = new byte[BODY];
                Arrays.fill(padding, (byte) '.');
                Thread publisher = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            int n = published.get();
                            byte[] body = Arrays.copyOf(padding, BODY);
                            byte[] number = (n + ":").getBytes(StandardCharsets.US_ASCII);
                            System.arraycopy(number, 0, body, 0, number.length);
                            unconfirmed.add(ch.getNextPublishSeqNo());
                            ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
                            published.incrementAndGet();
                        }
                    } catch (Exception e) {
                        publisherError.set(e);
                    }
                }, "buffer-publisher");
                publisher.setDaemon(true);
                publisher.start();
                try {
                    Await.until(Duration.ofSeconds(30), () -> published.get() > 500, "publishing through the proxy");
                    nodes.faults(VICTIM).cutOff();
                    long maxKept = 0;
                    long until = System.nanoTime() + Duration.ofMillis(2_000).toNanos();
                    while (System.nanoTime() < until) {
                        maxKept = Math.max(maxKept, kept(proxy));
                        Thread.sleep(10);
                    }
                    int publishedWhileCut = published.get();
                    Thread.sleep(500);
                    int stillPublished = published.get();
                    System.out.printf("blackholed broker: the proxy kept at most %d bytes (bound %d); the client's "
                            + "publisher stood at %d then %d half a second later%n", maxKept, BOUND, publishedWhileCut,
                            stillPublished);
                    assertTrue(maxKept >= BOUND, "the bound was reached: " + maxKept);
                    // one message past the bound, counted as the memory it holds: up to twice its body when
                    // it shares a read buffer it fills at least half (HeldMemory copies it out otherwise)
                    assertTrue(maxKept <= BOUND + 2 * BODY + 1024, "never more than one message past the bound: " + maxKept);
                    assertEquals(null, proxy.meters.find("sidecar.amqp.heartbeat.deaths").counter(),
                            "the bound acted before the heartbeat noticed the blackhole (no death recorded yet)");
                } finally {
                    nodes.faults(VICTIM).heal();
                }
                Await.until(Duration.ofSeconds(30), () -> proxy.meters.get("sidecar.amqp.recoveries")
                        .tag("outcome", "recovered").counter().count() >= 1, "the proxy recovered on another node");
                stop.set(true);
                publisher.join(30_000);
                Await.until(Duration.ofSeconds(60), unconfirmed::isEmpty, () -> unconfirmed.size() + " publishes unconfirmed");
                assertEquals(null, publisherError.get(), "the publisher saw no error");
                assertEquals(0, nacks.get());
                assertTrue(c.isOpen());
                c.close();

                BitSet seen = new BitSet();
                for (GetResponse r = adminCh.basicGet(queue, true); r != null; r = adminCh.basicGet(queue, true)) {
                    String text = new String(r.getBody(), 0, 12, StandardCharsets.US_ASCII);
                    seen.set(Integer.parseInt(text.substring(0, text.indexOf(':'))));
                }
                System.out.printf("after the failover: %d published, %d distinct in the queue%n", published.get(),
                        seen.cardinality());
                assertEquals(published.get(), seen.cardinality(), "every publish reached the queue");
                assertEquals(published.get(), seen.nextClearBit(0), "numbers 0.." + (published.get() - 1));
            } finally {
                adminCh.queueDelete(queue);
            }
        }
    }

    private static void settle(ConcurrentSkipListSet<Long> unconfirmed, long seq, boolean multiple) {
        if (multiple) {
            unconfirmed.headSet(seq, true).clear();
        } else {
            unconfirmed.remove(seq);
        }
    }

    private static long kept(ProxyUnderTest proxy) {
        return Math.round(proxy.meters.get("sidecar.amqp.publish.buffer").gauge().value());
    }
}

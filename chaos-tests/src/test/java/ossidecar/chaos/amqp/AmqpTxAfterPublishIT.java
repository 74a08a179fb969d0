package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * Issue #10: a client that publishes on a channel without confirms and then selects tx mode on
 * it gets through the proxy what it gets directly. The proxy had turned confirms on upstream
 * for its own bookkeeping, and the broker refuses tx.select on a channel in confirm mode, so
 * the proxy replaces that upstream channel first. The same steps run directly against the node
 * and through the proxy, and the outcomes (queue contents, what the channel's consumer saw, with
 * delivery tags and redelivered flags) must be equal.
 */
class AmqpTxAfterPublishIT {
    private static final int NODE = 1;

    /** What one run leaves: the publish queue's bodies in order, the consumer's deliveries, what is left to consume. */
    private record Outcome(List<String> published, List<String> consumed, long consumeQueueLeft) {
    }

    @Test
    void publishingThenTxSelectWorksThroughTheProxyAsItDoesDirectly() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        try (Connection admin = cluster.connectionFactory(NODE).newConnection("tx-after-publish-admin")) {
            Channel adminCh = admin.createChannel();
            Outcome direct;
            try (Connection c = cluster.connectionFactory(NODE).newConnection("tx-after-publish-direct")) {
                direct = run(c, adminCh, "direct");
            }
            Outcome proxied;
            try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(NODE), Duration.ofSeconds(2));
                 Connection c = proxy.connect()) {
                proxied = run(c, adminCh, "proxied");
            }
            System.out.printf("direct: %s%nproxied: %s%n", direct, proxied);
            Outcome expected = new Outcome(List.of("pre-1", "pre-2", "tx-1", "tx-2"),
                    List.of("in-1 #1", "in-2 #2"), 0);
            assertEquals(expected, direct, "the broker's own behaviour, as this test understands it");
            assertEquals(direct, proxied, "through the proxy exactly as directly");
        }
    }

    /**
     * On one channel: a consumer gets and acks a message, two publishes without confirms, then
     * tx.select, a committed publish, a rolled-back publish, a delivery acked in a transaction,
     * another committed publish.
     */
    private static Outcome run(Connection c, Channel admin, String side) throws Exception {
        String suffix = side + "-" + Long.toString(System.nanoTime(), 36);
        String out = "tx-after-publish-out-" + suffix;
        String in = "tx-after-publish-in-" + suffix;
        admin.queueDeclare(out, false, false, false, null);
        admin.queueDeclare(in, false, false, false, null);
        try {
            Channel ch = c.createChannel();
            ch.basicQos(10);
            BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
            ch.basicConsume(in, false, "tx-after-publish-consumer", (tag, d) -> deliveries.add(d), tag -> { });
            List<String> consumed = new ArrayList<>();

            admin.basicPublish("", in, null, bytes("in-1"));
            ch.basicAck(take(deliveries, consumed).getEnvelope().getDeliveryTag(), false);
            ch.basicPublish("", out, null, bytes("pre-1"));
            ch.basicPublish("", out, null, bytes("pre-2"));

            ch.txSelect(); // directly fine; through a proxy that keeps confirms on upstream, 406 unless it switches
            ch.basicPublish("", out, null, bytes("tx-1"));
            ch.txCommit();
            ch.basicPublish("", out, null, bytes("rolled-back"));
            ch.txRollback();
            admin.basicPublish("", in, null, bytes("in-2"));
            ch.basicAck(take(deliveries, consumed).getEnvelope().getDeliveryTag(), false);
            ch.txCommit(); // the ack is transactional now
            ch.basicPublish("", out, null, bytes("tx-2"));
            ch.txCommit();
            ch.close(); // anything not acked (committed) would be requeued now

            Await.until(Duration.ofSeconds(10), () -> count(admin, out) >= 4, "the committed publishes in " + out);
            List<String> published = new ArrayList<>();
            for (GetResponse r = admin.basicGet(out, true); r != null; r = admin.basicGet(out, true)) {
                published.add(new String(r.getBody(), StandardCharsets.UTF_8));
            }
            return new Outcome(published, consumed, count(admin, in));
        } finally {
            admin.queueDelete(out);
            admin.queueDelete(in);
        }
    }

    /** The consumer's next delivery, recorded as body, tag and redelivered flag. */
    private static Delivery take(BlockingQueue<Delivery> deliveries, List<String> consumed) throws InterruptedException {
        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "a delivery to the consumer on the transactional channel within 10 s");
        consumed.add(new String(d.getBody(), StandardCharsets.UTF_8) + " #" + d.getEnvelope().getDeliveryTag()
                + (d.getEnvelope().isRedeliver() ? " redelivered" : ""));
        return d;
    }

    private static long count(Channel ch, String queue) {
        try {
            return ch.messageCount(queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

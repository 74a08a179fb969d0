package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ossidecar.amqp.proxy.RecoveryStats;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.core.config.AmqpProxyConfig;

/**
 * The worst case for a confirming publisher: the node under the client's connections also
 * holds the leader of the quorum queue it publishes to. Until the survivors elect a new
 * leader, RabbitMQ nacks publishes to that queue, and a client (oslo.messaging, kombu with
 * confirm_publish) takes a nack as a failed publish. Through the proxy the client must see no
 * nack, no exception, and lose nothing the broker confirmed.
 */
class AmqpQueueLeaderLossIT {
    private static final int VICTIM = 3;
    private static final int SURVIVOR = 1;
    private static final List<Integer> PRIORITY = List.of(VICTIM, 1, 2);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final int PUBLISHERS = 2;
    private static final int MESSAGES = 6_000;
    private static final int RATE = 400;

    private static RabbitCluster cluster;

    enum Fault { KILL, STOP }

    @BeforeAll
    static void cluster() {
        cluster = SharedClusters.rabbit();
    }

    @ParameterizedTest(name = "{0} of the node under the clients that holds the queues' leaders")
    @EnumSource(Fault.class)
    void confirmingJavaPublishersSeeNoNackWhenTheQueueLeaderDies(Fault fault) throws Exception {
        String run = fault.name().toLowerCase() + "-" + Long.toString(System.nanoTime(), 36);
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            queues.add("leader-loss-" + run + "-" + i);
        }
        List<NumberedWorkload> workloads = new ArrayList<>();
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, PRIORITY, HEARTBEAT)) {
            declareQuorumQueuesLedBy(VICTIM, queues);
            for (String q : queues) {
                workloads.add(NumberedWorkload.start(proxy.factory(), q, MESSAGES, true, RATE));
            }
            for (NumberedWorkload w : workloads) {
                w.awaitProgress(0.25, Duration.ofSeconds(60));
            }
            Await.until(Duration.ofSeconds(10), () -> proxy.upstreamConnections(VICTIM) == 2 * PUBLISHERS,
                    "every workload connection upstream on the victim rabbit-" + VICTIM);
            for (String q : queues) {
                assertEquals(OptionalInt.of(VICTIM), cluster.quorumLeader(SURVIVOR, q), "leader of " + q);
            }

            inject(fault);
            List<NumberedWorkload.Result> results = new ArrayList<>();
            for (NumberedWorkload w : workloads) {
                results.add(w.finish(Duration.ofSeconds(MESSAGES / RATE).plus(AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT)));
            }
            RecoveryStats stats = proxy.proxy.recoveryStats();
            System.out.printf("queue leader lost (%s of %s, leader of %d quorum queues):%n", fault,
                    cluster.node(VICTIM).name(), queues.size());
            results.forEach(r -> System.out.printf("  client: %s%n", r));
            System.out.printf("  proxy:  %s%n", stats);
            for (NumberedWorkload.Result r : results) {
                AmqpFailoverIT.assertClientSawNothing(r, stats);
            }
            assertEquals(0, stats.nacksPassedOn(), "no nack passed on to a client: " + stats);
        } finally {
            workloads.forEach(NumberedWorkload::close);
            cluster.bringAllBack(SURVIVOR);
            deleteQueues(queues);
        }
    }

    /**
     * A queue at {@code x-overflow: reject-publish} nacks for as long as it is full: the
     * proxy's retries cannot help, and the client must get its nack once the budget is spent,
     * not wait for ever.
     */
    @Test
    void aFullRejectPublishQueueStillNacksTheClientWithinTheRetryBudget() throws Exception {
        Duration budget = Duration.ofSeconds(2);
        String queue = "reject-publish-" + Long.toString(System.nanoTime(), 36);
        try (ProxyUnderTest proxy = ProxyUnderTest.start(List.of(1, 2, 3), cluster::amqpPort, HEARTBEAT,
                AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT, budget, (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
             Connection c = proxy.connect()) {
            Channel ch = c.createChannel();
            // a classic queue rejects exactly past the length; a quorum queue only once it is already over it
            ch.queueDeclare(queue, true, false, false, Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
            ch.confirmSelect();
            ch.basicPublish("", queue, null, "fits".getBytes(StandardCharsets.UTF_8));
            assertTrue(ch.waitForConfirms(10_000), "the first message fits the queue");

            long started = System.nanoTime();
            ch.basicPublish("", queue, null, "over".getBytes(StandardCharsets.UTF_8));
            boolean acked = ch.waitForConfirms(budget.multipliedBy(3).toMillis());
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            RecoveryStats stats = proxy.proxy.recoveryStats();
            System.out.printf("reject-publish queue full: the client got %s after %d ms (budget %d ms); proxy: %s%n",
                    acked ? "an ack" : "a nack", tookMs, budget.toMillis(), stats);
            assertTrue(!acked, "the over-length publish is nacked");
            assertTrue(tookMs >= budget.toMillis() - 100, "retried for the budget first: " + tookMs + " ms");
            assertTrue(tookMs <= budget.toMillis() + 1_500, "nacked within the budget plus one backoff: " + tookMs + " ms");
            assertTrue(stats.nacksRetried() >= 2, "the proxy retried the nacked publish: " + stats);
            assertEquals(1, stats.nacksPassedOn(), "one nack passed on: " + stats);
            assertEquals(1, ch.messageCount(queue), "the queue still holds only the first message");
            ch.queueDelete(queue);
        }
    }

    /** Declared directly on {@code node}: RabbitMQ 3.10 puts a new quorum queue's leader on the declaring node. */
    private static void declareQuorumQueuesLedBy(int node, List<String> queues) throws IOException, TimeoutException {
        try (Connection c = cluster.connectionFactory(node).newConnection("leader-loss-setup")) {
            Channel ch = c.createChannel();
            for (String q : queues) {
                ch.queueDeclare(q, true, false, false, Map.of("x-queue-type", "quorum"));
            }
        }
    }

    private static void deleteQueues(List<String> queues) throws IOException, TimeoutException {
        try (Connection c = cluster.connectionFactory(SURVIVOR).newConnection("leader-loss-cleanup")) {
            Channel ch = c.createChannel();
            for (String q : queues) {
                ch.queueDelete(q);
            }
        }
    }

    private static void inject(Fault fault) {
        switch (fault) {
            case KILL -> cluster.node(VICTIM).kill();
            case STOP -> cluster.node(VICTIM).stop();
            default -> throw new IllegalArgumentException("no such fault: " + fault);
        }
    }
}

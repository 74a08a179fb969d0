package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * A client that closes its connection while the proxy holds it for a recovery is answered at
 * once and leaves nothing behind: the recovery stops, its held frames and kept publishes are
 * released, and the gauges return to 0.
 */
class AmqpRecoveryCleanupIT {
    private static final int VICTIM = 3;

    @Test
    void aClientThatClosesWhileHeldIsAnsweredAndForgottenCompletely() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        // only the victim: after the kill no node can take over, so the client stays held
        try (ProxyUnderTest proxy = ProxyUnderTest.start(List.of(VICTIM), cluster::amqpPort, Duration.ofSeconds(2),
                Duration.ofSeconds(60))) {
            Connection c = proxy.connect();
            Channel ch = c.createChannel();
            String queue = ch.queueDeclare().getQueue();
            ch.basicConsume(queue, false, (tag, d) -> { }, tag -> { });
            try {
                cluster.node(VICTIM).kill();
                Await.until(Duration.ofSeconds(10), () -> gauge(proxy, "sidecar.amqp.recovering") == 1,
                        "the proxy holding the client");
                // the client publishes into the held connection, then closes it
                for (int i = 0; i < 10; i++) {
                    ch.basicPublish("", queue, null, new byte[1024]);
                }
                Thread.sleep(500);
                long closing = System.nanoTime();
                c.close(5_000);
                long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
                System.out.printf("a held client's connection.close answered in %d ms%n", closeMs);
                assertTrue(closeMs < 2_000, "answered at once, not after the outage limit: " + closeMs + " ms");
                Await.until(Duration.ofSeconds(10), () -> gauge(proxy, "sidecar.amqp.client.connections") == 0,
                        "the proxy noticed the client went away");
                Await.until(Duration.ofSeconds(10), () -> gauge(proxy, "sidecar.amqp.recovering") == 0,
                        "the recovery stopped");
                assertEquals(0, gauge(proxy, "sidecar.amqp.publish.buffer"), "no publish kept");
                assertEquals(0, gauge(proxy, "sidecar.amqp.channels"), "no channel counted");
                assertEquals(0.0, proxy.meters.get("sidecar.amqp.recoveries").tag("outcome", "gave_up")
                        .counter().count(), "nothing to give up on: the client left first");
            } finally {
                cluster.restart(VICTIM);
            }
        }
        Await.until(Duration.ofSeconds(60), () -> cluster.clusterRunningNodes(1).size() == cluster.size(),
                "every node a running member of the cluster again");
    }

    private static long gauge(ProxyUnderTest proxy, String name) {
        return Math.round(proxy.meters.get(name).gauge().value());
    }
}

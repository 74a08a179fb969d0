package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.RabbitCluster;

/** A broker paused by SIGSTOP is declared dead by the proxy's own heartbeat, whatever the client negotiated. */
class AmqpHeartbeatIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);

    @Test
    void aPausedBrokerIsDeclaredDeadWithinTwoIntervalsAndTheClientGets320() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        int victim = 3;
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(victim), HEARTBEAT)) {
            ConnectionFactory f = proxy.factory();
            f.setRequestedHeartbeat(0); // the client asks for no heartbeat at all
            Connection c = f.newConnection();
            try {
                Channel ch = c.createChannel();
                ch.queueDeclare();
                CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
                c.addShutdownListener(closed::complete);

                long paused = System.nanoTime();
                cluster.node(victim).pause();
                try {
                    ShutdownSignalException sse = closed.get(HEARTBEAT.toMillis() * 2 + 6_000, TimeUnit.MILLISECONDS);
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
                    System.out.printf("paused broker detected and client closed after %d ms (heartbeat %d s)%n",
                            tookMs, HEARTBEAT.toSeconds());
                    assertTrue(sse.isHardError());
                    assertEquals(320, ((AMQP.Connection.Close) sse.getReason()).getReplyCode());
                    assertTrue(tookMs <= HEARTBEAT.toMillis() * 2 + 1_000,
                            "declared dead within 2 heartbeat intervals + 1 s, took " + tookMs + " ms");
                    assertEquals(1.0, proxy.meters.get("sidecar.amqp.heartbeat.deaths").counter().count());
                    assertEquals("DOWN", proxy.nodes.node("rabbit-" + victim).state().name());
                } finally {
                    cluster.node(victim).resume();
                }
            } finally {
                c.abort(); // already closed by the proxy's 320; abort never throws
            }
            cluster.node(victim).awaitReady(Duration.ofSeconds(60));
        }
    }
}

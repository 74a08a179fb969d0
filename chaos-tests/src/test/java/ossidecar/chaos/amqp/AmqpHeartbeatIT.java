package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * A broker paused by SIGSTOP is declared dead by the proxy's own heartbeat within two
 * intervals, whatever the client negotiated; the client is moved to another node, or, when
 * none takes over within the outage limit, closed cleanly with 320.
 */
class AmqpHeartbeatIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final int VICTIM = 3;

    @Test
    void aPausedBrokerIsDeclaredDeadWithinTwoIntervalsAndTheClientMovesOn() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(VICTIM, 1), HEARTBEAT)) {
            ConnectionFactory f = proxy.factory();
            f.setRequestedHeartbeat(0); // the client asks for no heartbeat at all
            Connection c = f.newConnection();
            try {
                Channel ch = c.createChannel();
                String queue = ch.queueDeclare().getQueue();
                long paused = System.nanoTime();
                cluster.node(VICTIM).pause();
                try {
                    Await.until(HEARTBEAT.multipliedBy(2).plusSeconds(4),
                            () -> proxy.meters.get("sidecar.amqp.heartbeat.deaths").counter().count() == 1.0,
                            "the proxy declared the paused broker dead");
                } finally {
                    // a paused member stalls the rest of the cluster until Erlang gives up on it (60 s): resume
                    cluster.node(VICTIM).resume();
                }
                long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
                double silentMs = proxy.meters.get("sidecar.amqp.heartbeat.detection").timer()
                        .max(TimeUnit.MILLISECONDS);
                System.out.printf("paused broker declared dead after %.0f ms of silence (seen by the test at %d ms, "
                        + "heartbeat %d s)%n", silentMs, detectedMs, HEARTBEAT.toSeconds());
                assertTrue(silentMs <= HEARTBEAT.toMillis() * 2 + 1_000,
                        "declared dead within 2 heartbeat intervals + 1 s, silent for " + silentMs + " ms");

                Await.until(Duration.ofSeconds(30), () -> proxy.meters.get("sidecar.amqp.recoveries")
                        .tag("outcome", "recovered").counter().count() == 1.0, "the proxy recovered the client");
                assertTrue(c.isOpen(), "the client saw no close");
                ch.basicPublish("", queue, null, "after".getBytes(StandardCharsets.UTF_8));
                GetResponse got = null;
                for (int i = 0; i < 50 && got == null; i++) {
                    got = ch.basicGet(queue, true);
                    if (got == null) {
                        Thread.sleep(100);
                    }
                }
                assertNotNull(got, "the old server-named queue name still works on the new node");
                assertEquals("after", new String(got.getBody(), StandardCharsets.UTF_8));
            } finally {
                c.abort();
            }
            cluster.node(VICTIM).awaitReady(Duration.ofSeconds(60));
        }
    }

    @Test
    void withNoNodeToTakeOverTheClientGetsACleanCloseAfterTheOutageLimit() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        Duration outageLimit = Duration.ofSeconds(3);
        try (ProxyUnderTest proxy = ProxyUnderTest.start(List.of(VICTIM), cluster::amqpPort, HEARTBEAT, outageLimit)) {
            ConnectionFactory f = proxy.factory();
            f.setRequestedHeartbeat(0);
            Connection c = f.newConnection();
            try {
                c.createChannel();
                CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
                c.addShutdownListener(closed::complete);
                long paused = System.nanoTime();
                cluster.node(VICTIM).pause();
                try {
                    ShutdownSignalException sse = closed.get(HEARTBEAT.toMillis() * 2 + outageLimit.toMillis() + 10_000,
                            TimeUnit.MILLISECONDS);
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
                    AMQP.Connection.Close close = (AMQP.Connection.Close) sse.getReason();
                    System.out.printf("no node to take over: client closed after %d ms: %d %s%n", tookMs,
                            close.getReplyCode(), close.getReplyText());
                    assertTrue(sse.isHardError());
                    assertEquals(320, close.getReplyCode());
                    assertTrue(close.getReplyText().contains("outage limit of 3 s"), close.getReplyText());
                    assertTrue(tookMs >= outageLimit.toMillis(), "held for the outage limit first: " + tookMs + " ms");
                    assertEquals(1.0, proxy.meters.get("sidecar.amqp.recoveries").tag("outcome", "gave_up")
                            .counter().count());
                    assertEquals("DOWN", proxy.nodes.node("rabbit-" + VICTIM).state().name());
                } finally {
                    cluster.node(VICTIM).resume();
                }
            } finally {
                c.abort();
            }
            cluster.node(VICTIM).awaitReady(Duration.ofSeconds(60));
        }
    }
}

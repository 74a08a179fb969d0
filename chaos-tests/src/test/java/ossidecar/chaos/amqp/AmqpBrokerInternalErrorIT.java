package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.proxy.BrokerClosePolicy;
import ossidecar.amqp.proxy.RecoveryStats;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.core.config.AmqpProxyConfig;

/**
 * A crash inside the broker: RabbitMQ closes a whole connection with 541 INTERNAL_ERROR when
 * one of its channel processes dies (seen in a full run: the consumer's replayed channel
 * crashed while a quorum queue elected a new leader). The client did nothing wrong, so the
 * proxy recovers the session elsewhere as it does for a lost node; the node stays UP. The
 * crash is made real by killing the broker's channel processes with {@code rabbitmqctl eval}.
 */
class AmqpBrokerInternalErrorIT {
    private static final int UNDER_CLIENT = 1;
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final String KILL_CHANNELS = "length([exit(P, kill) || P <- rabbit_channel:list_local()]).";

    private static RabbitCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = SharedClusters.rabbit();
    }

    @Test
    void killedBrokerChannelsAreRecoveredWithoutTheClientSeeingIt() throws Exception {
        String queue = "internal-error-" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = cluster.connectionFactory(2).newConnection("internal-error-setup")) {
            admin.createChannel().queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
        }
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(UNDER_CLIENT, 2, 3), HEARTBEAT);
             NumberedWorkload w = NumberedWorkload.start(proxy.factory(), queue, 3_000, true, 300)) {
            w.awaitProgress(0.3, Duration.ofSeconds(60));
            assertEquals(2, proxy.upstreamConnections(UNDER_CLIENT), "publisher and consumer upstream on rabbit-1");

            int killed = killChannels(UNDER_CLIENT);
            NumberedWorkload.Result r = w.finish(Duration.ofSeconds(10).plus(AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT));
            RecoveryStats stats = proxy.proxy.recoveryStats();
            System.out.printf("broker channels killed on rabbit-%d: %d; client: %s%n  proxy: %s%n", UNDER_CLIENT,
                    killed, r, stats);
            assertTrue(killed >= 2, "the workload's channels were on the node: " + killed);
            AmqpFailoverIT.assertClientSawNothing(r, stats);
            assertEquals(2, stats.brokerErrorsRecovered(), "both connections closed with 541 and recovered: " + stats);
            assertTrue(proxy.nodes.node(ProxyUnderTest.backendName(UNDER_CLIENT)).available(),
                    "a broker crash inside one connection leaves the node available: "
                            + proxy.nodes.node(ProxyUnderTest.backendName(UNDER_CLIENT)).snapshot());
        } finally {
            deleteQueue(queue);
        }
    }

    /** A client whose traffic keeps crashing the broker must learn of it: past the budget the 541 is passed on. */
    @Test
    void pastTheBudgetTheInternalErrorReachesTheClient() throws Exception {
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(UNDER_CLIENT), HEARTBEAT)) {
            Connection c = proxy.connect();
            Channel ch = c.createChannel();
            CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
            c.addShutdownListener(closed::complete);
            for (int i = 1; i <= BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED; i++) {
                long recovered = i;
                killChannels(UNDER_CLIENT);
                Await.until(Duration.ofSeconds(20), () -> proxy.proxy.recoveryStats().recovered() == recovered,
                        () -> "recovery " + recovered + ": " + proxy.proxy.recoveryStats());
                declareProbe(ch);
            }
            assertTrue(c.isOpen(), "recovered " + BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED + " times, still open");

            killChannels(UNDER_CLIENT);
            ShutdownSignalException why = closed.get(20, TimeUnit.SECONDS);
            System.out.printf("after %d recovered internal errors the client got: %s%n",
                    BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED, why.getMessage());
            assertNotNull(why.getReason());
            AMQP.Connection.Close close = (AMQP.Connection.Close) why.getReason();
            assertEquals(541, close.getReplyCode(), "the broker's own close: " + why.getMessage());
            assertEquals(BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED, proxy.proxy.recoveryStats().brokerErrorsRecovered());
            c.abort(); // closed already: releases the client library's threads
        }
    }

    /** A round trip through the recovered channel: it works again after each recovery. */
    private static void declareProbe(Channel ch) throws IOException {
        ch.queueDeclare("", false, true, true, Map.of());
    }

    private static int killChannels(int node) {
        return Integer.parseInt(cluster.rabbitmqctl(node, "eval", KILL_CHANNELS).trim());
    }

    private static void deleteQueue(String queue) throws Exception {
        try (Connection c = cluster.connectionFactory(2).newConnection("internal-error-cleanup")) {
            c.createChannel().queueDelete(queue);
        }
    }
}

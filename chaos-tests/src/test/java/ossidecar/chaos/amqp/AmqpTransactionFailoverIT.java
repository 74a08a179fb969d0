package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * Transactions are not replayed (tx and confirms exclude each other): a transactional channel
 * with uncommitted work when its node dies is closed with 406 and a reason, while the
 * connection and its other channels go on, and a transaction committed before the failover
 * stays committed.
 */
class AmqpTransactionFailoverIT {
    private static final int VICTIM = 3;
    private static final int SURVIVOR = 1;

    @Test
    void uncommittedWorkFailsItsChannelWith406AndTheConnectionGoesOn() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        String queue = "tx-failover-" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = cluster.connectionFactory(SURVIVOR).newConnection("tx-admin")) {
            Channel adminCh = admin.createChannel();
            adminCh.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(VICTIM, SURVIVOR), Duration.ofSeconds(2))) {
                Connection c = proxy.connect();
                Channel tx = c.createChannel();
                tx.txSelect();
                tx.basicPublish("", queue, null, bytes("committed"));
                tx.txCommit();
                tx.basicPublish("", queue, null, bytes("uncommitted"));
                Channel plain = c.createChannel();
                CompletableFuture<ShutdownSignalException> txClosed = new CompletableFuture<>();
                tx.addShutdownListener(txClosed::complete);

                cluster.node(VICTIM).kill();
                try {
                    ShutdownSignalException sse = txClosed.get(20, TimeUnit.SECONDS);
                    AMQP.Channel.Close close = (AMQP.Channel.Close) sse.getReason();
                    System.out.printf("transactional channel after the failover: %d %s%n", close.getReplyCode(),
                            close.getReplyText());
                    assertFalse(sse.isHardError(), "a channel error, not a connection error");
                    assertEquals(406, close.getReplyCode());
                    assertTrue(close.getReplyText().contains("transaction lost in a broker failover"));
                    assertThrows(AlreadyClosedException.class, tx::txCommit);

                    assertTrue(c.isOpen(), "the connection survived");
                    plain.basicPublish("", queue, null, bytes("after"));
                    Channel again = c.createChannel();
                    again.txSelect();
                    again.basicPublish("", queue, null, bytes("retried"));
                    again.txCommit();
                    assertEquals(1.0, proxy.meters.get("sidecar.amqp.recoveries").tag("outcome", "recovered")
                            .counter().count());
                } finally {
                    cluster.restart(VICTIM);
                }
                c.close();
            }
            Await.until(Duration.ofSeconds(30), () -> count(adminCh, queue) == 3, "three messages in " + queue);
            List<String> bodies = new ArrayList<>();
            for (GetResponse r = adminCh.basicGet(queue, true); r != null; r = adminCh.basicGet(queue, true)) {
                bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
            }
            assertEquals(List.of("committed", "after", "retried"), bodies, "the uncommitted publish never happened");
            adminCh.queueDelete(queue);
        }
        Await.until(Duration.ofSeconds(60), () -> cluster.clusterRunningNodes(SURVIVOR).size() == cluster.size(),
                "every node a running member of the cluster again");
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

package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.chaos.SharedClusters;

/**
 * The RabbitMQ Java client, its own recovery off, through the proxy to the real 3-node cluster.
 */
class AmqpProxyRelayIT {
    private static RabbitCluster cluster;
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedClusters.rabbit();
        proxy = ProxyUnderTest.start(cluster, List.of(1, 2, 3), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void declareBindPublishWithConfirmsAndConsumeWithManualAcks() throws Exception {
        try (Connection c = proxy.connect(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare("relay-basic-" + System.nanoTime(), false, false, false, null).getQueue();
            ch.exchangeDeclare("relay-x", BuiltinExchangeType.DIRECT, false, true, null);
            ch.queueBind(q, "relay-x", "k");
            ch.confirmSelect();
            for (int i = 0; i < 100; i++) {
                ch.basicPublish("relay-x", "k", MessageProperties.PERSISTENT_TEXT_PLAIN, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(ch.waitForConfirms(10_000), "every publish confirmed (ack)");

            BlockingQueue<String> got = new ArrayBlockingQueue<>(200);
            ch.basicQos(10);
            DeliverCallback deliver = (tag, d) -> {
                got.add(new String(d.getBody(), StandardCharsets.UTF_8));
                ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
            };
            String ctag = ch.basicConsume(q, false, deliver, (CancelCallback) t -> { });
            for (int i = 0; i < 100; i++) {
                assertEquals("m" + i, got.poll(10, TimeUnit.SECONDS));
            }
            ch.basicCancel(ctag);
            assertEquals(0, ch.messageCount(q), "all acked");
            ch.queueDelete(q);
        }
    }

    @Test
    void basicGetNackAndReject() throws Exception {
        try (Connection c = proxy.connect(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.basicPublish("", q, null, "one".getBytes(StandardCharsets.UTF_8));
            ch.basicPublish("", q, null, "two".getBytes(StandardCharsets.UTF_8));
            GetResponse r1 = awaitGet(ch, q);
            assertEquals("one", new String(r1.getBody(), StandardCharsets.UTF_8));
            ch.basicNack(r1.getEnvelope().getDeliveryTag(), false, true);   // requeue
            GetResponse again = awaitGet(ch, q);
            assertTrue(again.getEnvelope().isRedeliver(), "a nacked message comes back redelivered");
            ch.basicReject(again.getEnvelope().getDeliveryTag(), false);    // drop
            GetResponse r2 = awaitGet(ch, q);
            assertEquals("two", new String(r2.getBody(), StandardCharsets.UTF_8));
            ch.basicAck(r2.getEnvelope().getDeliveryTag(), false);
            assertNull(ch.basicGet(q, false), "queue empty: get-empty relays");
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws Exception {
        try (Connection c = proxy.connect(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.txSelect();
            ch.basicPublish("", q, null, "rolled back".getBytes(StandardCharsets.UTF_8));
            ch.txRollback();
            ch.basicPublish("", q, null, "committed".getBytes(StandardCharsets.UTF_8));
            ch.txCommit();
            GetResponse r = awaitGet(ch, q);
            assertEquals("committed", new String(r.getBody(), StandardCharsets.UTF_8));
            assertEquals(0, r.getMessageCount());
        }
    }

    @Test
    void mandatoryPublishReturnsAndExchangeToExchangeBindingRoutes() throws Exception {
        try (Connection c = proxy.connect(); Channel ch = c.createChannel()) {
            CompletableFuture<Integer> returned = new CompletableFuture<>();
            ch.addReturnListener(r -> returned.complete(r.getReplyCode()));
            ch.basicPublish("", "no-such-queue-" + System.nanoTime(), true, null, "x".getBytes(StandardCharsets.UTF_8));
            assertEquals(312, returned.get(10, TimeUnit.SECONDS), "NO_ROUTE return");

            ch.exchangeDeclare("relay-src", BuiltinExchangeType.FANOUT, false, true, null);
            ch.exchangeDeclare("relay-dst", BuiltinExchangeType.FANOUT, false, true, null);
            ch.exchangeBind("relay-dst", "relay-src", "");
            String q = ch.queueDeclare().getQueue();
            ch.queueBind(q, "relay-dst", "");
            ch.basicPublish("relay-src", "", null, "via e2e".getBytes(StandardCharsets.UTF_8));
            assertEquals("via e2e", new String(awaitGet(ch, q).getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aChannelErrorClosesOnlyThatChannel() throws Exception {
        try (Connection c = proxy.connect()) {
            Channel good = c.createChannel();
            Channel bad = c.createChannel();
            IOException e = assertThrows(IOException.class,
                    () -> bad.queueDeclarePassive("does-not-exist-" + System.nanoTime()));
            ShutdownSignalException sse = (ShutdownSignalException) e.getCause();
            assertFalse(sse.isHardError(), "a channel error, not a connection error");
            assertEquals(404, ((AMQP.Channel.Close) sse.getReason()).getReplyCode());
            assertFalse(bad.isOpen());
            assertTrue(good.isOpen());
            assertTrue(c.isOpen());
            String q = good.queueDeclare().getQueue();
            assertEquals(0, good.messageCount(q), "the other channel still works");
        }
    }

    @Test
    void aWrongPasswordFailsWith403() {
        ConnectionFactory f = proxy.factory();
        f.setPassword("wrong");
        assertThrows(AuthenticationFailureException.class, f::newConnection);
    }

    @Test
    void largeMessagesAndManyBodyFramesRelayIntact() throws Exception {
        ConnectionFactory f = proxy.factory();
        f.setRequestedFrameMax(4096); // a 16 MiB body crosses the proxy as ~4100 body frames
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            String q = ch.queueDeclare().getQueue();
            ch.confirmSelect();
            Random random = new Random(42);
            for (int size : new int[] {0, 1, 4088, 4089, 100_000, 16 * 1024 * 1024}) {
                byte[] body = new byte[size];
                random.nextBytes(body);
                ch.basicPublish("", q, null, body);
                assertTrue(ch.waitForConfirms(30_000));
                GetResponse r = awaitGet(ch, q);
                assertArrayEquals(body, r.getBody(), "body of " + size + " bytes");
                ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
            }
        }
    }

    static GetResponse awaitGet(Channel ch, String q) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            GetResponse r = ch.basicGet(q, false);
            if (r != null) {
                return r;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no message on " + q + " within 10 s");
    }
}

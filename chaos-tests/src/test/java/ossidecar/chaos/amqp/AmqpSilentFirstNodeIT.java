package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * Issue #10: the first upstream connect is bounded. The node first in priority order accepts
 * TCP and never answers (a hung broker, a half-dead load balancer); the proxy gives up on it
 * after its handshake bound and connects the client through the second node, a real one,
 * well before the client's own handshake timeout.
 */
class AmqpSilentFirstNodeIT {
    private static final int SILENT = 9;
    private static final int REAL = 1;
    /** The heartbeat the proxy gets below; with a 2 s connect timeout the bound is max(2 x 2 s, 2 x 1 s). */
    private static final long BOUND_MS = 4_000;

    @Test
    void aSilentFirstNodeDelaysTheClientByTheBoundOnly() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-node");
            acceptor.setDaemon(true);
            acceptor.start();
            try (ProxyUnderTest proxy = ProxyUnderTest.start(List.of(SILENT, REAL),
                    i -> i == SILENT ? silent.getLocalPort() : cluster.amqpPort(i), Duration.ofSeconds(1),
                    Duration.ofSeconds(60))) {
                var factory = proxy.factory();
                factory.setHandshakeTimeout((int) (3 * BOUND_MS));
                long t0 = System.nanoTime();
                try (Connection c = factory.newConnection("silent-first-node")) {
                    long tookMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                    System.out.printf("connected through the second node after %d ms%n", tookMs);
                    assertEquals(1, accepted.size(), "the silent node was tried first");
                    assertTrue(tookMs >= BOUND_MS - 200, "the silent node held the attempt for the bound: " + tookMs);
                    assertTrue(tookMs < BOUND_MS + 2_000, "and no longer: " + tookMs + " ms");
                    assertEquals(1, proxy.upstreamConnections(REAL), "the client is served by the real node");
                    Channel ch = c.createChannel();
                    String q = ch.queueDeclare().getQueue();
                    ch.basicPublish("", q, null, new byte[] {1});
                    Await.until(Duration.ofSeconds(10), () -> count(ch, q) == 1, "a working connection: the message queued");
                }
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    private static long count(Channel ch, String queue) {
        try {
            return ch.messageCount(queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

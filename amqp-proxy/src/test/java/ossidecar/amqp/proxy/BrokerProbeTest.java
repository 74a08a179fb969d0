package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.BasicNodeState;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.pool.BackendPool;
import ossidecar.core.pool.BackendPool.Backend;

/** The probe and the prober against port-0 fake brokers in process: answering, silent, refusing. */
class BrokerProbeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aBrokerThatSendsConnectionStartAnswersAndTheSocketIsClosed() throws Exception {
        try (FakeBroker broker = new FakeBroker(FakeBroker.Mode.ANSWERS)) {
            Future<Duration> f = probe(broker.endpoint()).await();
            assertTrue(f.isSuccess(), String.valueOf(f.cause()));
            assertTrue(f.getNow().compareTo(TIMEOUT) < 0, f.getNow().toString());
            assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, broker.headers().get(0));
            assertEquals(1, broker.accepted());
        }
    }

    @Test
    void aSilentBrokerTimesOut() throws Exception {
        try (FakeBroker broker = new FakeBroker(FakeBroker.Mode.SILENT)) {
            long t0 = System.nanoTime();
            Future<Duration> f = probe(broker.endpoint()).await();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertInstanceOf(TimeoutException.class, f.cause());
            assertTrue(tookMs >= TIMEOUT.toMillis() - 50 && tookMs < TIMEOUT.toMillis() + 1_000, tookMs + " ms");
        }
    }

    @Test
    void aRefusedConnectFailsAtOnce() throws Exception {
        Future<Duration> f = probe(FakeBroker.refusingEndpoint()).await();
        assertInstanceOf(ConnectException.class, f.cause());
    }

    @Test
    void aBrokerOfferingAnotherProtocolVersionFails() throws Exception {
        try (FakeBroker broker = new FakeBroker(FakeBroker.Mode.OTHER_VERSION)) {
            Future<Duration> f = probe(broker.endpoint()).await();
            assertInstanceOf(IOException.class, f.cause());
            assertTrue(f.cause().getMessage().contains("offered 1-1-0-10"), f.cause().getMessage());
        }
    }

    @Test
    void theProberBringsBackADownNodeThatAnswersAndLeavesTheOthersDown() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FakeBroker answers = new FakeBroker(FakeBroker.Mode.ANSWERS);
             FakeBroker silent = new FakeBroker(FakeBroker.Mode.SILENT)) {
            BackendPool pool = new BackendPool("amqp", List.of(
                    new BackendNode("back", answers.endpoint()),
                    new BackendNode("silent", silent.endpoint()),
                    new BackendNode("gone", FakeBroker.refusingEndpoint())), ConnectStrategy.ROUND_ROBIN,
                    new NodeRegistry("amqp", meters, Clock.systemUTC()), meters);
            for (Backend b : pool.backends()) {
                pool.connectFailed(b, Duration.ZERO, new IOException("Connection refused"));
                pool.connectFailed(b, Duration.ZERO, new IOException("Connection refused"));
                assertEquals(CircuitBreaker.State.OPEN, b.breaker().getState());
            }
            Backend back = pool.backends().get(0);
            Backend silentNode = pool.backends().get(1);
            Backend gone = pool.backends().get(2);
            try (NodeProber prober = new NodeProber(pool, group.next(), Duration.ofMillis(200), TIMEOUT)) {
                until(() -> back.health().state() == BasicNodeState.UP, "the answering node UP");
                assertEquals(CircuitBreaker.State.CLOSED, back.breaker().getState());
                until(() -> probes(meters, "gone", "failed") >= 3 && probes(meters, "silent", "failed") >= 1,
                        "the other two probed and failing");
                assertEquals(BasicNodeState.DOWN, silentNode.health().state());
                assertEquals(BasicNodeState.DOWN, gone.health().state());
                int acceptedAfterUp = answers.accepted();
                assertEquals(1.0, probes(meters, "back", "answered"));
                until(() -> probes(meters, "gone", "failed") >= 6, "more probes of the refusing node");
                assertEquals(acceptedAfterUp, answers.accepted(), "an UP node is not probed");
                assertEquals(0.0, probes(meters, "back", "failed"));
            }
        }
    }

    private Future<Duration> probe(Endpoint e) {
        return BrokerProbe.probe(group.next(), e, TIMEOUT);
    }

    private static double probes(SimpleMeterRegistry meters, String node, String outcome) {
        var c = meters.find("sidecar.node.probes").tag("node", node).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}

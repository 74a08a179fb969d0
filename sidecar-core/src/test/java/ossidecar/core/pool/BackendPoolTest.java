package ossidecar.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import ossidecar.core.TestClock;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.BasicNodeState;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.pool.BackendPool.Backend;

class BackendPoolTest {
    private static final List<BackendNode> NODES = List.of(node("a"), node("b"), node("c"));
    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void roundRobinRotatesTheStartingNode() {
        BackendPool p = pool(ConnectStrategy.ROUND_ROBIN);
        assertEquals("a,b,c", names(p.attemptOrder()));
        assertEquals("b,c,a", names(p.attemptOrder()));
        assertEquals("c,a,b", names(p.attemptOrder()));
        assertEquals("a,b,c", names(p.attemptOrder()));
    }

    @Test
    void priorityKeepsTheConfiguredOrderAndLeastConnectionsPrefersTheEmptiest() {
        BackendPool prio = pool(ConnectStrategy.PRIORITY);
        assertEquals("a,b,c", names(prio.attemptOrder()));
        assertEquals("a,b,c", names(prio.attemptOrder()));

        BackendPool least = pool(ConnectStrategy.LEAST_CONNECTIONS);
        Backend a = least.backends().get(0);
        Backend b = least.backends().get(1);
        least.connected(a, Duration.ZERO);
        least.connected(a, Duration.ZERO);
        least.connected(b, Duration.ZERO);
        assertEquals("c,b,a", names(least.attemptOrder()));
        least.released(a);
        least.released(a);
        assertEquals("a,c,b", names(least.attemptOrder()));
    }

    @Test
    void aFailingNodeGoesDownAndLastThenIsTriedAgainAfterTheOpenInterval() {
        BackendPool p = pool(ConnectStrategy.PRIORITY);
        Backend a = p.backends().get(0);
        p.connectFailed(a, Duration.ofMillis(3), new IOException("Connection refused"));
        assertEquals(BasicNodeState.DOWN, a.health().state());
        assertEquals("b,c,a", names(p.attemptOrder()), "a DOWN node is tried after the healthy ones");
        p.connectFailed(a, Duration.ofMillis(3), new IOException("Connection refused"));
        assertEquals(CircuitBreaker.State.OPEN, a.breaker().getState());
        assertEquals("b,c,a", names(p.attemptOrder()));

        clock.advance(Duration.ofSeconds(10));
        assertEquals("a,b,c", names(p.attemptOrder()), "after the open interval a gets a trial");
        p.connected(a, Duration.ofMillis(2));
        assertEquals(BasicNodeState.UP, a.health().state());
        assertEquals(1.0, meters.get("sidecar.upstream.connects").tag("node", "a").tag("outcome", "failed").counter().count() / 2);
    }

    @Test
    void theExcludedNodeGoesLastEvenWhenHealthy() {
        BackendPool p = pool(ConnectStrategy.PRIORITY);
        assertEquals("b,c,a", names(p.attemptOrder(NODES.get(0))));
    }

    @Test
    void aLivenessDeathMarksTheNodeDownButANormalCloseDoesNot() {
        BackendPool p = pool(ConnectStrategy.PRIORITY);
        Backend b = p.backends().get(1);
        p.connected(b, Duration.ZERO);
        p.connected(b, Duration.ZERO);
        p.released(b);
        assertTrue(b.health().available());
        p.lost(b, "missed 2 heartbeats", true);
        assertFalse(b.health().available());
        assertEquals(0, b.connections());
    }

    @Test
    void aProbeAnswerClosesTheBreakerAndPutsTheNodeBackIntoTheRotationAtOnce() {
        BackendPool p = pool(ConnectStrategy.ROUND_ROBIN);
        Backend c = p.backends().get(2);
        p.connected(c, Duration.ZERO);
        p.lost(c, "connection reset", true);
        p.connectFailed(c, Duration.ofMillis(1), new IOException("Connection refused"));
        assertEquals(CircuitBreaker.State.OPEN, c.breaker().getState());
        for (int i = 0; i < 3; i++) {
            assertEquals("c", names(p.attemptOrder()).substring(4), "DOWN and open: tried last");
        }
        p.probeFailed(c);
        assertEquals(BasicNodeState.DOWN, c.health().state(), "a failed probe changes nothing");

        p.probeAnswered(c, Duration.ofMillis(2));
        assertEquals(BasicNodeState.UP, c.health().state());
        assertEquals(CircuitBreaker.State.CLOSED, c.breaker().getState());
        // no clock advance: the breaker's open wait has not passed, yet c is admitted in turn
        assertEquals("a,b,c", names(p.attemptOrder()));
        assertEquals("b,c,a", names(p.attemptOrder()));
        assertEquals("c,a,b", names(p.attemptOrder()));
        assertEquals(1.0, meters.get("sidecar.node.probes").tag("node", "c").tag("outcome", "answered").counter().count());
        assertEquals(1.0, meters.get("sidecar.node.probes").tag("node", "c").tag("outcome", "failed").counter().count());
    }

    private BackendPool pool(ConnectStrategy s) {
        CircuitBreakerConfig cfg = CircuitBreakerConfig.from(BackendPool.DEFAULT_BREAKER).clock(clock).build();
        return new BackendPool("amqp", NODES, s, new NodeRegistry("amqp", meters, clock), meters, cfg);
    }

    private static String names(List<Backend> order) {
        return String.join(",", order.stream().map(b -> b.node().name()).toList());
    }

    private static BackendNode node(String name) {
        return new BackendNode(name, new Endpoint("127.0.0.1", 1000 + name.charAt(0)));
    }
}

package ossidecar.core.pool;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.health.BasicNodeState;
import ossidecar.core.health.NodeRegistry;

/**
 * The backend nodes of one proxy and the policy for picking one for a new upstream
 * connection. Node health comes from connect outcomes and liveness deaths; each node has a
 * Resilience4j circuit breaker whose open state waits a jittered, growing interval, so a dead
 * node is not hammered by every client at once and a returning node is tried again.
 *
 * <p>This class decides; it does no I/O. Callers ask {@link #attemptOrder()}, try the nodes
 * in that order, and report each outcome. A prober reports probes of DOWN nodes
 * ({@link #probeAnswered}), which is how a returned node takes new connections again.
 */
public final class BackendPool {
    /** Open after two failures in the last two attempts: one refused connect may be a blip. */
    static final CircuitBreakerConfig DEFAULT_BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(2)
            .minimumNumberOfCalls(2)
            .failureRateThreshold(100)
            .permittedNumberOfCallsInHalfOpenState(1)
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialRandomBackoff(
                    Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(30)))
            .build();

    private final String proxy;
    private final ConnectStrategy strategy;
    private final List<Backend> backends = new ArrayList<>();
    private final AtomicInteger nextRoundRobin = new AtomicInteger();
    private final MeterRegistry meters;

    public BackendPool(String proxy, List<BackendNode> nodes, ConnectStrategy strategy, NodeRegistry registry,
                       MeterRegistry meters, CircuitBreakerConfig breaker) {
        this.proxy = proxy;
        this.strategy = strategy;
        this.meters = meters;
        for (BackendNode n : nodes) {
            backends.add(new Backend(n, registry.register(n.name(), BasicNodeState.UNKNOWN),
                    CircuitBreaker.of(proxy + "/" + n.name(), breaker)));
        }
    }

    public BackendPool(String proxy, List<BackendNode> nodes, ConnectStrategy strategy, NodeRegistry registry,
                       MeterRegistry meters) {
        this(proxy, nodes, strategy, registry, meters, DEFAULT_BREAKER);
    }

    public List<Backend> backends() {
        return List.copyOf(backends);
    }

    /**
     * Every node, in the order to try them: those whose breaker admits a call first, ordered
     * by the strategy; then the rest, so that when every breaker is open a client still gets
     * an attempt rather than an instant refusal. {@code exclude} (e.g. the node that just died
     * under a client) goes last.
     */
    public List<Backend> attemptOrder(BackendNode exclude) {
        List<Backend> base = new ArrayList<>(backends);
        switch (strategy) {
            case ROUND_ROBIN -> {
                int start = Math.floorMod(nextRoundRobin.getAndIncrement(), base.size());
                List<Backend> rotated = new ArrayList<>(base.subList(start, base.size()));
                rotated.addAll(base.subList(0, start));
                base = rotated;
            }
            case LEAST_CONNECTIONS -> base.sort(Comparator.comparingInt(Backend::connections));
            case PRIORITY -> {
                // configured order is the priority
            }
        }
        List<Backend> admitted = new ArrayList<>();
        List<Backend> rest = new ArrayList<>();
        for (Backend b : base) {
            boolean excluded = exclude != null && b.node().equals(exclude);
            if (!excluded && b.health().available() && b.breaker().getState() != CircuitBreaker.State.OPEN) {
                admitted.add(b);
            } else if (!excluded && b.breaker().getState() == CircuitBreaker.State.OPEN
                    && b.breaker().tryAcquirePermission()) {
                // the open interval has passed: a half-open trial is allowed
                b.breaker().releasePermission();
                admitted.add(b);
            } else {
                rest.add(b);
            }
        }
        rest.sort(Comparator.comparing((Backend b) -> exclude != null && b.node().equals(exclude)));
        admitted.addAll(rest);
        return admitted;
    }

    public List<Backend> attemptOrder() {
        return attemptOrder(null);
    }

    public Backend backend(BackendNode node) {
        for (Backend b : backends) {
            if (b.node().equals(node)) {
                return b;
            }
        }
        throw new IllegalArgumentException("not a node of " + proxy + ": " + node);
    }

    /** A connection to {@code b} opened (handshake done). */
    public void connected(Backend b, Duration took) {
        b.breaker().onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
        b.health().transitionTo(BasicNodeState.UP, "connected");
        b.connections.incrementAndGet();
        outcome(b, "ok");
    }

    /** An attempt to connect to {@code b} failed. */
    public void connectFailed(Backend b, Duration took, Throwable cause) {
        b.breaker().onError(took.toNanos(), TimeUnit.NANOSECONDS, cause);
        b.health().transitionTo(BasicNodeState.DOWN, "connect failed: " + describe(cause));
        outcome(b, "failed");
    }

    /** A connection that was open to {@code b} died (socket error, heartbeat death, forced close). */
    public void lost(Backend b, String reason, boolean nodeFault) {
        b.connections.decrementAndGet();
        if (nodeFault) {
            b.breaker().onError(0, TimeUnit.NANOSECONDS, new IllegalStateException(reason));
            b.health().transitionTo(BasicNodeState.DOWN, reason);
        }
    }

    /**
     * A probe found the DOWN node {@code b} answering again. Its breaker is still open or
     * half-open from the failures that took it down, and {@link #attemptOrder} admits an open
     * breaker only after its wait, so it is reset (closed) before the node is marked UP: new
     * connections use the node at once. Connections elsewhere stay where they are.
     */
    public void probeAnswered(Backend b, Duration took) {
        b.breaker().reset();
        b.health().transitionTo(BasicNodeState.UP, "probe answered in " + took.toMillis() + " ms");
        probe(b, "answered");
    }

    /** A probe of {@code b} failed: the node stays as it is (probes are sent only to DOWN nodes). */
    public void probeFailed(Backend b) {
        probe(b, "failed");
    }

    /** A connection to {@code b} was closed normally. */
    public void released(Backend b) {
        b.connections.decrementAndGet();
    }

    private void outcome(Backend b, String outcome) {
        Counter.builder("sidecar.upstream.connects")
                .description("upstream connection attempts by node and outcome")
                .tags("proxy", proxy, "node", b.node().name(), "outcome", outcome)
                .register(meters).increment();
    }

    private void probe(Backend b, String outcome) {
        Counter.builder("sidecar.node.probes")
                .description("active probes of DOWN nodes by node and outcome")
                .tags("proxy", proxy, "node", b.node().name(), "outcome", outcome)
                .register(meters).increment();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** One node with its health, breaker and live connection count. */
    public static final class Backend {
        private final BackendNode node;
        private final ossidecar.core.health.NodeHealth health;
        private final CircuitBreaker breaker;
        private final AtomicInteger connections = new AtomicInteger();

        Backend(BackendNode node, ossidecar.core.health.NodeHealth health, CircuitBreaker breaker) {
            this.node = node;
            this.health = health;
            this.breaker = breaker;
        }

        public BackendNode node() {
            return node;
        }

        public ossidecar.core.health.NodeHealth health() {
            return health;
        }

        public CircuitBreaker breaker() {
            return breaker;
        }

        public int connections() {
            return connections.get();
        }

        @Override
        public String toString() {
            return node.name();
        }
    }
}

package ossidecar.chaos.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntUnaryOperator;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.pool.BackendPool.Backend;

/** An AMQP proxy on a port-0 loopback listener in front of chosen nodes of the harness cluster. */
final class ProxyUnderTest implements AutoCloseable {
    final AmqpProxy proxy;
    final SimpleMeterRegistry meters;
    final NodeRegistry nodes;

    private ProxyUnderTest(AmqpProxy proxy, SimpleMeterRegistry meters, NodeRegistry nodes) {
        this.proxy = proxy;
        this.meters = meters;
        this.nodes = nodes;
    }

    /** {@code nodeIndexes} are the harness's 1-based node numbers, in priority order. */
    static ProxyUnderTest start(RabbitCluster cluster, List<Integer> nodeIndexes, Duration heartbeat) throws InterruptedException {
        return start(nodeIndexes, cluster::amqpPort, heartbeat, AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT);
    }

    /**
     * Backends {@code rabbit-<i>} for each 1-based index, in priority order, reached at
     * {@code portOf(i)}: the node's own port, or a Toxiproxy listener in front of it.
     */
    static ProxyUnderTest start(List<Integer> nodeIndexes, IntUnaryOperator portOf, Duration heartbeat,
                                Duration outageLimit) throws InterruptedException {
        return start(nodeIndexes, portOf, heartbeat, outageLimit, (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
    }

    /** As above, with the bound on unconfirmed publishes kept per client connection. */
    static ProxyUnderTest start(List<Integer> nodeIndexes, IntUnaryOperator portOf, Duration heartbeat,
                                Duration outageLimit, long publishBufferBytes) throws InterruptedException {
        return start(nodeIndexes, portOf, heartbeat, outageLimit, AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET,
                publishBufferBytes);
    }

    /** As above, with how long after its first nack the proxy still publishes a message again. */
    static ProxyUnderTest start(List<Integer> nodeIndexes, IntUnaryOperator portOf, Duration heartbeat,
                                Duration outageLimit, Duration nackRetryBudget, long publishBufferBytes)
            throws InterruptedException {
        List<BackendNode> backends = nodeIndexes.stream()
                .map(i -> new BackendNode(backendName(i), new Endpoint("127.0.0.1", portOf.applyAsInt(i))))
                .toList();
        AmqpProxyConfig config = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0), backends,
                ConnectStrategy.PRIORITY, heartbeat, Duration.ofSeconds(2), outageLimit, nackRetryBudget, publishBufferBytes);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        NodeRegistry nodes = new NodeRegistry("amqp", meters, Clock.systemUTC());
        return new ProxyUnderTest(AmqpProxy.start(config, nodes, meters), meters, nodes);
    }

    static String backendName(int nodeIndex) {
        return "rabbit-" + nodeIndex;
    }

    /** Open upstream connections from the proxy to node {@code nodeIndex} (1-based). */
    int upstreamConnections(int nodeIndex) {
        return proxy.pool().backends().stream()
                .filter(b -> b.node().name().equals(backendName(nodeIndex)))
                .mapToInt(Backend::connections)
                .sum();
    }

    /** The node (1-based) holding the most open upstream connections now; empty when none is open. */
    OptionalInt busiestNode() {
        return proxy.pool().backends().stream()
                .filter(b -> b.connections() > 0)
                .max(Comparator.comparingInt(Backend::connections))
                .map(b -> OptionalInt.of(Integer.parseInt(b.node().name().substring("rabbit-".length()))))
                .orElse(OptionalInt.empty());
    }

    /** A client with its own recovery off: anything it survives, the proxy did. */
    ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(proxy.port());
        f.setUsername("sidecar");
        f.setPassword("sidecar");
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        f.setConnectionTimeout(10_000);
        return f;
    }

    Connection connect() throws Exception {
        return factory().newConnection();
    }

    @Override
    public void close() {
        proxy.close();
    }
}

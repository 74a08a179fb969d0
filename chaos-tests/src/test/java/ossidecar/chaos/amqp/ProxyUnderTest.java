package ossidecar.chaos.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

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

    /** {@code nodeIndexes} are the harness's 1-based node numbers. */
    static ProxyUnderTest start(RabbitCluster cluster, List<Integer> nodeIndexes, Duration heartbeat) throws InterruptedException {
        List<BackendNode> backends = nodeIndexes.stream()
                .map(i -> new BackendNode("rabbit-" + i, new Endpoint("127.0.0.1", cluster.amqpPort(i))))
                .toList();
        AmqpProxyConfig config = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0), backends,
                ConnectStrategy.PRIORITY, heartbeat, Duration.ofSeconds(2), Duration.ofSeconds(60),
                (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        NodeRegistry nodes = new NodeRegistry("amqp", meters, Clock.systemUTC());
        return new ProxyUnderTest(AmqpProxy.start(config, nodes, meters), meters, nodes);
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

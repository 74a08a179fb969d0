package ossidecar.core.config;

import java.time.Duration;
import java.util.List;

/** The AMQP 0-9-1 proxy in front of a RabbitMQ cluster. */
public record AmqpProxyConfig(
        boolean enabled,
        Endpoint listen,
        List<BackendNode> nodes,
        ConnectStrategy strategy,
        Duration heartbeat,
        Duration connectTimeout,
        Duration outageLimit,
        Duration nackRetryBudget,
        long publishBufferBytes,
        Duration probeInterval) {

    public static final Endpoint DEFAULT_LISTEN = new Endpoint("127.0.0.1", 5672);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofSeconds(60);
    /** Above a quorum queue's leader election after a node loss (a few seconds), with room to spare. */
    public static final Duration DEFAULT_NACK_RETRY_BUDGET = Duration.ofSeconds(15);
    public static final int DEFAULT_PUBLISH_BUFFER_MIB = 64;
    /**
     * How often a DOWN node is probed (TCP connect and the broker's connection.start). 2 s puts
     * a returned node back into the rotation within a few seconds, about as fast as the proxy
     * notices a death (two 5 s heartbeats are slower), while a probe of a dead host costs only a
     * refused or timed-out connect; UP nodes are never probed, so an idle healthy cluster sees
     * no probe at all. Jittered per node so many sidecars do not probe in step.
     */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);

    public AmqpProxyConfig {
        nodes = List.copyOf(nodes);
    }

    /** With the default probe interval (for callers that do not tune it: tests, demo, bench). */
    public AmqpProxyConfig(boolean enabled, Endpoint listen, List<BackendNode> nodes, ConnectStrategy strategy,
                           Duration heartbeat, Duration connectTimeout, Duration outageLimit,
                           Duration nackRetryBudget, long publishBufferBytes) {
        this(enabled, listen, nodes, strategy, heartbeat, connectTimeout, outageLimit, nackRetryBudget,
                publishBufferBytes, DEFAULT_PROBE_INTERVAL);
    }

    /** AMQP negotiates heartbeats in whole seconds (§4.2.7): the configured interval rounded up. */
    public int heartbeatSeconds() {
        return (int) Math.max(1, (heartbeat.toMillis() + 999) / 1000);
    }
}

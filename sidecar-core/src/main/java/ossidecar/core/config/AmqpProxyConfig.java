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
        long publishBufferBytes) {

    public static final Endpoint DEFAULT_LISTEN = new Endpoint("127.0.0.1", 5672);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_OUTAGE_LIMIT = Duration.ofSeconds(60);
    /** Above a quorum queue's leader election after a node loss (a few seconds), with room to spare. */
    public static final Duration DEFAULT_NACK_RETRY_BUDGET = Duration.ofSeconds(15);
    public static final int DEFAULT_PUBLISH_BUFFER_MIB = 64;

    public AmqpProxyConfig {
        nodes = List.copyOf(nodes);
    }

    /** AMQP negotiates heartbeats in whole seconds (§4.2.7): the configured interval rounded up. */
    public int heartbeatSeconds() {
        return (int) Math.max(1, (heartbeat.toMillis() + 999) / 1000);
    }
}

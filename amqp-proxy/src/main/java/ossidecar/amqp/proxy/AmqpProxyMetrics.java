package ossidecar.amqp.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The AMQP proxy's meters; names are Micrometer's dotted form of the Prometheus names. */
final class AmqpProxyMetrics {
    private final MeterRegistry registry;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger channels = new AtomicInteger();
    final Counter connectionsOpened;
    final Counter framesClientToBroker;
    final Counter framesBrokerToClient;
    final ByteCounter clientBytes;
    final ByteCounter upstreamBytes;
    final Counter malformedFromClients;

    AmqpProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("sidecar.amqp.client.connections", connections, AtomicInteger::get)
                .description("open client connections").register(registry);
        Gauge.builder("sidecar.amqp.channels", channels, AtomicInteger::get)
                .description("open channels across client connections").register(registry);
        connectionsOpened = Counter.builder("sidecar.amqp.client.connections.opened").register(registry);
        framesClientToBroker = frames("client_to_broker");
        framesBrokerToClient = frames("broker_to_client");
        clientBytes = new ByteCounter(bytes("client", "in"), bytes("client", "out"));
        upstreamBytes = new ByteCounter(bytes("broker", "in"), bytes("broker", "out"));
        malformedFromClients = Counter.builder("sidecar.amqp.client.protocol.errors")
                .description("client connections closed for malformed input").register(registry);
    }

    private Counter frames(String direction) {
        return Counter.builder("sidecar.amqp.frames").tag("direction", direction).register(registry);
    }

    /** Bytes on the client sockets or the broker sockets, read (in) or written (out) by the proxy. */
    private Counter bytes(String side, String direction) {
        return Counter.builder("sidecar.amqp.bytes").tags("side", side, "direction", direction)
                .baseUnit("bytes").register(registry);
    }

    void heartbeatDeath(String node, Duration silentFor) {
        Counter.builder("sidecar.amqp.heartbeat.deaths").tag("node", node)
                .description("broker connections declared dead after two silent heartbeat intervals")
                .register(registry).increment();
        Timer.builder("sidecar.amqp.heartbeat.detection").tag("node", node)
                .description("how long a broker was silent before it was declared dead")
                .register(registry).record(silentFor);
    }
}

package ossidecar.amqp.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import ossidecar.amqp.recovery.QueueDeclaration;

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
    final AtomicInteger recovering = new AtomicInteger();
    final AtomicLong publishBufferBytes = new AtomicLong();
    final Counter recoveryAttemptsFailed;
    final Counter acksAbsorbed;
    final Counter republished;
    final Counter nacksRetried;
    final Counter nacksPassedOn;
    final Counter brokerErrorsRecovered;
    private final Counter recoveredCount;
    private final Counter gaveUpCount;
    private final Timer recoveryDuration;
    private final Counter replayedEntities;
    private final AtomicLong heartbeatDeaths = new AtomicLong();
    /** The longest recovery since start (the timer's own max decays with its time window). */
    private final AtomicLong longestRecoveryNanos = new AtomicLong();
    /** Queue declares by type, then [non-durable, durable]; all registered up front so each shows at 0. */
    private final Map<QueueDeclaration.Type, Counter[]> queuesDeclared = new EnumMap<>(QueueDeclaration.Type.class);

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
        Gauge.builder("sidecar.amqp.recovering", recovering, AtomicInteger::get)
                .description("client connections held while the proxy rebuilds them on another node").register(registry);
        Gauge.builder("sidecar.amqp.publish.buffer", publishBufferBytes, AtomicLong::get).baseUnit("bytes")
                .description("publishes kept until the broker confirms them, deliveries being assembled and client frames held, across client connections").register(registry);
        recoveryAttemptsFailed = Counter.builder("sidecar.amqp.recovery.attempts.failed")
                .description("recovery attempts on one node that failed (the next node was tried)").register(registry);
        acksAbsorbed = Counter.builder("sidecar.amqp.acks.absorbed")
                .description("client acks, nacks and rejects naming deliveries of a lost upstream (the broker redelivers)")
                .register(registry);
        republished = Counter.builder("sidecar.amqp.republished")
                .description("unconfirmed publishes sent again after a failover").register(registry);
        nacksRetried = Counter.builder("sidecar.amqp.nacks").tag("outcome", "retried")
                .description("broker nacks of publishes: retried by the proxy, or passed on to the client after "
                        + "the retry budget").register(registry);
        nacksPassedOn = Counter.builder("sidecar.amqp.nacks").tag("outcome", "passed_on")
                .description("broker nacks of publishes: retried by the proxy, or passed on to the client after "
                        + "the retry budget").register(registry);
        brokerErrorsRecovered = Counter.builder("sidecar.amqp.broker.errors.recovered")
                .description("connections the broker closed with 541 INTERNAL_ERROR (a crash inside the broker), "
                        + "recovered on another node instead of passed on").register(registry);
        recoveredCount = recoveries("recovered");
        gaveUpCount = recoveries("gave_up");
        recoveryDuration = Timer.builder("sidecar.amqp.recovery.duration")
                .description("from upstream loss until the client is served again (or given up)").register(registry);
        replayedEntities = Counter.builder("sidecar.amqp.recovery.replayed")
                .description("channels, exchanges, queues, bindings, settings and consumers replayed").register(registry);
        for (QueueDeclaration.Type type : QueueDeclaration.Type.values()) {
            queuesDeclared.put(type, new Counter[] {queuesDeclared(type, false), queuesDeclared(type, true)});
        }
    }

    private Counter queuesDeclared(QueueDeclaration.Type type, boolean durable) {
        return Counter.builder("sidecar.amqp.queues.declared").tags("type", type.tag(), "durable", String.valueOf(durable))
                .description("queue declares from clients (passive ones excepted), by queue type and durability; "
                        + "classic queues are lost with their node unless a mirroring policy applies")
                .register(registry);
    }

    void queueDeclared(QueueDeclaration q) {
        queuesDeclared.get(q.type())[q.durable() ? 1 : 0].increment();
    }

    /** For {@code /status}: queue declares since start per type, durable or not. */
    Map<String, Long> queuesDeclaredByType() {
        Map<String, Long> out = new LinkedHashMap<>();
        queuesDeclared.forEach((type, counters) ->
                out.put(type.tag(), (long) (counters[0].count() + counters[1].count())));
        return out;
    }

    private Counter recoveries(String outcome) {
        return Counter.builder("sidecar.amqp.recoveries").tag("outcome", outcome)
                .description("upstream losses under an open client connection, by outcome").register(registry);
    }

    void recovered(Duration took, int entities) {
        recoveredCount.increment();
        recordRecovery(took);
        replayedEntities.increment(entities);
    }

    void gaveUp(Duration took) {
        gaveUpCount.increment();
        recordRecovery(took);
    }

    private void recordRecovery(Duration took) {
        recoveryDuration.record(took);
        longestRecoveryNanos.accumulateAndGet(took.toNanos(), Math::max);
    }

    RecoveryStats recoveryStats() {
        return new RecoveryStats((long) recoveredCount.count(), (long) gaveUpCount.count(), recovering.get(),
                longestRecoveryNanos.get() / 1_000_000, Math.round(recoveryDuration.mean(TimeUnit.MILLISECONDS)),
                (long) replayedEntities.count(), (long) republished.count(), (long) acksAbsorbed.count(),
                heartbeatDeaths.get(), (long) nacksRetried.count(), (long) nacksPassedOn.count(),
                (long) brokerErrorsRecovered.count());
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
        heartbeatDeaths.incrementAndGet();
        Counter.builder("sidecar.amqp.heartbeat.deaths").tag("node", node)
                .description("broker connections declared dead after two silent heartbeat intervals")
                .register(registry).increment();
        Timer.builder("sidecar.amqp.heartbeat.detection").tag("node", node)
                .description("how long a broker was silent before it was declared dead")
                .register(registry).record(silentFor);
    }
}

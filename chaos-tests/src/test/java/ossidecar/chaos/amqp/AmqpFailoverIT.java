package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ossidecar.chaos.SharedClusters;
import ossidecar.amqp.proxy.RecoveryStats;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.chaos.harness.RabbitNode;
import ossidecar.chaos.toxiproxy.FaultInjector;
import ossidecar.chaos.toxiproxy.ProxiedNodes;
import ossidecar.chaos.toxiproxy.ToxiproxyEndpoint;
import ossidecar.core.config.AmqpProxyConfig;

/**
 * Transparent failover, accepted from the client's side: the RabbitMQ Java client with its own
 * recovery off publishes and consumes numbered messages through the proxy while the node under
 * its connections fails. It must see no exception or close, and every message the broker
 * confirmed (or, without confirms, every message it published) must arrive.
 *
 * <p>The proxy prefers the victim (priority order victim, then the others), so the workload's
 * upstream connections start there. Queues are declared directly on a surviving node, so their
 * leader (quorum) or master (classic mirrored) outlives the victim: what fails is the client's
 * path to the cluster, not the queue.
 */
class AmqpFailoverIT {
    private static final int VICTIM = 3;
    /** Where queues are declared and the test's own direct connections go. */
    private static final int SURVIVOR = 1;
    private static final List<Integer> PRIORITY = List.of(VICTIM, 1, 2);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final Duration OUTAGE_LIMIT = AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT;

    private static final int MESSAGES = 20_000;
    /** ~29 s of publishing: the fault at 25% leaves ~20 s of traffic after it. */
    private static final int RATE = 700;
    /** Flapping lasts 60 s, so the workload must too: ~67 s of publishing. */
    private static final int FLAP_RATE = 300;
    private static final double FAULT_AT = 0.25;
    private static final double FLAP_FROM = 0.05;
    /** Beyond the publishing time: the outage limit plus time to drain. */
    private static final Duration FINISH_SLACK = OUTAGE_LIMIT.plusSeconds(30);
    /** Two silent heartbeat intervals, plus margin. */
    private static final Duration DETECTION_TIMEOUT = HEARTBEAT.multipliedBy(2).plusSeconds(15);

    private static final Duration FLAP_FOR = Duration.ofSeconds(60);
    private static final Duration FLAP_DOWN = Duration.ofMillis(1_500);
    private static final Duration FLAP_UP = Duration.ofMillis(1_500);

    private static final String HA_POLICY = "failover-ha";
    private static final String MIRRORED_PREFIX = "failover-mirrored-";
    private static final String HA_DEFINITION = "{\"ha-mode\":\"all\",\"ha-sync-mode\":\"automatic\"}";

    private static RabbitCluster cluster;

    enum QueueKind {
        QUORUM("failover-quorum-", Map.of("x-queue-type", "quorum")),
        MIRRORED(MIRRORED_PREFIX, Map.of());

        final String prefix;
        final Map<String, Object> arguments;

        QueueKind(String prefix, Map<String, Object> arguments) {
            this.prefix = prefix;
            this.arguments = arguments;
        }
    }

    enum Fault {
        KILL, PAUSE, STOP, CUT_OFF, FLAP;

        boolean viaToxiproxy() {
            return this == CUT_OFF || this == FLAP;
        }
    }

    @BeforeAll
    static void cluster() {
        cluster = SharedClusters.rabbit();
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                arguments(QueueKind.QUORUM, Fault.KILL),
                arguments(QueueKind.QUORUM, Fault.PAUSE),
                arguments(QueueKind.QUORUM, Fault.STOP),
                arguments(QueueKind.QUORUM, Fault.CUT_OFF),
                arguments(QueueKind.QUORUM, Fault.FLAP),
                arguments(QueueKind.MIRRORED, Fault.KILL),
                arguments(QueueKind.MIRRORED, Fault.STOP),
                arguments(QueueKind.MIRRORED, Fault.CUT_OFF));
    }

    @ParameterizedTest(name = "{1} under a {0} queue, publisher confirms on")
    @MethodSource("scenarios")
    void everyConfirmedMessageArrivesAndTheClientSeesNothing(QueueKind kind, Fault fault) throws Exception {
        runScenario(kind, fault, true);
    }

    @Test
    void withoutConfirmsNoPublishedMessageIsLostWhenTheNodeIsKilled() throws Exception {
        runScenario(QueueKind.QUORUM, Fault.KILL, false);
    }

    /**
     * Opt-in soak: {@code -Dsoak.minutes=N} flaps the node under the client for N minutes under
     * a confirming publisher (300 msg/s). Raise {@code -Dfailsafe.fork.timeout} (seconds) past
     * the whole run for long soaks.
     */
    @Test
    @EnabledIfSystemProperty(named = "soak.minutes", matches = "[1-9][0-9]*")
    void soakFlappingForMinutes() throws Exception {
        Duration soak = Duration.ofMinutes(Long.parseLong(System.getProperty("soak.minutes")));
        int messages = (int) (FLAP_RATE * (soak.toSeconds() + 30));
        runScenario(QueueKind.QUORUM, Fault.FLAP, true, messages, soak);
    }

    private static void runScenario(QueueKind kind, Fault fault, boolean confirms) throws Exception {
        runScenario(kind, fault, confirms, MESSAGES, FLAP_FOR);
    }

    private static void runScenario(QueueKind kind, Fault fault, boolean confirms, int messages, Duration flapFor)
            throws Exception {
        int rate = fault == Fault.FLAP ? FLAP_RATE : RATE;
        String label = fault.name().toLowerCase().replace('_', '-');
        try (TestQueue queue = TestQueue.declare(kind, label);
             Upstreams upstreams = fault.viaToxiproxy() ? Upstreams.viaToxiproxy(label) : Upstreams.direct();
             ProxyUnderTest proxy = ProxyUnderTest.start(PRIORITY, upstreams::port, HEARTBEAT, OUTAGE_LIMIT);
             Chaos chaos = new Chaos(upstreams, proxy, flapFor);
             NumberedWorkload workload = NumberedWorkload.start(proxy.factory(), queue.name, messages, confirms, rate)) {
            workload.awaitProgress(fault == Fault.FLAP ? FLAP_FROM : FAULT_AT, Duration.ofSeconds(60));
            Await.until(Duration.ofSeconds(10), () -> proxy.upstreamConnections(VICTIM) >= 2,
                    "both workload connections upstream on the victim rabbit-" + VICTIM);

            String injected = chaos.inject(fault);
            NumberedWorkload.Result result = workload.finish(Duration.ofSeconds(messages / rate).plus(FINISH_SLACK));
            RecoveryStats recovery = proxy.proxy.recoveryStats();
            System.out.printf("failover %s, %s queue: %s%n  client: %s%n  proxy:  %s%n",
                    fault, kind, injected, result, recovery);

            assertClientSawNothing(result, recovery);
            if (fault == Fault.FLAP) {
                // fewer than about half the planned flaps: the proxy was rarely back on a node
                long planned = flapFor.toMillis() / (FLAP_DOWN.toMillis() + FLAP_UP.toMillis());
                assertTrue(chaos.flaps >= planned / 2, "only " + chaos.flaps + " flaps in " + flapFor);
            }
        }
    }

    /** What a transparent failover must look like to a workload, and that the proxy recovered at least once. */
    static void assertClientSawNothing(NumberedWorkload.Result r, RecoveryStats m) {
        assertAll(
                () -> assertEquals(List.of(), r.clientFailures(), "the client saw an exception or close"),
                () -> assertEquals(r.messages(), r.published(), () -> "every message published: " + r),
                () -> assertEquals(0, r.unanswered(), () -> "every publish acked or nacked exactly once: " + r),
                // a proxy that nacked what it failed to re-publish would otherwise pass with nothing "missing"
                () -> assertEquals(0, r.nacked(), () -> "publishes nacked: " + r),
                () -> assertTrue(r.missing().isEmpty(), () -> (r.confirms() ? "confirmed" : "published")
                        + " messages never received: " + r),
                () -> assertTrue(m.recovered() >= 1, () -> "the proxy recovered no connection: " + m),
                () -> assertEquals(0, m.gaveUp(), () -> "the proxy gave up on a connection: " + m));
    }

    @Test
    void aServerNamedExclusiveQueueKeepsItsOldNameAndItsBindingAcrossAKilledNode() throws Exception {
        String key = "k";
        try (TestExchange exchange = TestExchange.declare();
             Upstreams upstreams = Upstreams.direct();
             ProxyUnderTest proxy = ProxyUnderTest.start(PRIORITY, upstreams::port, HEARTBEAT, OUTAGE_LIMIT);
             Chaos chaos = new Chaos(upstreams, proxy, FLAP_FOR);
             Connection admin = cluster.connectionFactory(SURVIVOR).newConnection("failover-publisher")) {
            Channel publisher = admin.createChannel();
            publisher.confirmSelect();
            List<String> unroutable = new CopyOnWriteArrayList<>();
            publisher.addReturnListener(r -> unroutable.add(new String(r.getBody(), StandardCharsets.UTF_8)));

            Connection client = proxy.connect();
            try {
                List<String> clientFailures = new CopyOnWriteArrayList<>();
                client.addShutdownListener(s -> clientFailures.add("connection closed: " + NumberedWorkload.describe(s)));
                Channel ch = client.createChannel();
                ch.addShutdownListener(s -> clientFailures.add("channel closed: " + NumberedWorkload.describe(s)));
                ch.addReturnListener(r -> clientFailures.add("returned " + r.getReplyText() + " for routing key "
                        + r.getRoutingKey()));
                String oldName = ch.queueDeclare().getQueue();
                ch.queueBind(oldName, exchange.name, key);
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                ch.basicConsume(oldName, false, (tag, d) -> {
                    got.add(new String(d.getBody(), StandardCharsets.UTF_8));
                    ch.basicAck(d.getEnvelope().getDeliveryTag(), false);
                }, tag -> clientFailures.add("consumer cancelled by the broker"));

                publish(publisher, exchange.name, key, List.of("before"));
                assertEquals(List.of("before"), take(got, 1), "delivered before the fault");
                assertEquals(1, proxy.upstreamConnections(VICTIM), "the client's upstream is on the victim");

                String injected = chaos.inject(Fault.KILL);
                Await.until(Duration.ofSeconds(30), () -> proxy.proxy.recoveryStats().recovered() >= 1,
                        "the proxy to recover the client's connection");

                // the queue died with the victim: the proxy declared a new one and bound it again
                List<String> after = IntStream.range(0, 10).mapToObj(i -> "after-" + i).toList();
                publish(publisher, exchange.name, key, after);
                assertEquals(after, take(got, after.size()), "published to the exchange after the recovery");
                assertEquals(List.of(), unroutable, "nothing unroutable: the new queue is bound");

                ch.basicPublish("", oldName, true, null, "to-old-name".getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of("to-old-name"), take(got, 1),
                        "the default exchange still routes the old server-named queue name " + oldName);
                assertEquals(oldName, ch.queueDeclarePassive(oldName).getQueue(),
                        "a passive declare of the old name succeeds and answers with it");

                System.out.printf("failover of server-named exclusive queue %s, %s:%n  proxy:  %s%n", oldName,
                        injected, proxy.proxy.recoveryStats());
                assertEquals(List.of(), clientFailures, "the client saw an exception, close or return");
            } finally {
                client.abort(2_000);
            }
        }
    }

    private static void publish(Channel ch, String exchange, String key, List<String> bodies)
            throws IOException, InterruptedException, TimeoutException {
        for (String body : bodies) {
            ch.basicPublish(exchange, key, true, null, body.getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(10_000);
    }

    /** The next {@code n} messages, in order, each within 10 s. */
    private static List<String> take(BlockingQueue<String> got, int n) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        while (taken.size() < n) {
            String m = got.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                break;
            }
            taken.add(m);
        }
        return taken;
    }

    private static String unique() {
        return Long.toString(System.nanoTime(), 36);
    }

    /**
     * Faults for one scenario; closing brings every node back (resumed, restarted, ready) so the
     * next test starts from a healthy cluster, and a failure to do so never hides the test's own.
     */
    private static final class Chaos implements AutoCloseable {
        private final Upstreams upstreams;
        private final ProxyUnderTest proxy;
        private final Duration flapFor;
        /** Upstream connections cut while flapping. */
        private int flaps;

        Chaos(Upstreams upstreams, ProxyUnderTest proxy, Duration flapFor) {
            this.upstreams = upstreams;
            this.proxy = proxy;
            this.flapFor = flapFor;
        }

        /** Applies the fault to the victim (or, flapping, to whichever node is under the client) and describes it. */
        String inject(Fault fault) throws Exception {
            RabbitNode victim = cluster.node(VICTIM);
            switch (fault) {
                case KILL -> {
                    victim.kill();
                    return "SIGKILL of " + victim.name();
                }
                case STOP -> {
                    victim.stop();
                    return "clean stop of " + victim.name();
                }
                case PAUSE -> {
                    victim.pause();
                    try {
                        return "SIGSTOP of " + victim.name() + ", detected after " + awaitDetection() + " ms";
                    } finally {
                        victim.resume(); // the other nodes stall on cluster operations while one is paused
                    }
                }
                case CUT_OFF -> {
                    FaultInjector faults = upstreams.faults(VICTIM);
                    faults.cutOff();
                    try {
                        return "blackhole in front of " + victim.name() + ", detected after " + awaitDetection() + " ms";
                    } finally {
                        faults.heal();
                    }
                }
                case FLAP -> {
                    flaps = flap();
                    return flaps + " flaps in " + flapFor + " (node under the client disabled "
                            + FLAP_DOWN.toMillis() + " ms, then enabled " + FLAP_UP.toMillis() + " ms)";
                }
                default -> throw new IllegalArgumentException("no such fault: " + fault);
            }
        }

        /** Waits until the proxy noticed a silent victim; returns how long that took (ms). */
        private long awaitDetection() {
            long started = System.nanoTime();
            Await.until(DETECTION_TIMEOUT, () -> {
                RecoveryStats m = proxy.proxy.recoveryStats();
                return m.heartbeatDeaths() > 0 || m.recovered() + m.gaveUp() > 0;
            }, "the proxy to declare the silent victim dead");
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }

        /** For {@code flapFor}: disable the Toxiproxy of the node under the client, wait, enable, wait. */
        private int flap() throws Exception {
            long end = System.nanoTime() + flapFor.toNanos();
            int flaps = 0;
            while (System.nanoTime() < end) {
                OptionalInt node = proxy.busiestNode();
                if (node.isEmpty()) {
                    Thread.sleep(100); // mid-recovery: no upstream to cut yet
                    continue;
                }
                FaultInjector faults = upstreams.faults(node.getAsInt());
                faults.disable();
                try {
                    Thread.sleep(FLAP_DOWN.toMillis());
                } finally {
                    faults.heal();
                }
                flaps++;
                Thread.sleep(FLAP_UP.toMillis());
            }
            return flaps;
        }

        @Override
        public void close() {
            cluster.bringAllBack(SURVIVOR);
        }
    }

    /** A durable queue declared on the survivor; a mirrored one under a per-test ha policy. */
    private static final class TestQueue implements AutoCloseable {
        final String name;
        final QueueKind kind;

        private TestQueue(String name, QueueKind kind) {
            this.name = name;
            this.kind = kind;
        }

        static TestQueue declare(QueueKind kind, String label) throws IOException, TimeoutException {
            TestQueue queue = new TestQueue(kind.prefix + label + "-" + unique(), kind);
            if (kind == QueueKind.MIRRORED) {
                cluster.rabbitmqctl(SURVIVOR, "set_policy", "--apply-to", "queues", HA_POLICY, "^" + MIRRORED_PREFIX,
                        HA_DEFINITION);
            }
            try {
                try (Connection c = cluster.connectionFactory(SURVIVOR).newConnection("failover-setup")) {
                    c.createChannel().queueDeclare(queue.name, true, false, false, kind.arguments);
                }
                if (kind == QueueKind.MIRRORED) {
                    Await.until(Duration.ofSeconds(30), queue::mirroredOnEveryNode,
                            () -> queue.name + " under policy " + HA_POLICY + " with a synchronised mirror on every node");
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                try {
                    queue.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return queue;
        }

        private boolean mirroredOnEveryNode() {
            String out = cluster.rabbitmqctl(SURVIVOR, "list_queues", "name", "policy", "synchronised_slave_pids");
            return out.lines()
                    .filter(line -> line.startsWith(name + "\t"))
                    .anyMatch(line -> line.contains(HA_POLICY) && IntStream.rangeClosed(1, cluster.size())
                            .filter(i -> i != SURVIVOR)
                            .allMatch(i -> line.contains(cluster.nodeName(i))));
        }

        @Override
        public void close() {
            try (Connection c = cluster.connectionFactory(SURVIVOR).newConnection("failover-cleanup")) {
                c.createChannel().queueDelete(name);
            } catch (IOException | TimeoutException e) {
                throw new IllegalStateException("cannot delete test queue " + name, e);
            } finally {
                if (kind == QueueKind.MIRRORED) {
                    cluster.rabbitmqctl(SURVIVOR, "clear_policy", HA_POLICY);
                }
            }
        }
    }

    /** A direct exchange declared on the survivor, deleted on close. */
    private static final class TestExchange implements AutoCloseable {
        final String name = "failover-x-" + unique();

        static TestExchange declare() throws IOException, TimeoutException {
            TestExchange exchange = new TestExchange();
            try (Connection c = cluster.connectionFactory(SURVIVOR).newConnection("failover-setup")) {
                c.createChannel().exchangeDeclare(exchange.name, BuiltinExchangeType.DIRECT, true);
            }
            return exchange;
        }

        @Override
        public void close() throws IOException, TimeoutException {
            try (Connection c = cluster.connectionFactory(SURVIVOR).newConnection("failover-cleanup")) {
                c.createChannel().exchangeDelete(name);
            }
        }
    }

    /** How the proxy reaches the nodes: directly, or through a Toxiproxy in front of each. */
    private static final class Upstreams implements AutoCloseable {
        private final ToxiproxyEndpoint toxiproxy;
        private final ProxiedNodes proxied;

        private Upstreams(ToxiproxyEndpoint toxiproxy, ProxiedNodes proxied) {
            this.toxiproxy = toxiproxy;
            this.proxied = proxied;
        }

        static Upstreams direct() {
            return new Upstreams(null, null);
        }

        static Upstreams viaToxiproxy(String label) throws IOException {
            ToxiproxyEndpoint toxiproxy = ToxiproxyEndpoint.start();
            try {
                return new Upstreams(toxiproxy,
                        ProxiedNodes.create(toxiproxy, "amqp-failover-" + label + "-" + unique(), cluster.nodes()));
            } catch (RuntimeException e) {
                toxiproxy.close();
                throw e;
            }
        }

        int port(int node) {
            return proxied == null ? cluster.amqpPort(node) : proxied.port(node);
        }

        FaultInjector faults(int node) {
            if (proxied == null) {
                throw new IllegalStateException("no Toxiproxy in front of the nodes in this scenario");
            }
            return proxied.faults(node);
        }

        /** Heals every node's proxy, then deletes them. */
        @Override
        public void close() {
            if (proxied == null) {
                return;
            }
            try {
                for (int i = 1; i <= cluster.size(); i++) {
                    proxied.faults(i).heal();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot heal the Toxiproxy proxies", e);
            } finally {
                proxied.close();
                toxiproxy.close();
            }
        }
    }
}

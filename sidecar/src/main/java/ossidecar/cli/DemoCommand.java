package ossidecar.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.amqp.proxy.RecoveryStats;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.cli.demo.AmqpWorkload;
import ossidecar.cli.demo.AmqpWorkloadResult;
import ossidecar.cli.demo.DemoClock;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

/**
 * {@code sidecar demo}: a local run of what the product does, on real clusters started from
 * the installed packages. It prints a timeline and a summary, stops everything and ends.
 */
final class DemoCommand implements Command {
    private static final Duration READY = Duration.ofSeconds(120);

    @Override
    public boolean needsConfig() {
        return false;
    }

    @Override
    public int execute(Path config, PrintStream out, PrintStream err) throws InterruptedException {
        quietLogs();
        DemoClock clock = new DemoClock(out);
        clock.say("starting a 3-node RabbitMQ cluster on loopback (rabbitmq-server from the Debian package)...");
        try (RabbitCluster rabbit = RabbitCluster.start(3)) {
            clock.say("RabbitMQ cluster up: running nodes %s", rabbit.clusterRunningNodes());
            List<String> amqpFailures = amqpPart(rabbit, clock);
            clock.say("starting a 3-node MariaDB Galera cluster on loopback (mariadbd + galera-4; joiners by IST, SST by mariabackup when needed)...");
            try (GaleraCluster galera = GaleraCluster.start(3)) {
                galeraPart(galera, clock);
            }
            clock.say("clusters stopped; every node process and temporary directory removed");
            if (!amqpFailures.isEmpty()) {
                err.println("sidecar demo: AMQP invariant broken: " + String.join("; ", amqpFailures));
                return 1;
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("sidecar demo failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The AMQP proxy in front of the cluster, a workload through it, and the node under it killed.
     *
     * @return the broken invariants, empty when all held
     */
    private static List<String> amqpPart(RabbitCluster rabbit, DemoClock clock) throws InterruptedException {
        List<BackendNode> nodes = List.of(1, 2, 3).stream()
                .map(i -> new BackendNode("rabbit-" + i, new Endpoint("127.0.0.1", rabbit.amqpPort(i)))).toList();
        AmqpProxyConfig cfg = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0), nodes, ConnectStrategy.PRIORITY,
                Duration.ofSeconds(2), Duration.ofSeconds(2), AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT,
                AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET,
                (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        NodeRegistry registry = new NodeRegistry("amqp", meters, Clock.systemUTC());
        try (AmqpProxy proxy = AmqpProxy.start(cfg, registry, meters)) {
            clock.say("AMQP proxy listening on 127.0.0.1:%d, nodes %s, heartbeat 2 s", proxy.port(), nodes.stream()
                    .map(BackendNode::name).toList());
            ConnectionFactory f = new ConnectionFactory();
            f.setPort(proxy.port());
            f.setUsername(rabbit.user());
            f.setPassword(rabbit.password());
            f.setAutomaticRecoveryEnabled(false);
            AmqpWorkload workload = new AmqpWorkload(f, "sidecar-demo", clock);
            await("messages flowing", () -> workload.received() > 200);
            clock.say("workload: %d published, %d confirmed, %d received", workload.published(), workload.confirmed(),
                    workload.received());

            clock.say("SIGKILL rabbit-1, the node under the proxy's upstream connections "
                    + "(the client's own recovery is off: whatever it survives, the proxy did)");
            rabbit.node(1).kill();
            int before = workload.received();
            await("workload receiving again after the kill", () -> workload.received() > before + 200);
            clock.say("rabbit-1 is %s on the proxy's node pool; the proxy now uses %s",
                    registry.node("rabbit-1").state(), proxy.pool().backends().stream()
                            .filter(b -> b.connections() > 0).map(b -> b.node().name()).toList());
            clock.say("restarting rabbit-1...");
            rabbit.restart(1);
            clock.say("rabbit-1 rejoined: running nodes %s", rabbit.clusterRunningNodes());
            workload.close();
            await("every confirmed message delivered", () -> workload.confirmedNotReceived() == 0);
            RecoveryStats recovery = proxy.recoveryStats();
            AmqpWorkloadResult r = workload.result();
            clock.say("AMQP summary: %d published, %d confirmed, %d nacked, %d never answered, %d received, "
                            + "%d duplicates, confirmed but lost: %d, connection losses the client saw: %d",
                    r.published(), r.confirmed(), r.nacked(), r.unanswered(), r.received(), r.duplicates(), r.lost(),
                    r.connectionLosses());
            clock.say("proxy: %s", recovery);
            return r.brokenInvariants();
        }
    }

    private static void galeraPart(GaleraCluster galera, DemoClock clock) {
        clock.say("Galera cluster up: wsrep_cluster_size %d", galera.clusterSize(1));
        clock.say("SIGKILL galera-2");
        galera.node(2).kill();
        await("cluster size 2", () -> galera.clusterSize(1) == 2);
        clock.say("the cluster carries on with wsrep_cluster_size %d", galera.clusterSize(1));
        galera.restart(2);
        clock.say("galera-2 restarted and rejoined (IST): wsrep_cluster_size %d", galera.clusterSize(1));
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(READY, condition, what);
    }

    private static void quietLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("ossidecar.core.health")).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("ossidecar.amqp")).setLevel(Level.INFO);
    }
}

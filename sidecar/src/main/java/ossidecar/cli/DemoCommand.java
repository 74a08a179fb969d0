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
import ossidecar.cli.demo.BankWorkload;
import ossidecar.cli.demo.DemoClock;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.DbListener;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.DbRouterConfig;
import ossidecar.core.config.DbUser;
import ossidecar.core.config.Endpoint;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.config.Secret;
import ossidecar.core.health.NodeRegistry;
import ossidecar.db.galera.GaleraTopology;
import ossidecar.db.router.DbRouter;
import ossidecar.db.router.WriterSource;

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
            List<String> dbFailures;
            try (GaleraCluster galera = GaleraCluster.start(3)) {
                dbFailures = galeraPart(galera, clock);
            }
            clock.say("clusters stopped; every node process and temporary directory removed");
            if (!amqpFailures.isEmpty() || !dbFailures.isEmpty()) {
                if (!amqpFailures.isEmpty()) {
                    err.println("sidecar demo: AMQP invariant broken: " + String.join("; ", amqpFailures));
                }
                if (!dbFailures.isEmpty()) {
                    err.println("sidecar demo: DB invariant broken: " + String.join("; ", dbFailures));
                }
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

    /**
     * The DB router (a split listener) in front of the Galera cluster, bank transfers through it,
     * and the writer killed under them.
     *
     * @return the broken invariants, empty when all held
     */
    private static List<String> galeraPart(GaleraCluster galera, DemoClock clock) throws InterruptedException {
        clock.say("Galera cluster up: wsrep_cluster_size %d", galera.clusterSize(1));
        List<BackendNode> nodes = List.of(1, 2, 3).stream()
                .map(i -> new BackendNode("galera-" + i, new Endpoint("127.0.0.1", galera.port(i)))).toList();
        DbRouterConfig cfg = new DbRouterConfig(true, List.of(new DbListener(DbRole.SPLIT, new Endpoint("127.0.0.1", 0))),
                nodes, List.of(new DbUser(galera.user(), new Secret(galera.password()), null)),
                new GaleraMonitorConfig(galera.user(), new Secret(galera.password()), Duration.ofMillis(500),
                        Duration.ofSeconds(1), GaleraMonitorConfig.DEFAULT_MAX_RECV_QUEUE),
                Duration.ofSeconds(3), Duration.ofSeconds(20), true);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (GaleraTopology topology = GaleraTopology.start(cfg, new NodeRegistry("db", meters, Clock.systemUTC()),
                meters); DbRouter router = DbRouter.start(cfg, WriterSource.of(topology), meters)) {
            await("the routers' first writer", () -> topology.writer() != null);
            String writer = topology.writer().name();
            int writerIndex = Integer.parseInt(writer.substring("galera-".length()));
            clock.say("DB router listening on 127.0.0.1:%d (split: reads to readers, writes to the writer); "
                    + "the agreed writer is %s", router.port(0), writer);
            BankWorkload bank;
            try {
                bank = new BankWorkload("jdbc:mariadb://127.0.0.1:" + router.port(0) + "/",
                        galera.user(), galera.password(), 4);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("bank workload: " + e.getMessage(), e);
            }
            try {
                await("transfers committing", () -> bank.committed() > 300);
                clock.say("bank transfers (SELECT ... FOR UPDATE, 4 clients): %d committed", bank.committed());
                clock.say("SIGKILL %s, the writer, under the transfers", writer);
                long killed = System.nanoTime();
                galera.node(writerIndex).kill();
                await("the routers to agree on another writer", () -> topology.writer() != null
                        && !topology.writer().name().equals(writer));
                long moved = System.nanoTime();
                int atMove = bank.committed();
                await("a transfer committing on the new writer", () -> bank.committed() > atMove);
                clock.say("the routers agreed on writer %s %d ms after the kill (Galera itself stalls commits until "
                        + "it evicts the dead node, about 5 s by default); the first transfer committed there %d ms "
                        + "later", topology.writer().name(), (moved - killed) / 1_000_000,
                        (System.nanoTime() - moved) / 1_000_000);
                int after = bank.committed();
                await("transfers flowing", () -> bank.committed() > after + 300);
                clock.say("restarting %s...", writer);
                galera.restart(writerIndex);
                clock.say("%s rejoined; it does not take the writer role back", writer);
            } finally {
                bank.close();
            }
            BankWorkload.Result r;
            try {
                r = bank.check(galera.node(1).jdbcUrl());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("checking the ledger: " + e.getMessage(), e);
            }
            clock.say("DB summary: %d transfers committed, %d failed, committed but missing from the ledger: %d, "
                    + "failed but in the ledger: %d, money %d of %d; errors the clients saw by code: %s "
                    + "(1213 is a deadlock, which oslo.db retries)", r.committed(), r.failed(), r.lost(),
                    r.storedButFailed(), r.total(), r.expectedTotal(), r.errors());
            return r.brokenInvariants();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(READY, condition, what);
    }

    private static void quietLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("ossidecar.core.health")).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("ossidecar.amqp")).setLevel(Level.INFO);
        ((Logger) LoggerFactory.getLogger("ossidecar.db")).setLevel(Level.WARN);
        // the JDBC driver logs every error it receives, the demo's own 1213s among them: the summary counts them
        ((Logger) LoggerFactory.getLogger("org.mariadb.jdbc")).setLevel(Level.ERROR);
    }
}

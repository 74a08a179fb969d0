package ossidecar.chaos.db;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.core.config.BackendNode;
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
 * A DB router with its Galera topology, over the harness cluster: three listeners on port-0
 * loopback sockets, {@code writer} ({@link #port()}), {@code split} and {@code reader}
 * ({@link #port(DbRole)}).
 */
final class RouterUnderTest implements AutoCloseable {
    /**
     * Above Galera's eviction of a SIGKILLed node, which took 6-11 s on this 2-core machine under
     * the bank workload (evs.suspect_timeout 5 s plus the view change): a failover is then a pause
     * for the client, as README's failure table advises for writer-wait.
     */
    static final Duration WRITER_WAIT = Duration.ofSeconds(20);
    /** The cluster is healthy when a test starts a router: its first writer comes within a few polls. */
    private static final Duration FIRST_WRITER = Duration.ofSeconds(30);

    private static final List<DbRole> LISTENERS = List.of(DbRole.WRITER, DbRole.SPLIT, DbRole.READER);

    final DbRouter router;
    final GaleraTopology topology;
    final SimpleMeterRegistry meters;

    private RouterUnderTest(DbRouter router, GaleraTopology topology, SimpleMeterRegistry meters) {
        this.router = router;
        this.topology = topology;
        this.meters = meters;
    }

    static RouterUnderTest start(GaleraCluster cluster) throws InterruptedException {
        return start(cluster, cluster::port);
    }

    /**
     * As {@link #start(GaleraCluster)}, reaching node {@code i} (config name {@code galera-i}) on
     * 127.0.0.1:{@code port.applyAsInt(i)}: a Toxiproxy in front of each node, so that both the
     * sessions' backend connections and the Galera monitor go through it.
     */
    static RouterUnderTest start(GaleraCluster cluster, IntUnaryOperator port) throws InterruptedException {
        return start(cluster, port, UnaryOperator.identity());
    }

    /** As above, with the config changed by {@code tweak} (splitting settings, say). */
    static RouterUnderTest startWith(GaleraCluster cluster, UnaryOperator<DbRouterConfig> tweak)
            throws InterruptedException {
        return start(cluster, cluster::port, tweak);
    }

    static RouterUnderTest start(GaleraCluster cluster, IntUnaryOperator port, UnaryOperator<DbRouterConfig> tweak)
            throws InterruptedException {
        List<BackendNode> nodes = IntStream.rangeClosed(1, cluster.size())
                .mapToObj(i -> new BackendNode("galera-" + i, new Endpoint("127.0.0.1", port.applyAsInt(i)))).toList();
        // The router's account stores only the mysql.user hash, as an operator's config would.
        DbRouterConfig config = new DbRouterConfig(true,
                LISTENERS.stream().map(r -> new DbListener(r, new Endpoint("127.0.0.1", 0))).toList(), nodes,
                List.of(new DbUser(cluster.user(), null,
                        new Secret(ossidecar.db.protocol.NativePassword.doubleSha1Hash(cluster.password())))),
                new GaleraMonitorConfig(cluster.user(), new Secret(cluster.password()), Duration.ofMillis(500),
                        Duration.ofSeconds(1), 100),
                Duration.ofSeconds(3), WRITER_WAIT, true);
        config = tweak.apply(config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GaleraTopology topology = GaleraTopology.start(config, new NodeRegistry("db", meters, Clock.systemUTC()), meters);
        RouterUnderTest r;
        try {
            r = new RouterUnderTest(DbRouter.start(config, WriterSource.of(topology), meters), topology, meters);
        } catch (RuntimeException | InterruptedException e) {
            topology.close();
            throw e;
        }
        try {
            // the election's first cycle runs on its own thread: tests start from an agreed writer
            Await.until(FIRST_WRITER, () -> topology.writer() != null, () -> "a first writer: " + topology.status());
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** The writer listener's port. */
    int port() {
        return port(DbRole.WRITER);
    }

    int port(DbRole role) {
        return router.port(LISTENERS.indexOf(role));
    }

    /** A JDBC URL of the listener of {@code role}. */
    String jdbcUrl(DbRole role, String db) {
        return "jdbc:mariadb://127.0.0.1:" + port(role) + "/" + db;
    }

    String jdbcUrl(String db) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + db;
    }

    Connection connect(String db, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), user, password);
    }

    @Override
    public void close() {
        router.close();
        topology.close();
    }
}

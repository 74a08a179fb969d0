package ossidecar.chaos.galera;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.DbRouterConfig;
import ossidecar.core.config.Endpoint;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.config.Secret;
import ossidecar.core.health.NodeRegistry;
import ossidecar.db.galera.GaleraState;
import ossidecar.db.galera.GaleraTopology;
import ossidecar.db.galera.NodeStatus;

/**
 * Independent router instances (own pools, threads, meters) watching one harness cluster, and
 * the cleanup every test of the shared cluster owes the next one.
 */
final class Routers implements AutoCloseable {

    private static final Duration REJOIN = Duration.ofSeconds(120);

    /** One router instance's Galera side. */
    record Router(String name, GaleraTopology topology, NodeRegistry registry, SimpleMeterRegistry meters) {
        String writer() {
            return topology.writer() == null ? null : topology.writer().name();
        }

        GaleraState state(String node) {
            NodeStatus s = topology.monitor().node(node);
            return s == null ? null : s.state();
        }

        /** Filled with System.nanoTime() when {@code node} next enters {@code state}. */
        AtomicLong whenEnters(String node, GaleraState state) {
            AtomicLong at = new AtomicLong();
            registry.node(node).onTransition(t -> {
                if (t.to() == state) {
                    at.compareAndSet(0, System.nanoTime());
                }
            });
            return at;
        }

        long polls(String node) {
            return meters.timer("sidecar.db.monitor.latency", "node", node).count();
        }

        @Override
        public String toString() {
            return name + " " + topology.status();
        }
    }

    private final GaleraCluster cluster;
    private final List<Router> started = new ArrayList<>();

    Routers(GaleraCluster cluster) {
        this.cluster = cluster;
    }

    static DbRouterConfig config(GaleraCluster cluster, Duration interval, Duration queryTimeout) {
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 1; i <= cluster.size(); i++) {
            nodes.add(new BackendNode(name(i), new Endpoint("127.0.0.1", cluster.port(i))));
        }
        GaleraMonitorConfig monitor = new GaleraMonitorConfig(cluster.user(), new Secret(cluster.password()),
                interval, queryTimeout, GaleraMonitorConfig.DEFAULT_MAX_RECV_QUEUE);
        return new DbRouterConfig(true, List.of(), nodes, List.of(), monitor, DbRouterConfig.DEFAULT_CONNECT_TIMEOUT);
    }

    /** The harness's {@code galera-i} is the config name here; its server calls itself {@code node<i>}. */
    static String name(int i) {
        return "galera-" + i;
    }

    static int index(String name) {
        return Integer.parseInt(name.substring("galera-".length()));
    }

    Router start(String name) {
        return start(name, GaleraMonitorConfig.DEFAULT_INTERVAL, GaleraMonitorConfig.DEFAULT_QUERY_TIMEOUT);
    }

    Router start(String name, Duration interval, Duration queryTimeout) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        NodeRegistry registry = new NodeRegistry("db", meters, Clock.systemUTC());
        GaleraTopology t = GaleraTopology.start(config(cluster, interval, queryTimeout), registry, meters);
        Router r = new Router(name, t, registry, meters);
        started.add(r);
        return r;
    }

    /** Every node running, not paused, Synced, and in one full Primary view again. */
    static void heal(GaleraCluster cluster) {
        cluster.heal(REJOIN);
    }

    @Override
    public void close() {
        for (Router r : started) {
            r.topology().close();
        }
        started.clear();
    }
}

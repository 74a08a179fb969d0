package ossidecar.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.db.galera.GaleraTopology;
import ossidecar.db.router.DbRouter;
import ossidecar.db.router.WriterSource;
import ossidecar.core.admin.AdminRoutes;
import ossidecar.core.admin.AdminServer;
import ossidecar.core.admin.HealthChecks;
import ossidecar.core.admin.StatusReports;
import ossidecar.core.config.SidecarConfig;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.logging.LogControl;
import ossidecar.core.metrics.SidecarMetrics;

/**
 * Everything one sidecar process runs, assembled from the config: the metrics registry, the
 * admin server, the enabled proxies and their node registries.
 */
public final class SidecarRuntime implements AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(SidecarRuntime.class);

    private final SidecarMetrics metrics;
    private final AdminServer admin;
    private final Map<String, NodeRegistry> pools;
    private final List<AutoCloseable> proxies;
    private final AmqpProxy amqp;
    private final GaleraTopology topology;
    private final DbRouter router;

    private SidecarRuntime(SidecarMetrics metrics, AdminServer admin, Map<String, NodeRegistry> pools,
                           List<AutoCloseable> proxies, AmqpProxy amqp, GaleraTopology topology, DbRouter router) {
        this.metrics = metrics;
        this.admin = admin;
        this.pools = pools;
        this.proxies = proxies;
        this.amqp = amqp;
        this.topology = topology;
        this.router = router;
    }

    public static SidecarRuntime start(SidecarConfig config) throws InterruptedException {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(config.logLevel()));
        SidecarMetrics metrics = new SidecarMetrics();
        HealthChecks health = new HealthChecks();
        StatusReports status = new StatusReports();
        Map<String, NodeRegistry> pools = new LinkedHashMap<>();
        List<AutoCloseable> proxies = new ArrayList<>();
        AmqpProxy amqp = null;
        try {
            if (config.amqp().enabled()) {
                NodeRegistry amqpNodes = new NodeRegistry("amqp", metrics.registry(), Clock.systemUTC());
                pools.put("amqp", amqpNodes);
                amqp = AmqpProxy.start(config.amqp(), amqpNodes, metrics.registry());
                proxies.add(amqp);
            }
        } catch (RuntimeException | InterruptedException e) {
            closeAll(proxies);
            metrics.close();
            throw e;
        }
        GaleraTopology topology = null;
        DbRouter router = null;
        try {
            if (config.db().enabled()) {
                NodeRegistry dbNodes = new NodeRegistry("db", metrics.registry(), Clock.systemUTC());
                pools.put("db", dbNodes);
                topology = GaleraTopology.start(config.db(), dbNodes, metrics.registry());
                proxies.add(topology);
                router = DbRouter.start(config.db(), WriterSource.of(topology), metrics.registry());
                proxies.add(0, router);
            }
        } catch (RuntimeException | InterruptedException e) {
            closeAll(proxies);
            metrics.close();
            throw e;
        }
        GaleraTopology galera = topology;
        AmqpProxy amqpProxy = amqp;
        pools.forEach((name, registry) -> {
            health.register(name, registry::health);
            if (name.equals("db")) {
                status.register(name, () -> Map.of("listen", listen(config, name), "galera", galera.status()));
            } else {
                status.register(name, () -> Map.of("listen", listen(config, name), "nodes", registry.status(),
                        "clients", amqpProxy.status()));
            }
        });
        AdminServer admin = null;
        try {
            if (config.admin().enabled()) {
                admin = AdminServer.start(config.admin().listen(), new AdminRoutes(metrics, health, status, new LogControl()));
            }
        } catch (RuntimeException | InterruptedException e) {
            closeAll(proxies);
            metrics.close();
            throw e;
        }
        return new SidecarRuntime(metrics, admin, pools, proxies, amqp, topology, router);
    }

    private static Object listen(SidecarConfig config, String proxy) {
        return proxy.equals("amqp") ? config.amqp().listen().toString()
                : config.db().listeners().stream().map(l -> l.role().name().toLowerCase() + " " + l.listen()).toList();
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public Map<String, NodeRegistry> pools() {
        return pools;
    }

    /** The AMQP proxy, or null when not enabled. */
    public AmqpProxy amqp() {
        return amqp;
    }

    /** The Galera view and writer election, or null when the DB router is not enabled. */
    public GaleraTopology topology() {
        return topology;
    }

    /** The DB router, or null when not enabled. */
    public DbRouter router() {
        return router;
    }

    private static void closeAll(List<AutoCloseable> proxies) {
        for (AutoCloseable p : proxies) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", p, e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeAll(proxies);
        if (admin != null) {
            admin.close();
        }
        metrics.close();
        LOG.info("sidecar stopped");
    }
}

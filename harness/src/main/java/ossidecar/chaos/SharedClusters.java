package ossidecar.chaos;

import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * One RabbitMQ and one Galera cluster per JVM, started on first use and closed when the JVM
 * exits, so the integration test classes of one Failsafe run share them instead of paying a
 * cluster start each. A test that fails a node must leave it running and ready again.
 */
public final class SharedClusters {
    private static RabbitCluster rabbit;
    private static GaleraCluster galera;

    private SharedClusters() {
    }

    public static synchronized RabbitCluster rabbit() {
        if (rabbit == null) {
            rabbit = RabbitCluster.start(3);
            RabbitCluster r = rabbit;
            Runtime.getRuntime().addShutdownHook(new Thread(r::close, "shared-rabbit-close"));
        }
        return rabbit;
    }

    public static synchronized GaleraCluster galera() {
        if (galera == null) {
            galera = GaleraCluster.start(3);
            GaleraCluster g = galera;
            Runtime.getRuntime().addShutdownHook(new Thread(g::close, "shared-galera-close"));
        }
        return galera;
    }
}

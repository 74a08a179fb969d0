package ossidecar.cli;

import java.util.Comparator;
import java.util.List;
import ossidecar.chaos.suite.SystemUnderTest;
import ossidecar.core.config.DbListener;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.SidecarConfig;
import ossidecar.core.health.NodeHealth;
import ossidecar.core.pool.BackendPool;
import ossidecar.db.galera.GaleraTopology;

/** The chaos suite's view of a running sidecar: its ports, and which node holds which role now. */
public final class RuntimeUnderTest implements SystemUnderTest {
    private final SidecarRuntime runtime;
    private final SidecarConfig config;

    public RuntimeUnderTest(SidecarRuntime runtime, SidecarConfig config) {
        this.runtime = runtime;
        this.config = config;
    }

    @Override
    public int amqpPort() {
        return runtime.amqp() == null ? -1 : runtime.amqp().port();
    }

    @Override
    public int dbPort() {
        if (runtime.router() == null) {
            return -1;
        }
        List<DbListener> listeners = config.db().listeners();
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i).role() == DbRole.SPLIT) {
                return runtime.router().port(i);
            }
        }
        return runtime.router().port(0);
    }

    @Override
    public String amqpNodeUnderClients() {
        if (runtime.amqp() == null) {
            return null;
        }
        return runtime.amqp().pool().backends().stream().filter(b -> b.connections() > 0)
                .max(Comparator.comparingInt(BackendPool.Backend::connections)).map(b -> b.node().name()).orElse(null);
    }

    @Override
    public String dbWriter() {
        GaleraTopology t = runtime.topology();
        return t == null || t.writer() == null ? null : t.writer().name();
    }

    @Override
    public List<String> dbReaders() {
        GaleraTopology t = runtime.topology();
        String writer = dbWriter();
        return t == null ? List.of() : t.readers().stream().map(n -> n.name()).filter(n -> !n.equals(writer)).toList();
    }

    @Override
    public boolean seesUp(String node) {
        if (config.amqp().nodes().stream().anyMatch(n -> n.name().equals(node))) {
            NodeHealth h = runtime.pools().get("amqp").node(node);
            return h != null && h.available();
        }
        return node.equals(dbWriter()) || dbReaders().contains(node);
    }

    @Override
    public long amqpRecoveriesStarted() {
        return runtime.amqp() == null ? 0 : runtime.amqp().recoveryStats().started();
    }
}

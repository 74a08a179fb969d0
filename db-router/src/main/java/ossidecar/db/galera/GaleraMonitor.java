package ossidecar.db.galera;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.health.NodeHealth;
import ossidecar.core.health.NodeRegistry;

/**
 * Watches every Galera node: one {@link NodePoller} (thread and pool) per node, polling
 * {@link GaleraStatus#QUERY} every {@code interval}. Each node's state goes to its
 * {@link NodeHealth} (which logs every transition once) and its latest {@link NodeStatus} is
 * kept for routing and {@code /status}.
 */
public final class GaleraMonitor implements AutoCloseable {

    private final List<NodePoller> pollers;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private GaleraMonitor(List<NodePoller> pollers) {
        this.pollers = pollers;
    }

    /**
     * Starts polling {@code nodes} (in priority order). Nodes missing from {@code registry} are
     * registered there; a node already registered (say, by the sidecar for {@code /health})
     * keeps its {@link NodeHealth}, which the monitor then drives.
     */
    public static GaleraMonitor start(List<BackendNode> nodes, GaleraMonitorConfig config, NodeRegistry registry,
            MeterRegistry meters, Clock clock) {
        Settings s = Settings.of(config);
        StateClassifier classifier = new StateClassifier(s.maxRecvQueue());
        List<NodePoller> pollers = new ArrayList<>();
        GaleraMonitor monitor = new GaleraMonitor(pollers);
        try {
            for (BackendNode n : nodes) {
                NodeHealth health = registry.node(n.name());
                if (health == null) {
                    health = registry.register(n.name(), GaleraState.DOWN);
                }
                pollers.add(new NodePoller(n, s.user(), s.password(), s.interval(), s.queryTimeout(), classifier,
                        health, meters, clock, monitor::fireChange));
            }
        } catch (RuntimeException e) {
            pollers.forEach(NodePoller::close);
            throw e;
        }
        pollers.forEach(NodePoller::start);
        return monitor;
    }

    /** Every node's latest status, in priority (config) order. */
    public List<NodeStatus> nodes() {
        List<NodeStatus> out = new ArrayList<>(pollers.size());
        for (NodePoller p : pollers) {
            out.add(p.status());
        }
        return out;
    }

    /** The latest status of {@code node}, null when no such node is configured. */
    public NodeStatus node(String node) {
        NodePoller p = poller(node);
        return p == null ? null : p.status();
    }

    /** Nodes that may serve reads now (SYNCED or READ_ONLY), in priority order. */
    public List<BackendNode> readers() {
        List<BackendNode> out = new ArrayList<>();
        for (NodePoller p : pollers) {
            if (p.status().state().available()) {
                out.add(p.node());
            }
        }
        return out;
    }

    /**
     * Tells the monitor that a connection to {@code node} just failed (say, a router backend
     * connection was reset): the node is polled at once instead of at the next interval, and
     * is DOWN as soon as that poll fails. A single broken connection alone never marks a node
     * DOWN, since that would move the writer of every router.
     */
    public void reportFailure(String node) {
        NodePoller p = poller(node);
        if (p != null) {
            p.probeNow();
        }
    }

    /** Runs {@code listener} (on a monitor thread) whenever a node's state changes. */
    public void onStateChange(Runnable listener) {
        listeners.add(listener);
    }

    /** A pooled connection to {@code node}; {@code networkTimeout} null keeps the query timeout. */
    Connection connection(String node, Duration networkTimeout) throws SQLException {
        NodePoller p = poller(node);
        if (p == null) {
            throw new IllegalArgumentException("no Galera node " + node);
        }
        return p.connection(networkTimeout);
    }

    private NodePoller poller(String node) {
        for (NodePoller p : pollers) {
            if (p.node().name().equals(node)) {
                return p;
            }
        }
        return null;
    }

    private void fireChange() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    @Override
    public void close() {
        pollers.parallelStream().forEach(NodePoller::close);
    }

    /** The monitor config with defaults filled in and checked once. */
    record Settings(String user, String password, Duration interval, Duration queryTimeout, int maxRecvQueue) {
        static Settings of(GaleraMonitorConfig c) {
            if (c == null || c.user() == null || c.user().isBlank()) {
                throw new IllegalArgumentException("db monitor user is not set: the Galera monitor needs an account"
                        + " that can log in to every node");
            }
            Duration interval = c.interval() == null ? GaleraMonitorConfig.DEFAULT_INTERVAL : c.interval();
            Duration timeout = c.queryTimeout() == null ? GaleraMonitorConfig.DEFAULT_QUERY_TIMEOUT : c.queryTimeout();
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("db monitor interval: " + interval + " (expected: > 0)");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("db monitor query timeout: " + timeout + " (expected: > 0)");
            }
            if (c.maxRecvQueue() < 0) {
                throw new IllegalArgumentException("db monitor max recv queue: " + c.maxRecvQueue()
                        + " (expected: >= 0)");
            }
            return new Settings(c.user(), c.password() == null ? "" : c.password().reveal(), interval, timeout,
                    c.maxRecvQueue());
        }
    }
}

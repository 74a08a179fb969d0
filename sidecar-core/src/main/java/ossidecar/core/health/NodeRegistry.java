package ossidecar.core.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of one proxy's backend pool. Exports each node's availability and its
 * transitions as metrics, and summarises the pool for {@code /health} and {@code /status}.
 */
public final class NodeRegistry {
    private final String proxy;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, NodeHealth> nodes = new LinkedHashMap<>();

    public NodeRegistry(String proxy, MeterRegistry meters, Clock clock) {
        this.proxy = proxy;
        this.meters = meters;
        this.clock = clock;
    }

    public String proxy() {
        return proxy;
    }

    public synchronized NodeHealth register(String node, NodeState initial) {
        if (nodes.containsKey(node)) {
            throw new IllegalArgumentException("node " + node + " is already registered with " + proxy);
        }
        NodeHealth h = new NodeHealth(proxy, node, initial, clock);
        nodes.put(node, h);
        Gauge.builder("sidecar.node.available", h, x -> x.available() ? 1 : 0)
                .description("1 when the proxy may send new work to the node")
                .tags("proxy", proxy, "node", node)
                .register(meters);
        h.onTransition(t -> Counter.builder("sidecar.node.transitions")
                .description("node state changes, by the state entered")
                .tags("proxy", proxy, "node", node, "to", t.to().name())
                .register(meters)
                .increment());
        return h;
    }

    public synchronized List<NodeHealth> nodes() {
        return new ArrayList<>(nodes.values());
    }

    public synchronized NodeHealth node(String name) {
        return nodes.get(name);
    }

    /** Healthy while at least one node may take work; otherwise the reasons name each node. */
    public HealthStatus health() {
        List<String> reasons = new ArrayList<>();
        for (NodeHealth h : nodes()) {
            NodeHealth.Snapshot s = h.snapshot();
            if (s.state().available()) {
                return HealthStatus.healthy();
            }
            reasons.add(proxy + " node " + h.node() + " is " + s.state().name() + " (" + s.reason() + ")");
        }
        if (reasons.isEmpty()) {
            reasons.add(proxy + " has no nodes configured");
        }
        return HealthStatus.unhealthy(reasons);
    }

    /** Each node with its state, since when and why, for {@code /status}. */
    public List<Map<String, Object>> status() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NodeHealth h : nodes()) {
            NodeHealth.Snapshot s = h.snapshot();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", h.node());
            m.put("state", s.state().name());
            m.put("available", s.state().available());
            m.put("since", s.since().toString());
            m.put("reason", s.reason());
            out.add(m);
        }
        return out;
    }
}

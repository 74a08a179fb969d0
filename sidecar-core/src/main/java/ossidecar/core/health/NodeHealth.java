package ossidecar.core.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one backend node: its state lives in one atomic reference and changes only
 * through {@link #transitionTo}, which logs and publishes each change exactly once. Reporting
 * the same state again (every poll, every successful connect) is a no-op, so logs carry state
 * transitions, never per-request lines.
 */
public final class NodeHealth {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

    /** The current state, since when, and why. */
    public record Snapshot(NodeState state, Instant since, String reason) {
    }

    private final String proxy;
    private final String node;
    private final Clock clock;
    private final AtomicReference<Snapshot> current;
    private final List<Consumer<NodeTransition>> listeners = new CopyOnWriteArrayList<>();

    public NodeHealth(String proxy, String node, NodeState initial, Clock clock) {
        this.proxy = proxy;
        this.node = node;
        this.clock = clock;
        this.current = new AtomicReference<>(new Snapshot(initial, clock.instant(), "initial"));
    }

    public String proxy() {
        return proxy;
    }

    public String node() {
        return node;
    }

    public Snapshot snapshot() {
        return current.get();
    }

    public NodeState state() {
        return current.get().state();
    }

    public boolean available() {
        return state().available();
    }

    public void onTransition(Consumer<NodeTransition> listener) {
        listeners.add(listener);
    }

    /**
     * Moves the node to {@code to}. Returns false, and does nothing, when it is already there;
     * when two threads report different states at once, each change is applied and published
     * in the order it won.
     */
    public boolean transitionTo(NodeState to, String reason) {
        Instant now = clock.instant();
        Snapshot prev;
        Snapshot next = new Snapshot(to, now, reason);
        do {
            prev = current.get();
            if (prev.state().equals(to)) {
                return false;
            }
        } while (!current.compareAndSet(prev, next));
        NodeTransition t = new NodeTransition(proxy, node, prev.state(), to, reason, now,
                Duration.between(prev.since(), now));
        if (to.available()) {
            LOG.info("[{}] node {} {} -> {} ({}) after {} ms", proxy, node, prev.state().name(), to.name(), reason,
                    t.previousLasted().toMillis());
        } else {
            LOG.warn("[{}] node {} {} -> {} ({}) after {} ms", proxy, node, prev.state().name(), to.name(), reason,
                    t.previousLasted().toMillis());
        }
        for (Consumer<NodeTransition> l : listeners) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                LOG.error("[{}] node {}: transition listener failed", proxy, node, e);
            }
        }
        return true;
    }
}

package ossidecar.db.galera;

import java.time.Duration;
import java.time.Instant;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.Endpoint;

/** Node statuses for tests, without sockets. */
final class Nodes {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private Nodes() {
    }

    static BackendNode backend(int i) {
        return new BackendNode("galera-" + i, new Endpoint("10.0.0." + i, 3306));
    }

    /** A status with the minimum the policy reads: config name galera-i, server name node-i. */
    static GaleraStatus wsrep(int i, long localIndex) {
        return new GaleraStatus(4, "Synced", "Primary", true, localIndex, 3, 0, 0.0, false, "NONE", "node" + i);
    }

    /** Node i polled, in {@code state}, with wsrep_local_index {@code localIndex}. */
    static NodeStatus node(int i, GaleraState state, long localIndex) {
        return new NodeStatus(backend(i), state, T0, "test " + state, wsrep(i, localIndex), T0, Duration.ofMillis(1),
                state == GaleraState.DOWN ? "Connection refused" : null);
    }

    /** Node i, which came back into {@code state} at {@code since} (after the router had seen it otherwise). */
    static NodeStatus returned(int i, GaleraState state, Instant since) {
        return new NodeStatus(backend(i), state, since, "test " + state, wsrep(i, i - 1), since, Duration.ofMillis(1),
                null, true);
    }

    static NodeStatus node(int i, GaleraState state) {
        return node(i, state, i - 1);
    }

    /** Node i never polled yet. */
    static NodeStatus unpolled(int i) {
        return NodeStatus.initial(backend(i), T0);
    }

    /** Node i down since before this router started: its server name was never seen. */
    static NodeStatus neverSeen(int i) {
        return new NodeStatus(backend(i), GaleraState.DOWN, T0, "Connection refused", null, T0, Duration.ofMillis(1),
                "Connection refused");
    }
}

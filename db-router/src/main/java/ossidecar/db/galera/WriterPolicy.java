package ossidecar.db.galera;

import java.util.List;
import java.util.Objects;

/**
 * The writer election's decisions as pure functions of the monitor's node statuses (in
 * priority order) and the {@code sidecar.writer} row: no I/O, so every rule is unit-tested.
 *
 * <ul>
 *   <li>Keep the writer while it is {@link GaleraState#writable() writable} (SYNCED: Primary,
 *       ready, not read-only, not lagging). Nothing else ever moves it, so a node that returns
 *       never takes the role back (no failback).</li>
 *   <li>Otherwise change to the first writable node in priority order, by compare-and-swap on
 *       the epoch read. Only once every node has been polled, so a node whose first poll is
 *       still running is not skipped.</li>
 *   <li>No row yet: insert the first writable node by priority.</li>
 * </ul>
 */
final class WriterPolicy {

    private WriterPolicy() {
    }

    /** What the election does this cycle. */
    sealed interface Decision permits Keep, Change, Initialize, Wait, NoCandidate {
    }

    /** The writer is fine. */
    record Keep(NodeStatus writer) implements Decision {
    }

    /**
     * Move the role to {@code to} if the epoch is still {@code expectedEpoch}.
     *
     * @param from the current writer's status, null when no configured node has its name
     */
    record Change(NodeStatus from, NodeStatus to, long expectedEpoch, String reason) implements Decision {
    }

    /** The table has no row: propose {@code to} as the first writer. */
    record Initialize(NodeStatus to) implements Decision {
    }

    /** The writer is not available but some node has not been polled yet. */
    record Wait(String reason) implements Decision {
    }

    /** The writer is not available and no node can take over. */
    record NoCandidate(String reason) implements Decision {
    }

    /**
     * @param nodes every configured node, in priority order
     * @param row the table's row, null when the table is empty
     */
    static Decision decide(List<NodeStatus> nodes, WriterRow row) {
        if (row == null) {
            if (!allPolled(nodes)) {
                return new Wait("no writer yet, waiting for the first poll of every node");
            }
            NodeStatus first = firstWritable(nodes, null);
            return first == null ? new NoCandidate("no writer yet and no node is SYNCED") : new Initialize(first);
        }
        NodeStatus writer = byServerName(nodes, row.node());
        if (writer != null && writer.state().writable()) {
            return new Keep(writer);
        }
        String why = writer == null
                ? "writer " + row.node() + " is not a configured node or never answered"
                : writer.name() + " is " + writer.state().name() + " (" + writer.reason() + ")";
        if (!allPolled(nodes)) {
            return new Wait(why + "; waiting for the first poll of every node");
        }
        NodeStatus next = firstWritable(nodes, writer);
        if (next == null) {
            return new NoCandidate(why + "; no other node is SYNCED");
        }
        return new Change(writer, next, row.epoch(), why);
    }

    /**
     * The fallback when the table cannot be used: the writable node with the lowest
     * {@code wsrep_local_index} (MaxScale galeramon's rule; ties, which only nodes of different
     * views can produce, go by priority). Routers that see the same view agree on it, but it may
     * move back when a node rejoins. Null when no node is writable.
     */
    static NodeStatus lowestLocalIndex(List<NodeStatus> nodes) {
        NodeStatus best = null;
        for (NodeStatus n : nodes) {
            if (!n.state().writable() || n.last() == null || n.last().localIndex() < 0) {
                continue;
            }
            if (best == null || n.last().localIndex() < best.last().localIndex()) {
                best = n;
            }
        }
        return best;
    }

    /** Where to read the row: the first writable node by priority, null when none. */
    static NodeStatus readVia(List<NodeStatus> nodes) {
        return firstWritable(nodes, null);
    }

    /** The configured node whose server calls itself {@code serverName}, null when none. */
    static NodeStatus byServerName(List<NodeStatus> nodes, String serverName) {
        for (NodeStatus n : nodes) {
            if (serverName != null && Objects.equals(n.serverName(), serverName)) {
                return n;
            }
        }
        return null;
    }

    private static NodeStatus firstWritable(List<NodeStatus> nodes, NodeStatus except) {
        for (NodeStatus n : nodes) {
            if (n.state().writable() && n != except && n.serverName() != null) {
                return n;
            }
        }
        return null;
    }

    private static boolean allPolled(List<NodeStatus> nodes) {
        for (NodeStatus n : nodes) {
            if (!n.polled()) {
                return false;
            }
        }
        return true;
    }
}

package ossidecar.db.galera;

import java.time.Duration;
import java.time.Instant;
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
 *   <li>Otherwise change to the first writable node in priority order that has settled (a node
 *       that came back must have been SYNCED for the settle time), by compare-and-swap on the
 *       epoch read. Only once every node has been polled, so a node whose first poll is still
 *       running is not skipped. While the only writable nodes are settling, wait for them.</li>
 *   <li>No row yet: insert the first writable node by priority.</li>
 * </ul>
 */
final class WriterPolicy {

    private WriterPolicy() {
    }

    /** Which writable nodes may take the role: those that did not just come back. */
    record Settle(Instant now, Duration time) {
        /** Every writable node may take the role at once. */
        static final Settle NONE = new Settle(Instant.EPOCH, Duration.ZERO);

        boolean settled(NodeStatus n) {
            // NONE's "now" is the epoch: without this, a node that ever came back would never be
            // settled under NONE, and readVia would skip it (seen: every node had returned once,
            // the writer died, and no cycle read the table again: no writer until restart)
            return time.isZero() || n.settled(now, time);
        }

        /** "galera-3 SYNCED for 1.2 s of 5 s" for every writable node still settling, or null. */
        String settling(List<NodeStatus> nodes, NodeStatus except) {
            StringBuilder sb = new StringBuilder();
            for (NodeStatus n : nodes) {
                if (n != except && n.state().writable() && !settled(n)) {
                    sb.append(sb.isEmpty() ? "" : ", ").append(n.name()).append(" came back and has been ")
                            .append(n.state().name()).append(" for ")
                            .append(Duration.between(n.since(), now).toMillis()).append(" ms of ")
                            .append(time.toMillis()).append(" ms to settle");
                }
            }
            return sb.isEmpty() ? null : sb.toString();
        }
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
        return decide(nodes, row, Settle.NONE);
    }

    /** As above, with only settled nodes as candidates for the role. */
    static Decision decide(List<NodeStatus> nodes, WriterRow row, Settle settle) {
        if (row == null) {
            if (!allPolled(nodes)) {
                return new Wait("no writer yet, waiting for the first poll of every node");
            }
            NodeStatus first = firstCandidate(nodes, null, settle);
            if (first == null) {
                String settling = settle.settling(nodes, null);
                return settling != null ? new Wait("no writer yet; " + settling)
                        : new NoCandidate("no writer yet and no node is SYNCED");
            }
            return new Initialize(first);
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
        NodeStatus next = firstCandidate(nodes, writer, settle);
        if (next == null) {
            String settling = settle.settling(nodes, writer);
            return settling != null ? new Wait(why + "; " + settling)
                    : new NoCandidate(why + "; no other node is SYNCED");
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
        return lowestLocalIndex(nodes, Settle.NONE);
    }

    /** As above, among settled nodes. */
    static NodeStatus lowestLocalIndex(List<NodeStatus> nodes, Settle settle) {
        NodeStatus best = null;
        for (NodeStatus n : nodes) {
            if (!n.state().writable() || !settle.settled(n) || n.last() == null || n.last().localIndex() < 0) {
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
        return firstCandidate(nodes, except, Settle.NONE);
    }

    private static NodeStatus firstCandidate(List<NodeStatus> nodes, NodeStatus except, Settle settle) {
        for (NodeStatus n : nodes) {
            if (n.state().writable() && n != except && n.serverName() != null && settle.settled(n)) {
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

package ossidecar.db.galera;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import ossidecar.core.config.BackendNode;

/**
 * The monitor's latest view of one node: an immutable snapshot, replaced after every poll.
 *
 * @param node the configured node
 * @param state the current state ({@link GaleraState#DOWN} before the first poll)
 * @param since when the node entered {@code state}
 * @param reason why it is in {@code state} now
 * @param last the values of the last successful poll, kept while the node is DOWN (null before)
 * @param lastPollAt when the last poll finished, successful or not (null: never polled)
 * @param lastLatency how long the last poll took
 * @param lastError why the last poll failed, null when it succeeded
 * @param returned the node entered {@code state} after this router had seen it in another state
 *                 (a node that was SYNCED at the first poll did not return: it is settled)
 * @param throttledAt the last poll that found the node had sent flow control since the poll
 *                    before (it could not keep up applying the cluster's writes); null: never seen
 */
public record NodeStatus(
        BackendNode node,
        GaleraState state,
        Instant since,
        String reason,
        GaleraStatus last,
        Instant lastPollAt,
        Duration lastLatency,
        String lastError,
        boolean returned,
        Instant throttledAt) {

    /** Never seen sending flow control. */
    public NodeStatus(BackendNode node, GaleraState state, Instant since, String reason, GaleraStatus last,
                      Instant lastPollAt, Duration lastLatency, String lastError, boolean returned) {
        this(node, state, since, reason, last, lastPollAt, lastLatency, lastError, returned, null);
    }

    /**
     * Whether the node sent flow control within {@code window} before {@code now}: a reader that
     * slows the whole cluster down gets no new reads for a while.
     */
    public boolean throttled(Instant now, Duration window) {
        return throttledAt != null && throttledAt.plus(window).isAfter(now);
    }

    /** A node in the state it had when the router first saw it. */
    public NodeStatus(BackendNode node, GaleraState state, Instant since, String reason, GaleraStatus last,
                      Instant lastPollAt, Duration lastLatency, String lastError) {
        this(node, state, since, reason, last, lastPollAt, lastLatency, lastError, false);
    }

    /** Before the first poll. */
    static NodeStatus initial(BackendNode node, Instant now) {
        return new NodeStatus(node, GaleraState.DOWN, now, "not polled yet", null, null, Duration.ZERO, null);
    }

    /**
     * Whether the node has been in its state long enough to take new work: it came back at least
     * {@code settle} ago, or it has not come back at all.
     */
    public boolean settled(Instant now, Duration settle) {
        return !returned || !since.plus(settle).isAfter(now);
    }

    public String name() {
        return node.name();
    }

    /** True once a poll finished, successful or not. */
    public boolean polled() {
        return lastPollAt != null;
    }

    /** The server's {@code wsrep_node_name} as last seen, null when never seen. */
    public String serverName() {
        return last == null ? null : last.nodeName();
    }

    /** For {@code /status}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node.name());
        m.put("address", node.address().toString());
        m.put("state", state.name());
        m.put("available", state.available());
        m.put("writable", state.writable());
        m.put("since", since.toString());
        m.put("returned", returned);
        m.put("reason", reason);
        m.put("last_poll", lastPollAt == null ? null : lastPollAt.toString());
        m.put("last_poll_ms", lastLatency.toNanos() / 1_000_000.0);
        m.put("last_error", lastError);
        m.put("flow_control_sent_at", throttledAt == null ? null : throttledAt.toString());
        m.put("wsrep", last == null ? null : last.toMap());
        return m;
    }
}

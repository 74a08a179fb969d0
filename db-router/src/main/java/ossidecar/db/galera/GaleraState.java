package ossidecar.db.galera;

import ossidecar.core.health.NodeState;

/**
 * A Galera node's state as the monitor classifies it (see {@link StateClassifier}).
 *
 * <p>{@link #available()} says whether the node may serve reads; {@link #writable()} whether it
 * may be the writer. Only a read-only node differs: it serves reads but never becomes writer.
 */
public enum GaleraState implements NodeState {
    /** Synced, in the primary component, ready, writable: may read and write. */
    SYNCED(true, true),
    /** Donor or desynced ({@code wsrep_local_state} 2): busy with a state transfer. */
    DONOR(false, false),
    /** Joining or joined ({@code wsrep_local_state} 1 or 3): not caught up yet. */
    JOINER(false, false),
    /** Not in the primary component, or not ready: its data may be stale and writes fail. */
    NON_PRIMARY(false, false),
    /** Synced but {@code read_only=ON}: serves reads, never the writer. */
    READ_ONLY(true, false),
    /** Receive queue over {@code max-recv-queue}: reads would be stale. */
    LAGGING(false, false),
    /** Poll failed or timed out, or the node rejects queries ({@code wsrep_reject_queries}). */
    DOWN(false, false);

    private final boolean available;
    private final boolean writable;

    GaleraState(boolean available, boolean writable) {
        this.available = available;
        this.writable = writable;
    }

    @Override
    public boolean available() {
        return available;
    }

    /** True when the node may be (or stay) the writer. */
    public boolean writable() {
        return writable;
    }
}

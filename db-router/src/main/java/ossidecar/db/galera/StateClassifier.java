package ossidecar.db.galera;

import java.util.Locale;

/**
 * Turns one poll's {@link GaleraStatus} into a {@link GaleraState} with the reason an operator
 * reads in the transition log. Pure: no I/O, no clock. A failed poll never gets here; the
 * monitor marks it {@link GaleraState#DOWN} itself.
 *
 * <p>Checks run from "cannot serve at all" to "serves, with a caveat", so the reason names the
 * most serious problem: rejecting queries, outside the primary component, state transfer,
 * not ready, lagging, read-only.
 */
public final class StateClassifier {

    /** {@code wsrep_local_state} values (Galera's {@code wsrep_member_status}). */
    static final int JOINING = 1;
    static final int DONOR_DESYNCED = 2;
    static final int JOINED = 3;
    static final int SYNCED = 4;

    /** A state and why. */
    public record Classification(GaleraState state, String reason) {
    }

    private final long maxRecvQueue;

    /** @param maxRecvQueue a node whose {@code wsrep_local_recv_queue} exceeds this is LAGGING */
    public StateClassifier(long maxRecvQueue) {
        if (maxRecvQueue < 0) {
            throw new IllegalArgumentException("maxRecvQueue: " + maxRecvQueue + " (expected: >= 0)");
        }
        this.maxRecvQueue = maxRecvQueue;
    }

    public Classification classify(GaleraStatus s) {
        String reject = s.rejectQueries() == null ? "NONE" : s.rejectQueries().trim().toUpperCase(Locale.ROOT);
        if (!reject.equals("NONE") && !reject.isEmpty()) {
            return new Classification(GaleraState.DOWN, "wsrep_reject_queries=" + reject);
        }
        if (s.clusterStatus() == null || s.localState() < 0) {
            return new Classification(GaleraState.NON_PRIMARY, "no wsrep status (wsrep provider not loaded?)");
        }
        if (!s.clusterStatus().equalsIgnoreCase("Primary")) {
            return new Classification(GaleraState.NON_PRIMARY, "wsrep_cluster_status=" + s.clusterStatus());
        }
        switch (s.localState()) {
            case SYNCED:
                break;
            case DONOR_DESYNCED:
                return new Classification(GaleraState.DONOR,
                        "wsrep_local_state=2 (" + comment(s, "Donor/Desynced") + ")");
            case JOINING:
                return new Classification(GaleraState.JOINER, "wsrep_local_state=1 (" + comment(s, "Joining") + ")");
            case JOINED:
                return new Classification(GaleraState.JOINER, "wsrep_local_state=3 (" + comment(s, "Joined") + ")");
            default:
                return new Classification(GaleraState.JOINER,
                        "wsrep_local_state=" + s.localState() + " (" + comment(s, "not synced") + ")");
        }
        if (!s.ready()) {
            return new Classification(GaleraState.NON_PRIMARY, "wsrep_ready=OFF");
        }
        if (s.recvQueue() > maxRecvQueue) {
            return new Classification(GaleraState.LAGGING,
                    "wsrep_local_recv_queue=" + s.recvQueue() + " (max " + maxRecvQueue + ")");
        }
        if (s.readOnly()) {
            return new Classification(GaleraState.READ_ONLY, "read_only=ON");
        }
        return new Classification(GaleraState.SYNCED, "Synced, Primary, ready");
    }

    private static String comment(GaleraStatus s, String fallback) {
        return s.localStateComment() == null ? fallback : s.localStateComment();
    }
}

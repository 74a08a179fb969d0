package ossidecar.db.galera;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One poll's values from a Galera node. Numbers a node did not report are -1, strings null, so
 * {@link StateClassifier} can say what was missing.
 *
 * @param localState {@code wsrep_local_state}: 1 Joining, 2 Donor/Desynced, 3 Joined, 4 Synced
 * @param localStateComment {@code wsrep_local_state_comment}, for humans
 * @param clusterStatus {@code wsrep_cluster_status}: Primary, Non-Primary or Disconnected
 * @param ready {@code wsrep_ready}
 * @param localIndex {@code wsrep_local_index}, the node's position in the current view
 * @param clusterSize {@code wsrep_cluster_size}
 * @param recvQueue {@code wsrep_local_recv_queue}: write-sets received, not applied yet
 * @param flowControlPaused {@code wsrep_flow_control_paused}: share of time paused by flow
 *        control since the last {@code FLUSH STATUS}
 * @param readOnly {@code @@read_only}
 * @param rejectQueries {@code @@wsrep_reject_queries}: NONE, ALL or ALL_KILL
 * @param nodeName {@code @@wsrep_node_name}: the server's own name, the identity stored in
 *        {@code sidecar.writer}
 * @param flowControlSent {@code wsrep_flow_control_sent}: how often the node has asked the cluster
 *        to pause because it could not apply fast enough (a counter since start)
 */
public record GaleraStatus(
        int localState,
        String localStateComment,
        String clusterStatus,
        boolean ready,
        long localIndex,
        int clusterSize,
        long recvQueue,
        double flowControlPaused,
        boolean readOnly,
        String rejectQueries,
        String nodeName,
        long flowControlSent) {

    /** Without the flow control counter (-1: not reported). */
    public GaleraStatus(int localState, String localStateComment, String clusterStatus, boolean ready, long localIndex,
                        int clusterSize, long recvQueue, double flowControlPaused, boolean readOnly,
                        String rejectQueries, String nodeName) {
        this(localState, localStateComment, clusterStatus, ready, localIndex, clusterSize, recvQueue,
                flowControlPaused, readOnly, rejectQueries, nodeName, -1);
    }

    /**
     * The poll: status and variables in one statement, one round trip. information_schema needs
     * no privilege beyond a login; names come back upper case, hence {@link #parse} lowers them.
     */
    public static final String QUERY = "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
            + " WHERE VARIABLE_NAME IN ('WSREP_LOCAL_STATE', 'WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_STATUS',"
            + " 'WSREP_READY', 'WSREP_LOCAL_INDEX', 'WSREP_CLUSTER_SIZE', 'WSREP_LOCAL_RECV_QUEUE',"
            + " 'WSREP_FLOW_CONTROL_PAUSED', 'WSREP_FLOW_CONTROL_SENT')"
            + " UNION ALL SELECT 'read_only', CAST(@@GLOBAL.read_only AS CHAR)"
            + " UNION ALL SELECT 'wsrep_reject_queries', CAST(@@GLOBAL.wsrep_reject_queries AS CHAR)"
            + " UNION ALL SELECT 'wsrep_node_name', CAST(@@GLOBAL.wsrep_node_name AS CHAR)";

    /** Builds the status from name/value rows (names in any case); unknown names are ignored. */
    public static GaleraStatus parse(Map<String, String> values) {
        Map<String, String> v = new LinkedHashMap<>();
        values.forEach((name, value) -> v.put(name.toLowerCase(Locale.ROOT), value));
        return new GaleraStatus(
                (int) number(v.get("wsrep_local_state")),
                v.get("wsrep_local_state_comment"),
                v.get("wsrep_cluster_status"),
                flag(v.get("wsrep_ready")),
                number(v.get("wsrep_local_index")),
                (int) number(v.get("wsrep_cluster_size")),
                number(v.get("wsrep_local_recv_queue")),
                decimal(v.get("wsrep_flow_control_paused")),
                flag(v.get("read_only")),
                v.get("wsrep_reject_queries"),
                blankToNull(v.get("wsrep_node_name")),
                number(v.get("wsrep_flow_control_sent")));
    }

    /** The values under their server names, for {@code /status}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wsrep_local_state", localState);
        m.put("wsrep_local_state_comment", localStateComment);
        m.put("wsrep_cluster_status", clusterStatus);
        m.put("wsrep_ready", ready);
        m.put("wsrep_local_index", localIndex);
        m.put("wsrep_cluster_size", clusterSize);
        m.put("wsrep_local_recv_queue", recvQueue);
        m.put("wsrep_flow_control_paused", flowControlPaused);
        m.put("read_only", readOnly);
        m.put("wsrep_reject_queries", rejectQueries);
        m.put("wsrep_node_name", nodeName);
        m.put("wsrep_flow_control_sent", flowControlSent);
        return m;
    }

    private static long number(String s) {
        if (s == null || s.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double decimal(String s) {
        if (s == null || s.isBlank()) {
            return -1;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Status variables say ON/OFF, system variables 1/0. */
    private static boolean flag(String s) {
        if (s == null) {
            return false;
        }
        String t = s.trim();
        return t.equalsIgnoreCase("ON") || t.equals("1") || t.equalsIgnoreCase("TRUE");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

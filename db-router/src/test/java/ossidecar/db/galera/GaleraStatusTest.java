package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaleraStatusTest {

    /** Rows as information_schema.GLOBAL_STATUS and the variables part of the query return them. */
    private static Map<String, String> rows() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("WSREP_LOCAL_STATE", "4");
        m.put("WSREP_LOCAL_STATE_COMMENT", "Synced");
        m.put("WSREP_CLUSTER_STATUS", "Primary");
        m.put("WSREP_READY", "ON");
        m.put("WSREP_LOCAL_INDEX", "2");
        m.put("WSREP_CLUSTER_SIZE", "3");
        m.put("WSREP_LOCAL_RECV_QUEUE", "7");
        m.put("WSREP_FLOW_CONTROL_PAUSED", "0.125");
        m.put("read_only", "0");
        m.put("wsrep_reject_queries", "NONE");
        m.put("wsrep_node_name", "node3");
        return m;
    }

    @Test
    void parsesEveryValue() {
        GaleraStatus s = GaleraStatus.parse(rows());
        assertEquals(new GaleraStatus(4, "Synced", "Primary", true, 2, 3, 7, 0.125, false, "NONE", "node3"), s);
    }

    @Test
    void parsesTheFlowControlCounterAndANodeThatSentFlowControlIsThrottledForAWindow() {
        Map<String, String> m = rows();
        m.put("WSREP_FLOW_CONTROL_SENT", "12");
        assertEquals(12, GaleraStatus.parse(m).flowControlSent());
        assertEquals(-1, GaleraStatus.parse(rows()).flowControlSent(), "not reported");
        java.time.Instant at = java.time.Instant.parse("2026-12-07T10:00:00Z");
        NodeStatus n = new NodeStatus(Nodes.backend(1), GaleraState.SYNCED, at, "synced", GaleraStatus.parse(m), at,
                java.time.Duration.ofMillis(1), null, false, at);
        java.time.Duration window = java.time.Duration.ofSeconds(5);
        assertTrue(n.throttled(at.plusSeconds(4), window));
        assertFalse(n.throttled(at.plusSeconds(5), window));
        assertFalse(new NodeStatus(Nodes.backend(1), GaleraState.SYNCED, at, "synced", null, at,
                java.time.Duration.ofMillis(1), null, false).throttled(at, window), "never sent");
    }

    @Test
    void readOnlyAndReadyFlags() {
        Map<String, String> m = rows();
        m.put("read_only", "1");
        m.put("WSREP_READY", "OFF");
        GaleraStatus s = GaleraStatus.parse(m);
        assertTrue(s.readOnly());
        assertFalse(s.ready());
    }

    @Test
    void missingAndGarbledValuesAreMinusOneOrNull() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("wsrep_local_state", "x");
        m.put("wsrep_node_name", " ");
        GaleraStatus s = GaleraStatus.parse(m);
        assertEquals(-1, s.localState());
        assertEquals(-1, s.localIndex());
        assertEquals(-1, s.clusterSize());
        assertEquals(-1, s.recvQueue());
        assertEquals(-1.0, s.flowControlPaused());
        assertNull(s.clusterStatus());
        assertNull(s.rejectQueries());
        assertNull(s.nodeName());
        assertFalse(s.ready());
    }

    @Test
    void toMapUsesServerNames() {
        Map<String, Object> m = GaleraStatus.parse(rows()).toMap();
        assertEquals(4, m.get("wsrep_local_state"));
        assertEquals("Primary", m.get("wsrep_cluster_status"));
        assertEquals(7L, m.get("wsrep_local_recv_queue"));
        assertEquals("node3", m.get("wsrep_node_name"));
    }

    @Test
    void queryAsksForEveryValueInOneStatement() {
        String q = GaleraStatus.QUERY;
        for (String name : rows().keySet()) {
            assertTrue(q.contains(name.startsWith("WSREP_") ? "'" + name + "'" : name), name);
        }
        assertFalse(q.contains(";"), "one statement");
    }
}

package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateClassifierTest {

    private final StateClassifier classifier = new StateClassifier(100);

    private static GaleraStatus status(int localState, String clusterStatus, boolean ready, long recvQueue,
            boolean readOnly, String reject) {
        return new GaleraStatus(localState, null, clusterStatus, ready, 0, 3, recvQueue, 0.0, readOnly, reject, "node1");
    }

    @ParameterizedTest(name = "[{index}] state={0} cluster={1} ready={2} queue={3} ro={4} reject={5}: {6}")
    @CsvSource({
            // local_state, cluster_status, ready, recv_queue, read_only, reject_queries, expected, reason contains
            "4, Primary,     true,  0,   false, NONE,     SYNCED,      'Synced, Primary, ready'",
            "4, primary,     true,  100, false, NONE,     SYNCED,      'Synced'",
            "4, Primary,     true,  0,   false, ,         SYNCED,      'Synced'",
            "2, Primary,     true,  0,   false, NONE,     DONOR,       'wsrep_local_state=2'",
            "1, Primary,     false, 0,   false, NONE,     JOINER,      'wsrep_local_state=1'",
            "3, Primary,     true,  0,   false, NONE,     JOINER,      'wsrep_local_state=3'",
            "0, Primary,     false, 0,   false, NONE,     JOINER,      'wsrep_local_state=0'",
            "4, Non-Primary, false, 0,   false, NONE,     NON_PRIMARY, 'wsrep_cluster_status=Non-Primary'",
            "4, Disconnected,false, 0,   false, NONE,     NON_PRIMARY, 'wsrep_cluster_status=Disconnected'",
            "4, Primary,     false, 0,   false, NONE,     NON_PRIMARY, 'wsrep_ready=OFF'",
            "4, Primary,     true,  0,   true,  NONE,     READ_ONLY,   'read_only=ON'",
            "4, Primary,     true,  101, false, NONE,     LAGGING,     'wsrep_local_recv_queue=101 (max 100)'",
            "4, Primary,     true,  0,   false, ALL,      DOWN,        'wsrep_reject_queries=ALL'",
            "4, Primary,     true,  0,   false, ALL_KILL, DOWN,        'wsrep_reject_queries=ALL_KILL'",
            // the most serious problem wins
            "2, Non-Primary, false, 500, true,  NONE,     NON_PRIMARY, 'Non-Primary'",
            "2, Primary,     true,  500, true,  NONE,     DONOR,       'wsrep_local_state=2'",
            "4, Primary,     true,  500, true,  NONE,     LAGGING,     'recv_queue=500'",
            "4, Non-Primary, false, 0,   false, ALL,      DOWN,        'reject_queries'",
    })
    void classifies(int localState, String clusterStatus, boolean ready, long recvQueue, boolean readOnly,
            String reject, GaleraState expected, String reasonPart) {
        StateClassifier.Classification c = classifier.classify(
                status(localState, clusterStatus.trim(), ready, recvQueue, readOnly, reject));
        assertEquals(expected, c.state());
        assertTrue(c.reason().contains(reasonPart), c.reason());
    }

    @Test
    void everyStateButDownIsReachableFromAStatusAndDownFromRejectQueries() {
        Set<GaleraState> seen = EnumSet.noneOf(GaleraState.class);
        for (int ls : new int[] {1, 2, 3, 4}) {
            for (String cs : new String[] {"Primary", "Non-Primary"}) {
                for (boolean ro : new boolean[] {false, true}) {
                    for (long q : new long[] {0, 1000}) {
                        for (String rq : new String[] {"NONE", "ALL"}) {
                            seen.add(classifier.classify(status(ls, cs, true, q, ro, rq)).state());
                        }
                    }
                }
            }
        }
        assertEquals(EnumSet.allOf(GaleraState.class), seen);
    }

    @Test
    void missingWsrepStatusIsNonPrimary() {
        StateClassifier.Classification c = classifier.classify(GaleraStatus.parse(Map.of("read_only", "0")));
        assertEquals(GaleraState.NON_PRIMARY, c.state());
        assertTrue(c.reason().contains("no wsrep status"), c.reason());
    }

    @Test
    void commentIsQuotedInTheReason() {
        GaleraStatus donor = new GaleraStatus(2, "Donor/Desynced", "Primary", true, 0, 3, 0, 0, false, "NONE", "n");
        assertEquals("wsrep_local_state=2 (Donor/Desynced)", classifier.classify(donor).reason());
    }

    @Test
    void maxRecvQueueZeroMeansAnyQueueLags() {
        StateClassifier strict = new StateClassifier(0);
        assertEquals(GaleraState.SYNCED, strict.classify(status(4, "Primary", true, 0, false, "NONE")).state());
        assertEquals(GaleraState.LAGGING, strict.classify(status(4, "Primary", true, 1, false, "NONE")).state());
        assertThrows(IllegalArgumentException.class, () -> new StateClassifier(-1));
    }

    @Test
    void onlySyncedIsWritableAndOnlySyncedAndReadOnlyAreAvailable() {
        for (GaleraState s : GaleraState.values()) {
            assertEquals(s == GaleraState.SYNCED, s.writable(), s.name());
            assertEquals(s == GaleraState.SYNCED || s == GaleraState.READ_ONLY, s.available(), s.name());
        }
        assertFalse(Arrays.stream(GaleraState.values()).anyMatch(s -> s.writable() && !s.available()));
    }
}

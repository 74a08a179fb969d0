package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ossidecar.db.galera.Nodes.neverSeen;
import static ossidecar.db.galera.Nodes.node;
import static ossidecar.db.galera.Nodes.unpolled;
import static ossidecar.db.galera.GaleraState.DONOR;
import static ossidecar.db.galera.GaleraState.DOWN;
import static ossidecar.db.galera.GaleraState.JOINER;
import static ossidecar.db.galera.GaleraState.LAGGING;
import static ossidecar.db.galera.GaleraState.NON_PRIMARY;
import static ossidecar.db.galera.GaleraState.READ_ONLY;
import static ossidecar.db.galera.GaleraState.SYNCED;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriterPolicyTest {

    private static WriterPolicy.Decision decide(WriterRow row, NodeStatus... nodes) {
        return WriterPolicy.decide(List.of(nodes), row);
    }

    @Test
    void keepsASyncedWriter() {
        WriterPolicy.Decision d = decide(new WriterRow("node2", 4), node(1, SYNCED), node(2, SYNCED), node(3, SYNCED));
        assertEquals("galera-2", assertInstanceOf(WriterPolicy.Keep.class, d).writer().name());
    }

    @Test
    void keepsASyncedWriterEvenWhileOtherNodesAreNotPolledYet() {
        WriterPolicy.Decision d = decide(new WriterRow("node2", 4), unpolled(1), node(2, SYNCED), unpolled(3));
        assertInstanceOf(WriterPolicy.Keep.class, d);
    }

    @ParameterizedTest
    @EnumSource(value = GaleraState.class, names = "SYNCED", mode = EnumSource.Mode.EXCLUDE)
    void changesAWriterThatIsNotSyncedToTheFirstSyncedNodeByPriority(GaleraState writerState) {
        WriterPolicy.Decision d = decide(new WriterRow("node1", 7), node(1, writerState), node(2, SYNCED),
                node(3, SYNCED));
        WriterPolicy.Change c = assertInstanceOf(WriterPolicy.Change.class, d);
        assertEquals("galera-1", c.from().name());
        assertEquals("galera-2", c.to().name());
        assertEquals(7, c.expectedEpoch());
        assertTrue(c.reason().startsWith("galera-1 is " + writerState.name()), c.reason());
    }

    @Test
    void priorityIsConfigOrderAndSkipsNodesThatCannotWrite() {
        WriterPolicy.Decision d = decide(new WriterRow("node3", 2), node(1, DONOR), node(2, READ_ONLY),
                node(3, DOWN), node(4, LAGGING), node(5, SYNCED), node(6, SYNCED));
        assertEquals("galera-5", assertInstanceOf(WriterPolicy.Change.class, d).to().name());
    }

    @Test
    void priorityFollowsTheListNotTheNames() {
        WriterPolicy.Decision d = decide(new WriterRow("node1", 2), node(3, SYNCED), node(1, DOWN), node(2, SYNCED));
        assertEquals("galera-3", assertInstanceOf(WriterPolicy.Change.class, d).to().name());
    }

    @Test
    void noFailbackWhenTheOldWriterReturns() {
        // galera-1 was the writer, failed, galera-2 took over at epoch 2; galera-1 is back and SYNCED.
        WriterPolicy.Decision d = decide(new WriterRow("node2", 2), node(1, SYNCED), node(2, SYNCED), node(3, SYNCED));
        assertEquals("galera-2", assertInstanceOf(WriterPolicy.Keep.class, d).writer().name());
    }

    @Test
    void aWriterDownSinceBeforeStartIsReplaced() {
        WriterPolicy.Decision d = decide(new WriterRow("node1", 3), neverSeen(1), node(2, SYNCED), node(3, SYNCED));
        WriterPolicy.Change c = assertInstanceOf(WriterPolicy.Change.class, d);
        assertNull(c.from());
        assertEquals("galera-2", c.to().name());
        assertTrue(c.reason().contains("node1 is not a configured node or never answered"), c.reason());
    }

    @Test
    void aWriterNotConfiguredHereIsReplaced() {
        WriterPolicy.Decision d = decide(new WriterRow("elsewhere", 3), node(1, SYNCED), node(2, SYNCED));
        assertEquals("galera-1", assertInstanceOf(WriterPolicy.Change.class, d).to().name());
    }

    @Test
    void waitsForEveryFirstPollBeforeChanging() {
        WriterPolicy.Decision d = decide(new WriterRow("node1", 3), node(1, DOWN), unpolled(2), node(3, SYNCED));
        assertInstanceOf(WriterPolicy.Wait.class, d);
    }

    @Test
    void noCandidateWhenNoOtherNodeIsSynced() {
        WriterPolicy.Decision d = decide(new WriterRow("node1", 3), node(1, NON_PRIMARY), node(2, NON_PRIMARY),
                node(3, JOINER));
        WriterPolicy.NoCandidate n = assertInstanceOf(WriterPolicy.NoCandidate.class, d);
        assertTrue(n.reason().contains("no other node is SYNCED"), n.reason());
    }

    @Test
    void emptyTableProposesTheFirstSyncedNodeByPriority() {
        WriterPolicy.Decision d = decide(null, node(1, JOINER), node(2, SYNCED), node(3, SYNCED));
        assertEquals("galera-2", assertInstanceOf(WriterPolicy.Initialize.class, d).to().name());
    }

    @Test
    void emptyTableWaitsForEveryFirstPoll() {
        assertInstanceOf(WriterPolicy.Wait.class, decide(null, unpolled(1), node(2, SYNCED)));
    }

    @Test
    void emptyTableWithNoSyncedNodeHasNoCandidate() {
        assertInstanceOf(WriterPolicy.NoCandidate.class, decide(null, node(1, DOWN), node(2, DONOR)));
    }

    @Test
    void readsTheRowViaTheFirstSyncedNode() {
        assertEquals("galera-2", WriterPolicy.readVia(List.of(node(1, DOWN), node(2, SYNCED), node(3, SYNCED))).name());
        assertNull(WriterPolicy.readVia(List.of(node(1, DOWN), node(2, READ_ONLY))));
    }

    @Test
    void fallbackIsTheSyncedNodeWithTheLowestLocalIndex() {
        List<NodeStatus> nodes = List.of(node(1, SYNCED, 2), node(2, SYNCED, 1), node(3, DOWN, 0));
        assertEquals("galera-2", WriterPolicy.lowestLocalIndex(nodes).name());
        assertNull(WriterPolicy.lowestLocalIndex(List.of(node(1, DOWN, 0), node(2, READ_ONLY, 1))));
        List<NodeStatus> tie = List.of(node(1, SYNCED, 0), node(2, SYNCED, 0));
        assertSame(tie.get(0), WriterPolicy.lowestLocalIndex(tie));
    }
}

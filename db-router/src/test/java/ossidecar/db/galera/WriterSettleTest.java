package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ossidecar.db.galera.GaleraState.DOWN;
import static ossidecar.db.galera.GaleraState.SYNCED;
import static ossidecar.db.galera.Nodes.T0;
import static ossidecar.db.galera.Nodes.node;
import static ossidecar.db.galera.Nodes.returned;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #11 item 7: a node that came back takes the writer role only after it has been SYNCED for the settle time. */
class WriterSettleTest {
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Instant BACK = T0.plusSeconds(100);

    private static WriterPolicy.Settle at(long secondsAfterBack) {
        return new WriterPolicy.Settle(BACK.plusSeconds(secondsAfterBack), SETTLE);
    }

    @Test
    void aNodeSeenSyncedAtTheFirstPollIsSettledAtOnce() {
        assertTrue(node(1, SYNCED).settled(T0, SETTLE));
    }

    @Test
    void aReturnedNodeIsSettledOnlyAfterTheSettleTime() {
        NodeStatus back = returned(1, SYNCED, BACK);
        assertFalse(back.settled(BACK.plusMillis(4_999), SETTLE));
        assertTrue(back.settled(BACK.plusSeconds(5), SETTLE));
        assertTrue(back.settled(BACK, Duration.ZERO), "settle 0 turns it off");
    }

    @Test
    void theWriterMovesToASettledNodeBeforeOneThatJustCameBack() {
        // priority order puts the returned node first: it is passed over while it settles
        List<NodeStatus> nodes = List.of(returned(1, SYNCED, BACK), node(2, DOWN), node(3, SYNCED));
        WriterPolicy.Decision d = WriterPolicy.decide(nodes, new WriterRow("node2", 7), at(1));
        assertEquals("galera-3", assertInstanceOf(WriterPolicy.Change.class, d).to().name());
        assertEquals("galera-1", assertInstanceOf(WriterPolicy.Change.class,
                WriterPolicy.decide(nodes, new WriterRow("node2", 7), at(6))).to().name(), "settled by then");
    }

    @Test
    void whileTheOnlyCandidateSettlesTheElectionWaitsAndSaysWhy() {
        List<NodeStatus> nodes = List.of(node(1, DOWN), returned(2, SYNCED, BACK), node(3, DOWN));
        WriterPolicy.Decision d = WriterPolicy.decide(nodes, new WriterRow("node1", 3), at(2));
        String reason = assertInstanceOf(WriterPolicy.Wait.class, d).reason();
        assertTrue(reason.contains("galera-2 came back") && reason.contains("2000 ms of 5000 ms"), reason);
        assertEquals("galera-2", assertInstanceOf(WriterPolicy.Change.class,
                WriterPolicy.decide(nodes, new WriterRow("node1", 3), at(5))).to().name());
    }

    @Test
    void theFirstWriterIsNotANodeThatIsSettling() {
        List<NodeStatus> nodes = List.of(returned(1, SYNCED, BACK), node(2, SYNCED));
        assertEquals("galera-2", assertInstanceOf(WriterPolicy.Initialize.class,
                WriterPolicy.decide(nodes, null, at(0))).to().name());
        assertInstanceOf(WriterPolicy.Wait.class, WriterPolicy.decide(List.of(returned(1, SYNCED, BACK)), null, at(0)));
    }

    @Test
    void theTableIsReadViaANodeThatCameBackWhateverItsSettling() {
        // every node restarted or donated once (maintenance, a rejoin): all have returned
        List<NodeStatus> nodes = List.of(node(1, DOWN), returned(2, SYNCED, BACK), returned(3, SYNCED, BACK));
        assertEquals("galera-2", WriterPolicy.readVia(nodes).name());
        assertTrue(WriterPolicy.Settle.NONE.settled(returned(2, SYNCED, BACK)));
    }

    @Test
    void whenEveryOtherNodeCameBackOnceTheWriterStillMovesOnceTheyHaveSettled() {
        List<NodeStatus> nodes = List.of(node(1, DOWN), returned(2, SYNCED, BACK), returned(3, SYNCED, BACK));
        assertInstanceOf(WriterPolicy.Wait.class, WriterPolicy.decide(nodes, new WriterRow("node1", 4), at(1)));
        WriterPolicy.Change c = assertInstanceOf(WriterPolicy.Change.class,
                WriterPolicy.decide(nodes, new WriterRow("node1", 4), at(60)));
        assertEquals("galera-2", c.to().name());
        assertEquals("galera-2", assertInstanceOf(WriterPolicy.Change.class,
                WriterPolicy.decide(nodes, new WriterRow("node1", 4))).to().name(), "without settling: at once");
    }

    @Test
    void aWriterThatCameBackKeepsTheRoleItHolds() {
        // settling decides who may take the role, never takes it from the node holding it
        List<NodeStatus> nodes = List.of(node(1, SYNCED), returned(2, SYNCED, BACK));
        assertInstanceOf(WriterPolicy.Keep.class, WriterPolicy.decide(nodes, new WriterRow("node2", 9), at(0)));
    }

    @Test
    void theReturnedNodeNeverTakesTheRoleBackOnceSettled() {
        List<NodeStatus> nodes = List.of(returned(1, SYNCED, BACK), node(2, SYNCED));
        assertInstanceOf(WriterPolicy.Keep.class, WriterPolicy.decide(nodes, new WriterRow("node2", 9), at(600)));
    }

    @Test
    void theFallbackRuleSkipsSettlingNodesToo() {
        List<NodeStatus> nodes = List.of(returned(1, SYNCED, BACK), node(2, SYNCED), node(3, SYNCED));
        assertEquals("galera-2", WriterPolicy.lowestLocalIndex(nodes, at(1)).name());
        assertEquals("galera-1", WriterPolicy.lowestLocalIndex(nodes, at(5)).name());
        assertNull(WriterPolicy.lowestLocalIndex(List.of(returned(1, SYNCED, BACK)), at(1)));
    }
}

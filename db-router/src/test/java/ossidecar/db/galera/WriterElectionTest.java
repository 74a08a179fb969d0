package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ossidecar.db.galera.GaleraState.DOWN;
import static ossidecar.db.galera.GaleraState.JOINER;
import static ossidecar.db.galera.GaleraState.SYNCED;
import static ossidecar.db.galera.Nodes.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several router instances against one in-memory table with the real table's compare-and-swap
 * semantics; cycles are driven by hand, no threads, no sockets.
 */
class WriterElectionTest {

    /** sidecar.writer in memory: via galera-i runs on the server named node-i. */
    static final class FakeTable implements WriterStore {
        private WriterRow row;
        SQLException failNext;
        int failures;

        private static String server(String via) {
            return "node" + via.substring("galera-".length());
        }

        private void maybeFail() throws SQLException {
            if (failNext != null && failures-- > 0) {
                throw failNext;
            }
        }

        @Override
        public synchronized WriterRow read(String via) throws SQLException {
            maybeFail();
            return row;
        }

        @Override
        public synchronized void initialize(String via) throws SQLException {
            maybeFail();
            if (row == null) {
                row = new WriterRow(server(via), 1);
            }
        }

        @Override
        public synchronized boolean compareAndSet(String via, long expectedEpoch) throws SQLException {
            maybeFail();
            if (row == null || row.epoch() != expectedEpoch) {
                return false;
            }
            row = new WriterRow(server(via), expectedEpoch + 1);
            return true;
        }
    }

    /** One router instance: its own view of the nodes and its own election. */
    static final class Router {
        final AtomicReference<List<NodeStatus>> view = new AtomicReference<>();
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final List<String> probed = new ArrayList<>();
        final List<WriterChange> changes = new ArrayList<>();
        final WriterElection election;

        Router(WriterStore table, NodeStatus... nodes) {
            view.set(List.of(nodes));
            election = new WriterElection(view::get, table, Duration.ofMillis(500), meters, probed::add);
            election.close(); // no background cycles: the test drives them
            election.onChange(changes::add);
        }

        void sees(NodeStatus... nodes) {
            view.set(List.of(nodes));
        }

        String writer() {
            return election.writer() == null ? null : election.writer().name();
        }

        double changeCount() {
            return meters.counter("sidecar.db.writer.changes").count();
        }
    }

    private final FakeTable table = new FakeTable();
    private final List<Router> routers = new ArrayList<>();

    private Router router(NodeStatus... nodes) {
        Router r = new Router(table, nodes);
        routers.add(r);
        return r;
    }

    @AfterEach
    void close() {
        routers.forEach(r -> r.election.close());
    }

    private static NodeStatus[] allSynced() {
        return new NodeStatus[] {node(1, SYNCED), node(2, SYNCED), node(3, SYNCED)};
    }

    @Test
    void routersAgreeOnTheFirstSyncedNodeByPriorityFailOverTogetherAndNeverFailBack() {
        Router a = router(allSynced());
        Router b = router(allSynced());
        a.election.runCycle();
        b.election.runCycle();
        assertEquals("galera-1", a.writer());
        assertEquals("galera-1", b.writer());
        assertEquals(1, a.election.epoch());
        assertEquals(1, b.election.epoch());
        assertEquals(0, a.changeCount(), "the first pick is not a change");
        assertEquals(WriterElection.Source.TABLE, a.election.source());

        // galera-1 dies: writer() is null at once, before any cycle.
        a.sees(node(1, DOWN), node(2, SYNCED), node(3, SYNCED));
        b.sees(node(1, DOWN), node(2, SYNCED), node(3, SYNCED));
        assertNull(a.writer());
        assertNull(b.writer());
        a.election.runCycle();
        b.election.runCycle();
        assertEquals("galera-2", a.writer());
        assertEquals("galera-2", b.writer());
        assertEquals(2, a.election.epoch());
        assertEquals(2, b.election.epoch());
        assertEquals(1, a.changeCount());
        assertEquals(1, b.changeCount());
        WriterChange ac = a.changes.get(a.changes.size() - 1);
        assertEquals("galera-1", ac.from().name());
        assertEquals("galera-2", ac.to().name());
        assertEquals(1, ac.fromEpoch());
        assertEquals(2, ac.toEpoch());
        assertTrue(ac.reason().startsWith("galera-1 is DOWN"), ac.reason());
        assertTrue(ac.describe().startsWith("galera-1 -> galera-2 (epoch 1 -> 2): galera-1 is DOWN"), ac.describe());
        assertEquals(1, a.meters.timer("sidecar.db.writer.failover.duration").count(),
                "the failover timed from galera-1 leaving SYNCED");
        assertEquals(1, b.meters.timer("sidecar.db.writer.failover.duration").count(), "by each router that saw it");
        assertTrue(b.changes.get(b.changes.size() - 1).reason().startsWith("changed by another router"),
                b.changes.get(b.changes.size() - 1).reason());

        // galera-1 rejoins: the writer stays.
        a.sees(node(1, JOINER), node(2, SYNCED), node(3, SYNCED));
        a.election.runCycle();
        a.sees(allSynced());
        b.sees(allSynced());
        for (int i = 0; i < 3; i++) {
            a.election.runCycle();
            b.election.runCycle();
        }
        assertEquals("galera-2", a.writer());
        assertEquals("galera-2", b.writer());
        assertEquals(2, a.election.epoch());

        // A late starter picks the same writer, and counts no change.
        Router c = router(allSynced());
        c.election.runCycle();
        assertEquals("galera-2", c.writer());
        assertEquals(2, c.election.epoch());
        assertEquals(0, c.changeCount());
    }

    @Test
    void aRouterThatDoesNotSeeTheWriterDownFollowsTheChangeAnotherMade() {
        Router a = router(allSynced());
        Router b = router(allSynced());
        a.election.runCycle();
        b.election.runCycle();
        a.sees(node(1, DOWN), node(2, SYNCED), node(3, SYNCED));
        a.election.runCycle();
        b.election.runCycle(); // still sees galera-1 SYNCED, but the row moved on
        assertEquals("galera-2", b.writer());
        assertEquals(2, b.election.epoch());
    }

    @Test
    void oneChangePerFailureEvenWhenEveryRouterTries() {
        List<Router> rs = List.of(router(allSynced()), router(allSynced()), router(allSynced()));
        rs.forEach(r -> r.election.runCycle());
        rs.forEach(r -> r.sees(node(1, DOWN), node(2, SYNCED), node(3, SYNCED)));
        rs.forEach(r -> r.election.runCycle());
        rs.forEach(r -> assertEquals(2, r.election.epoch()));
        // galera-2 fails too; galera-1 is back: the next by priority is galera-1 again, a new epoch.
        rs.forEach(r -> r.sees(node(1, SYNCED), node(2, DOWN), node(3, SYNCED)));
        rs.forEach(r -> r.election.runCycle());
        rs.forEach(r -> assertEquals("galera-1", r.writer()));
        rs.forEach(r -> assertEquals(3, r.election.epoch()));
    }

    @Test
    void differentPrioritiesStillConvergeOnOneWriter() {
        Router a = router(node(1, DOWN), node(2, SYNCED), node(3, SYNCED));
        Router b = router(node(1, DOWN), node(3, SYNCED), node(2, SYNCED));
        a.election.runCycle(); // initialises galera-2
        b.election.runCycle(); // galera-2 is SYNCED for b too: kept
        assertEquals("galera-2", a.writer());
        assertEquals("galera-2", b.writer());
    }

    @Test
    void noWriterWhileNoNodeIsSynced() {
        Router a = router(node(1, DOWN), node(2, JOINER));
        a.election.runCycle();
        assertNull(a.writer());
        assertEquals(0, a.election.epoch());
        assertEquals(WriterElection.Source.NONE, a.election.source());
    }

    @Test
    void accessDeniedFallsBackToTheLowestLocalIndexAtOnceAndBackWhenTheTableWorks() {
        Router a = router(node(1, SYNCED, 2), node(2, SYNCED, 0), node(3, SYNCED, 1));
        table.failNext = new SQLException("SELECT command denied to user 'mon'@'%' for table 'writer'", "42000", 1142);
        table.failures = 1;
        a.election.runCycle();
        assertEquals("galera-2", a.writer());
        assertEquals(0, a.election.epoch());
        assertEquals(WriterElection.Source.LOWEST_LOCAL_INDEX, a.election.source());
        a.election.runCycle(); // the table works again
        assertEquals("galera-1", a.writer());
        assertEquals(1, a.election.epoch());
        assertEquals(WriterElection.Source.TABLE, a.election.source());
    }

    @Test
    void errorsOfAViewChangeAreRetriedAndNeverFallBack() {
        Router a = router(node(1, SYNCED, 1), node(2, SYNCED, 0));
        table.failNext = new SQLException("Error while appending streaming replication fragment(provider status:"
                + " Not connected to Primary Component)", "HY000", 1180);
        table.failures = 10;
        for (int i = 0; i < 10; i++) {
            a.election.runCycle();
            assertEquals(WriterElection.Source.NONE, a.election.source(), "cycle " + i);
        }
        a.election.runCycle();
        assertEquals(WriterElection.Source.TABLE, a.election.source());
        assertEquals("galera-1", a.writer());
    }

    @Test
    void aChangeThatFailsInAViewChangeIsRetriedNextCycle() {
        Router a = router(allSynced());
        a.election.runCycle();
        a.sees(node(1, DOWN), node(2, SYNCED), node(3, SYNCED));
        table.failNext = new SQLException("Deadlock found when trying to get lock", "40001", 1213);
        table.failures = 1; // the read fails, as a BF-aborted statement would
        a.election.runCycle();
        assertEquals(1, a.election.epoch());
        a.election.runCycle();
        assertEquals("galera-2", a.writer());
        assertEquals(2, a.election.epoch());
    }

    @Test
    void aLostConnectionProbesTheNodeAndNeverFallsBack() {
        Router a = router(allSynced());
        table.failNext = new SQLNonTransientConnectionException("Socket error", "08000");
        table.failures = 10;
        for (int i = 0; i < 5; i++) {
            a.election.runCycle();
        }
        assertEquals(WriterElection.Source.NONE, a.election.source());
        assertEquals(List.of("galera-1", "galera-1", "galera-1", "galera-1", "galera-1"), a.probed);
    }
}

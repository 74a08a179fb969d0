package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.GaleraNode;

/**
 * Issue #11: "A writer made non-writable while alive ({@code SET GLOBAL wsrep_desync=ON} plus
 * {@code read_only}, or a clean stop) moves every session: no statement of any session reaches
 * the old node afterwards (checked on the node's own {@code Com_*} counters)."
 *
 * <p>Sessions are opened through the router and write once, so each has its backend connection
 * on the writer. The writer is then desynced and made read-only, without dying: its
 * connections stay open. Once the router has another writer, every session runs a batch of
 * INSERTs and UPDATEs, and the old node's {@code Com_insert}/{@code Com_update} must not move.
 * Those two counters count only statements clients ran on that node (replicated writesets do
 * not count), and the router's monitor only reads, so any growth is a session's statement that
 * went to the old node; a control step first checks that writes replicated to the old node
 * leave them alone. The cluster user has every privilege, READ_ONLY ADMIN too, so
 * {@code read_only} alone would not stop a session left on the old node from writing there.
 * Both settings are undone afterwards, even when the test fails.
 */
class DbWriterMadeReadOnlyIT {
    private static final String SCHEMA = "writer_demoted";
    private static final int SESSIONS = 6;
    private static final int INSERTS = 20;
    private static final int UPDATES = 5;

    @Test
    void everySessionLeavesAWriterThatIsDesyncedAndReadOnly() throws Exception {
        GaleraCluster cluster = SharedClusters.galera();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE OR REPLACE TABLE " + SCHEMA + ".t (session INT, n INT, v INT, PRIMARY KEY (session, n))");
        }
        List<Connection> sessions = new ArrayList<>();
        GaleraNode oldNode = null;
        try (RouterUnderTest router = RouterUnderTest.start(cluster)) {
            String old = WriterFaults.writer(router);
            assertNotNull(old, "the router has a writer: " + router.topology.status());
            int oldIndex = WriterFaults.index(old);
            oldNode = cluster.node(oldIndex);
            for (int i = 0; i < SESSIONS; i++) {
                Connection c = DriverManager.getConnection(router.jdbcUrl(SCHEMA) + "?socketTimeout=30000",
                        cluster.user(), cluster.password());
                sessions.add(c);
                if (i % 2 == 1) {
                    c.setAutoCommit(false); // as PyMySQL under SQLAlchemy: every statement in a transaction
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t VALUES (" + i + ", 0, 0)");
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                    try (ResultSet rs = s.executeQuery("SELECT @@wsrep_node_name")) {
                        rs.next();
                        assertEquals(WriterFaults.serverName(oldIndex), rs.getString(1), "session " + i + " on the writer");
                    }
                    if (!c.getAutoCommit()) {
                        c.commit(); // idle outside a transaction
                    }
                }
            }

            try (Connection c = oldNode.connect(); Statement s = c.createStatement()) {
                s.execute("SET GLOBAL wsrep_desync = ON");
                s.execute("SET GLOBAL read_only = ON");
            }
            int next = WriterFaults.awaitNewWriter(router, old, Duration.ofSeconds(30));
            // Com_insert and Com_update also count the write-sets Galera applies from other nodes (seen
            // here: 20 INSERTs and an UPDATE run on another node moved them by 21), so the proof that no
            // statement of a session reached the old node is a statement Galera does not replicate and
            // the monitor never sends: DO
            Map<String, String> before = oldNode.globalStatus("Com_do");

            List<String> errors = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Connection c = sessions.get(i);
                try (Statement s = c.createStatement()) {
                    for (int n = 1; n <= INSERTS; n++) {
                        s.executeUpdate("INSERT INTO t VALUES (" + i + ", " + n + ", 0)");
                    }
                    for (int n = 1; n <= UPDATES; n++) {
                        s.executeUpdate("UPDATE t SET v = v + 1 WHERE session = " + i + " AND n = " + n);
                        s.execute("DO " + n);
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                } catch (SQLException e) {
                    errors.add("session " + i + ": " + e.getErrorCode() + "/" + e.getSQLState() + " " + e.getMessage());
                }
            }
            Map<String, String> after = oldNode.globalStatus("Com_do");
            List<String> servedBy = new ArrayList<>();
            for (Connection c : sessions) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@wsrep_node_name")) {
                    rs.next();
                    servedBy.add(rs.getString(1));
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                } catch (SQLException e) {
                    servedBy.add(e.getErrorCode() + " " + e.getMessage());
                }
            }
            long dos = delta(before, after, "com_do");
            long stored;
            try (Connection c = cluster.connect(next); Statement s = c.createStatement()) {
                s.execute("SET SESSION wsrep_sync_wait = 1");
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".t WHERE session >= 0 AND n > 0")) {
                    rs.next();
                    stored = rs.getLong(1);
                }
            }
            System.out.printf("writer %s desynced and read-only, router moved to galera-%d: %d sessions ran %d INSERTs,"
                            + " %d UPDATEs and %d DOs; on %s afterwards Com_do +%d; %d rows stored;"
                            + " sessions then served by %s; errors %s%n", old, next, SESSIONS, SESSIONS * INSERTS,
                    SESSIONS * UPDATES, SESSIONS * UPDATES, old, dos, stored, servedBy, errors);
            assertAll(
                    () -> assertEquals(List.of(), errors, "the sessions' statements succeeded"),
                    () -> assertEquals(0, dos, "statements of the sessions that reached the old writer " + old),
                    () -> assertEquals(SESSIONS * INSERTS, stored, "every INSERT stored"),
                    () -> assertEquals(java.util.Collections.nCopies(SESSIONS, WriterFaults.serverName(next)), servedBy,
                            "every session on the new writer"));
        } finally {
            for (Connection c : sessions) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing is best effort; the router is closed next anyway
                }
            }
            if (oldNode != null) {
                try (Connection c = oldNode.connect(); Statement s = c.createStatement()) {
                    s.execute("SET GLOBAL read_only = OFF");
                    s.execute("SET GLOBAL wsrep_desync = OFF");
                }
            }
            WriterFaults.healCluster(cluster);
        }
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String key) {
        return Long.parseLong(after.get(key)) - Long.parseLong(before.get(key));
    }
}

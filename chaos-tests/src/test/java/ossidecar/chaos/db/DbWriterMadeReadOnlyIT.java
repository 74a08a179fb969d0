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

            // Control: writes replicated to the old writer do not move its counters, so the check
            // below sees only statements run there.
            int other = oldIndex % cluster.size() + 1;
            Map<String, String> controlBefore = oldNode.globalStatus("Com_insert", "Com_update");
            try (Connection c = cluster.connect(other); Statement s = c.createStatement()) {
                for (int n = 1; n <= INSERTS; n++) {
                    s.executeUpdate("INSERT INTO " + SCHEMA + ".t VALUES (-1, " + n + ", 0)");
                }
                s.executeUpdate("UPDATE " + SCHEMA + ".t SET v = 1 WHERE session = -1");
            }
            try (Connection c = oldNode.connect(); Statement s = c.createStatement()) {
                s.execute("SET SESSION wsrep_sync_wait = 1");
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".t WHERE session = -1 AND v = 1")) {
                    rs.next();
                    assertEquals(INSERTS, rs.getInt(1), "the control rows replicated to " + old);
                }
            }
            Map<String, String> controlAfter = oldNode.globalStatus("Com_insert", "Com_update");
            assertEquals(0, delta(controlBefore, controlAfter, "com_insert") + delta(controlBefore, controlAfter,
                    "com_update"), "replicated writes moved " + old + "'s counters: " + controlBefore + " -> "
                    + controlAfter);

            try (Connection c = oldNode.connect(); Statement s = c.createStatement()) {
                s.execute("SET GLOBAL wsrep_desync = ON");
                s.execute("SET GLOBAL read_only = ON");
            }
            int next = WriterFaults.awaitNewWriter(router, old, Duration.ofSeconds(30));
            Map<String, String> before = oldNode.globalStatus("Com_insert", "Com_update");

            List<String> errors = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Connection c = sessions.get(i);
                try (Statement s = c.createStatement()) {
                    for (int n = 1; n <= INSERTS; n++) {
                        s.executeUpdate("INSERT INTO t VALUES (" + i + ", " + n + ", 0)");
                    }
                    for (int n = 1; n <= UPDATES; n++) {
                        s.executeUpdate("UPDATE t SET v = v + 1 WHERE session = " + i + " AND n = " + n);
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                } catch (SQLException e) {
                    errors.add("session " + i + ": " + e.getErrorCode() + "/" + e.getSQLState() + " " + e.getMessage());
                }
            }
            Map<String, String> after = oldNode.globalStatus("Com_insert", "Com_update");
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
            long inserts = delta(before, after, "com_insert");
            long updates = delta(before, after, "com_update");
            long stored;
            try (Connection c = cluster.connect(next); Statement s = c.createStatement()) {
                s.execute("SET SESSION wsrep_sync_wait = 1");
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".t WHERE session >= 0 AND n > 0")) {
                    rs.next();
                    stored = rs.getLong(1);
                }
            }
            System.out.printf("writer %s desynced and read-only, router moved to galera-%d: %d sessions ran %d INSERTs"
                            + " and %d UPDATEs; on %s afterwards Com_insert +%d, Com_update +%d; %d rows stored;"
                            + " sessions then served by %s; errors %s%n", old, next, SESSIONS, SESSIONS * INSERTS,
                    SESSIONS * UPDATES, old, inserts, updates, stored, servedBy, errors);
            assertAll(
                    () -> assertEquals(List.of(), errors, "the sessions' statements succeeded"),
                    () -> assertEquals(0, inserts, "INSERTs of the sessions that reached the old writer " + old),
                    () -> assertEquals(0, updates, "UPDATEs of the sessions that reached the old writer " + old),
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

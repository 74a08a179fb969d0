package ossidecar.db.galera;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sidecar.writer} on the Galera cluster itself: the consensus record of the writer.
 *
 * <p>Every change is an {@code UPDATE ... WHERE id = 1 AND epoch = ?} run on the node that takes
 * the role. Galera orders all write-sets: of two routers changing the same epoch, the first
 * commits, the second's write-set fails certification (1213, on another node) or finds the new
 * epoch after the row lock (0 rows, on the same node). Only a node in the primary component
 * commits at all. The node stores {@code @@wsrep_node_name}, so the row names the server that
 * ran the change, whatever each router's config calls it.
 *
 * <p>A change may stall while the cluster evicts a dead node (until {@code evs.suspect_timeout},
 * 5 s by default), so changes get a longer network timeout than polls. A change whose outcome
 * is unknown (timed out) is harmless: the next cycle re-reads the row, and the epoch guard makes
 * a late commit of it a no-op against any newer epoch.
 */
final class WriterTable implements WriterStore {
    private static final Logger LOG = LoggerFactory.getLogger(WriterTable.class);

    static final String CREATE_SCHEMA = "CREATE DATABASE IF NOT EXISTS sidecar";
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS sidecar.writer ("
            + " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
            + " node VARCHAR(255) NOT NULL,"
            + " epoch BIGINT UNSIGNED NOT NULL,"
            + " changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
            + ") ENGINE=InnoDB COMMENT='the DB router writer every sidecar agrees on; change only by CAS on epoch'";
    static final String READ = "SELECT node, epoch FROM sidecar.writer WHERE id = 1";
    static final String INITIALIZE = "INSERT IGNORE INTO sidecar.writer (id, node, epoch, changed_at)"
            + " VALUES (1, @@wsrep_node_name, 1, NOW(6))";
    static final String COMPARE_AND_SET = "UPDATE sidecar.writer SET node = @@wsrep_node_name, epoch = epoch + 1,"
            + " changed_at = NOW(6) WHERE id = 1 AND epoch = ?";

    private final GaleraMonitor monitor;
    private final Duration writeTimeout;

    /** @param writeTimeout network timeout of DDL and changes, which may wait out a view change */
    WriterTable(GaleraMonitor monitor, Duration writeTimeout) {
        this.monitor = monitor;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public WriterRow read(String via) throws SQLException {
        try (Connection c = monitor.connection(via, null)) {
            try {
                return select(c);
            } catch (SQLException e) {
                if (!SqlErrors.isMissingTable(e)) {
                    throw e;
                }
            }
        }
        create(via);
        try (Connection c = monitor.connection(via, null)) {
            return select(c);
        }
    }

    private static WriterRow select(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(READ)) {
            return rs.next() ? new WriterRow(rs.getString(1), rs.getLong(2)) : null;
        }
    }

    /** Idempotent DDL; Galera replicates it in total order (TOI), so concurrent routers are fine. */
    private void create(String via) throws SQLException {
        try (Connection c = monitor.connection(via, writeTimeout); Statement s = c.createStatement()) {
            s.execute(CREATE_SCHEMA);
            s.execute(CREATE_TABLE);
        }
        LOG.info("galera writer election: created sidecar.writer via {}", via);
    }

    @Override
    public void initialize(String via) throws SQLException {
        try (Connection c = monitor.connection(via, writeTimeout); Statement s = c.createStatement()) {
            s.executeUpdate(INITIALIZE);
        }
    }

    @Override
    public boolean compareAndSet(String via, long expectedEpoch) throws SQLException {
        try (Connection c = monitor.connection(via, writeTimeout);
                PreparedStatement ps = c.prepareStatement(COMPARE_AND_SET)) {
            ps.setLong(1, expectedEpoch);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1213) {
                return false; // certification lost to a concurrent change: the other router won
            }
            throw e;
        }
    }
}

package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mariabackup SST path: a joiner that starts with an empty data directory gets a full state
 * transfer. Also checks that extra provider options reach the nodes. Two nodes keep it short (each SST costs ~15 s, 10 of them a fixed sleep in Debian's
 * wsrep_sst_mariabackup).
 */
class GaleraSstJoinIT {

    @Test
    void emptyJoinerGetsFullStateTransfer() throws SQLException {
        GaleraCluster cluster = GaleraCluster.start(2, GaleraCluster.JoinMode.SST, "evs.suspect_timeout=PT4S");
        ClusterLeftovers leftovers;
        try {
            assertEquals(2, cluster.clusterSize(1));
            assertEquals(2, cluster.clusterSize(2));
            // Node 2 never ran install-db: its system tables (and the sidecar login that connect()
            // uses) came from node 1, by a mariabackup SST its log reports.
            String joinerLog = cluster.node(2).logTail(5000);
            assertTrue(joinerLog.contains("mariabackup SST completed on joiner"), "SST in node 2's log");
            try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE harness_it_sst");
                s.execute("CREATE TABLE harness_it_sst.t (id INT PRIMARY KEY)");
                s.execute("INSERT INTO harness_it_sst.t VALUES (42)");
            }
            try (Connection c = cluster.connect(2); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT @@wsrep_provider_options")) {
                    assertTrue(rs.next());
                    assertTrue(rs.getString(1).contains("evs.suspect_timeout = PT4S"), "extra provider option applied");
                }
                s.execute("SET SESSION wsrep_sync_wait = 1");
                try (ResultSet rs = s.executeQuery("SELECT id FROM harness_it_sst.t")) {
                    assertEquals(List.of(42), rows(rs));
                }
            }
            leftovers = ClusterLeftovers.snapshot(cluster.liveProcesses(), cluster.workDir());
        } finally {
            cluster.close();
        }
        assertEquals(List.of(), leftovers.survivors());
        assertFalse(leftovers.dirExists());
    }

    private static List<Integer> rows(ResultSet rs) throws SQLException {
        List<Integer> result = new java.util.ArrayList<>();
        while (rs.next()) {
            result.add(rs.getInt(1));
        }
        return result;
    }
}

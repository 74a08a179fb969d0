package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A real 3-node MariaDB Galera cluster: formation, replication, crash and rejoin, cleanup. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GaleraClusterIT {

    private static GaleraCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = GaleraCluster.start(3);
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void execute(int node, String... sql) throws SQLException {
        try (Connection c = cluster.connect(node); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Rows of harness_it.items as node {@code node} sees them after catching up (wsrep_sync_wait). */
    private static List<String> items(int node) throws SQLException {
        try (Connection c = cluster.connect(node); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM harness_it.items ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }

    private static void insert(int node, String name) throws SQLException {
        try (Connection c = cluster.connect(node);
                PreparedStatement ps = c.prepareStatement("INSERT INTO harness_it.items (name) VALUES (?)")) {
            ps.setString(1, name);
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    @Order(1)
    void everyNodeSeesThreeMembers() throws SQLException {
        assertEquals(3, cluster.size());
        for (int i = 1; i <= 3; i++) {
            assertEquals(3, cluster.clusterSize(i), "wsrep_cluster_size via node " + i);
            assertEquals("Synced", cluster.node(i).globalStatus("wsrep_local_state_comment")
                    .get("wsrep_local_state_comment"));
        }
        Set<Integer> ports = Set.of(cluster.port(1), cluster.port(2), cluster.port(3));
        assertEquals(3, ports.size(), "distinct SQL ports");
        assertFalse(ports.contains(3306), "never the standard port");
    }

    @Test
    @Order(2)
    void everyListeningSocketIsOnLoopback() throws Exception {
        Set<Long> pids = cluster.liveProcesses().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        List<ListeningSockets.Socket> sockets = ListeningSockets.of(pids);
        Set<String> listening = sockets.stream().map(ListeningSockets.Socket::localAddress).collect(Collectors.toSet());
        for (GaleraNode node : cluster.nodes()) {
            assertTrue(listening.contains("127.0.0.1:" + node.port()), "SQL listener of " + node.name());
            assertTrue(listening.contains("127.0.0.1:" + node.gcommPort()), "gcomm listener of " + node.name());
        }
        assertEquals(List.of(), sockets.stream().filter(s -> !s.isLoopback()).toList(), "listeners not on loopback");
    }

    @Test
    @Order(3)
    void rowWrittenOnNode1IsReadOnNode3() throws SQLException {
        execute(1, "CREATE DATABASE harness_it",
                "CREATE TABLE harness_it.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL)");
        insert(1, "written-on-1");
        assertEquals(List.of("written-on-1"), items(3));
    }

    @Test
    @Order(4)
    void killedNodeLeavesAndRejoinsWithMissedRows() throws SQLException {
        GaleraNode second = cluster.node(2);
        long oldPid = second.process().pid();
        second.kill();
        assertFalse(second.isRunning());
        assertFalse(ProcessHandle.of(oldPid).map(OsProcess::isRunning).orElse(false), "pid gone");
        Await.until(Duration.ofSeconds(60), () -> cluster.clusterSize(1) == 2 && cluster.clusterSize(3) == 2,
                () -> "nodes 1 and 3 to see 2 members, see " + cluster.clusterSize(1) + " and "
                        + cluster.clusterSize(3));

        insert(1, "written-while-2-down");
        insert(3, "written-on-3-while-2-down");

        cluster.restart(2);
        assertNotEquals(oldPid, second.process().pid());
        for (int i = 1; i <= 3; i++) {
            assertEquals(3, cluster.clusterSize(i), "wsrep_cluster_size via node " + i + " after rejoin");
        }
        assertEquals(List.of("written-on-1", "written-while-2-down", "written-on-3-while-2-down"), items(2));
        insert(2, "written-on-2-after-rejoin");
        assertEquals(4, items(1).size());
    }

    @Test
    @Order(5)
    void closeLeavesNoProcessAndNoDirectory() {
        List<ProcessHandle> processes = cluster.liveProcesses();
        assertTrue(processes.size() >= 3 + 1, "snapshot holds the cluster's processes: " + processes.size());
        ClusterLeftovers leftovers = ClusterLeftovers.snapshot(processes, cluster.workDir());
        assertTrue(Files.isDirectory(cluster.workDir()));
        cluster.close();
        assertEquals(List.of(), leftovers.survivors(), "processes left after close()");
        assertFalse(leftovers.dirExists(), "directory left after close(): " + cluster.workDir());
    }
}

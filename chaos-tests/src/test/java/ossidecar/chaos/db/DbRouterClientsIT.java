package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;

/** Real clients through the router to the real Galera cluster: Connector/J, the mariadb CLI, PyMySQL. */
class DbRouterClientsIT {
    private static GaleraCluster cluster;
    private static RouterUnderTest router;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedClusters.galera();
        for (int i = 1; i <= cluster.size(); i++) {
            try (Connection c = cluster.connect(i); Statement s = c.createStatement()) {
                // room for the 20 MiB BLOB; node-local, applies to connections opened after
                s.execute("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
                s.execute("CREATE DATABASE IF NOT EXISTS routertest");
            }
        }
        router = RouterUnderTest.start(cluster);
        assertNotNull(router.topology.writer(), "a writer was agreed");
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void connectorJRunsDdlInsertsSelectsAndTransactions() throws Exception {
        try (Connection c = router.connect("routertest", cluster.user(), cluster.password());
             Statement s = c.createStatement()) {
            assertTrue(c.getMetaData().getDatabaseProductVersion().contains("MariaDB"),
                    c.getMetaData().getDatabaseProductVersion());
            s.execute("DROP TABLE IF EXISTS jdbc_t");
            s.execute("CREATE TABLE jdbc_t (id INT PRIMARY KEY, name VARCHAR(40))");
            assertEquals(2, s.executeUpdate("INSERT INTO jdbc_t VALUES (1, 'one'), (2, 'two')"));

            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO jdbc_t VALUES (3, 'three')");
            c.rollback();
            s.executeUpdate("INSERT INTO jdbc_t VALUES (4, 'four')");
            c.commit();
            c.setAutoCommit(true);

            try (ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(name ORDER BY id) FROM jdbc_t")) {
                assertTrue(rs.next());
                assertEquals("one,two,four", rs.getString(1));
            }
            s.execute("DROP TABLE jdbc_t");
        }
    }

    @Test
    void clientsSeeTheBackendsOwnServerVersion() throws Exception {
        String direct;
        try (Connection c = cluster.connect(1)) {
            direct = c.getMetaData().getDatabaseProductVersion();
        }
        // the router learns the version from the first backend greeting it sees; a session
        // opened after that must be told exactly the backend's version, not the router's default
        router.connect("routertest", cluster.user(), cluster.password()).close();
        try (Connection c = router.connect("routertest", cluster.user(), cluster.password())) {
            assertEquals(direct, c.getMetaData().getDatabaseProductVersion());
        }
    }

    @Test
    void serverSidePreparedStatementsWork() throws Exception {
        String url = router.jdbcUrl("routertest") + "?useServerPrepStmts=true";
        try (Connection c = java.sql.DriverManager.getConnection(url, cluster.user(), cluster.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE ps_t (id INT PRIMARY KEY, v DOUBLE, note TEXT)");
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO ps_t VALUES (?, ?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    ins.setInt(1, i);
                    ins.setDouble(2, i * 1.5);
                    ins.setString(3, i % 2 == 0 ? null : "n" + i);
                    ins.executeUpdate();
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT v, note FROM ps_t WHERE id = ?")) {
                q.setInt(1, 7);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(10.5, rs.getDouble(1));
                    assertEquals("n7", rs.getString(2));
                    assertFalse(rs.next());
                }
            }
            s.execute("DROP TABLE ps_t");
        }
    }

    @Test
    void aTwentyMebibyteBlobRoundTrips() throws Exception {
        byte[] blob = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(blob);
        try (Connection c = router.connect("routertest", cluster.user(), cluster.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE blob_t (id INT PRIMARY KEY, b LONGBLOB)");
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO blob_t VALUES (1, ?)")) {
                ins.setBytes(1, blob);
                ins.executeUpdate();
            }
            try (ResultSet rs = s.executeQuery("SELECT b FROM blob_t WHERE id = 1")) {
                assertTrue(rs.next());
                assertArrayEquals(blob, rs.getBytes(1));
            }
            s.execute("DROP TABLE blob_t");
        }
    }

    @Test
    void backendConnectionsAreResetAndReusedAcrossSessions() throws Exception {
        try (Connection c = router.connect("routertest", cluster.user(), cluster.password());
             Statement s = c.createStatement()) {
            s.execute("SET @leak = 'from the first session'");
        }
        long loginsBefore = router.router.backendLogins();
        for (int i = 0; i < 12; i++) {
            // the previous session's connection is back in the pool once its reset was answered
            Await.until(Duration.ofSeconds(10), () -> router.router.idleBackendConnections() > 0, "a pooled connection");
            try (Connection c = router.connect("routertest", cluster.user(), cluster.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @leak")) {
                assertTrue(rs.next());
                assertEquals(null, rs.getString(1), "COM_RESET_CONNECTION cleared the previous session's variables");
            }
        }
        // a pooled connection serves sessions on its own event loop: at most one new login per loop
        long newLogins = router.router.backendLogins() - loginsBefore;
        assertTrue(newLogins <= router.router.eventLoops(),
                newLogins + " backend logins for 12 sequential sessions over " + router.router.eventLoops() + " event loops");
    }

    @Test
    void aWrongPasswordIsRejectedWith1045() {
        SQLException e = assertThrows(SQLException.class, () -> router.connect("routertest", cluster.user(), "wrong"));
        assertEquals(1045, e.getErrorCode(), e.getMessage());
        assertEquals("28000", e.getSQLState());
    }

    @Test
    void theMariadbCliWorksThroughTheRouter() throws Exception {
        Process p = new ProcessBuilder("mariadb", "--protocol=TCP", "-h127.0.0.1", "-P" + router.port(),
                "-u" + cluster.user(), "-p" + cluster.password(), "--skip-ssl", "-N", "-B", "routertest",
                "-e", "CREATE OR REPLACE TABLE cli_t (a INT); INSERT INTO cli_t VALUES (40),(2); "
                        + "SELECT SUM(a) FROM cli_t; DROP TABLE cli_t;")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("42", out);

        Process denied = new ProcessBuilder("mariadb", "--protocol=TCP", "-h127.0.0.1", "-P" + router.port(),
                "-u" + cluster.user(), "-pnope", "--skip-ssl", "-e", "SELECT 1").redirectErrorStream(true).start();
        assertTrue(denied.waitFor(60, TimeUnit.SECONDS));
        String err = new String(denied.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(err.contains("1045"), err);
    }

    @Test
    void pyMySqlAndSqlAlchemyWorkThroughTheRouter() throws Exception {
        Path script = dir.resolve("pymysql_roundtrip.py");
        try (InputStream in = getClass().getResourceAsStream("/python/pymysql_roundtrip.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "127.0.0.1", Integer.toString(router.port()),
                cluster.user(), cluster.password(), "routertest").redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.endsWith("OK"), out);
    }
}

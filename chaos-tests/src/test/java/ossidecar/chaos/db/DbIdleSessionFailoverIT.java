package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.db.WriterFaults.Fault;
import ossidecar.chaos.harness.GaleraCluster;

/**
 * Issue #11's first acceptance line: "Idle sessions of Connector/J, PyMySQL and SQLAlchemy
 * (oslo.db-style pool with pre-ping) opened before each fault run their next statement without
 * an error; prepared statements prepared before the fault execute after it."
 *
 * <p>Per fault of the router's current writer, four sessions are opened, given session state,
 * and left idle outside any transaction: (a) Connector/J that set its schema with {@code USE},
 * collation, time zone, sql_mode and isolation level by statements; (b) Connector/J with
 * {@code useServerPrepStmts=true} and a SELECT and an INSERT prepared on the server; (c) PyMySQL
 * with autocommit off, state set by statements; (d) an oslo.db-style SQLAlchemy engine
 * (pre-ping, state from a connect listener). After the fault, once the router has another
 * writer, each session runs its next statements, all four at once. Each must succeed, see the
 * state it had before (the router replayed it), read the row it wrote before, write again, and
 * run on the new writer ({@code @@wsrep_node_name}). The SQLAlchemy pool must not have opened a
 * second connection: with pre-ping it would otherwise hide a lost session, and its listener
 * would set the state again, so passing would prove nothing about the router.
 *
 * <p>No user variables and no temporary tables: per the issue those pin a session to its
 * backend connection, which is a separate case. Every client has a 30 s read timeout so that a
 * session stuck on a paused or blackholed node fails the check instead of hanging the build.
 */
class DbIdleSessionFailoverIT {
    private static final String SCHEMA = "failover_idle";
    private static final Duration WRITER_MOVES = Duration.ofSeconds(60);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);
    private static final String CLIENT_TIMEOUTS = "connectTimeout=10000&socketTimeout=30000";
    private static final String STATE_SQL = "SELECT @@SESSION.time_zone, @@SESSION.sql_mode, DATABASE(), "
            + "@@SESSION.tx_isolation, @@SESSION.collation_connection, @@SESSION.autocommit, @@wsrep_node_name";
    private static final List<String> STATE_KEYS =
            List.of("time_zone", "sql_mode", "schema", "isolation", "collation", "autocommit", "node");

    private static GaleraCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() {
        cluster = SharedClusters.galera();
    }

    // The clean stop was left out for a while: restarting the writer it stopped made the Galera
    // joiner abort ("State transfer ... failed: No message of desired type") in 3 of 5 full runs.
    // That is a donor whose gcache no longer holds the writesets a joiner needs (the harness's
    // gcache was 32M; a full run writes more); it is 256M now.
    @ParameterizedTest(name = "{0} of the writer")
    @EnumSource(Fault.class)
    void idleSessionsRunTheirNextStatementOnTheNewWriterWithTheirState(Fault fault) throws Exception {
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE OR REPLACE TABLE " + SCHEMA + ".failover_t (id INT PRIMARY KEY, v VARCHAR(20))");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (WriterFaults faults = WriterFaults.forFault(cluster, fault, "idle");
             RouterUnderTest router = RouterUnderTest.start(cluster, faults::port);
             Connection plain = DriverManager.getConnection(router.jdbcUrl("") + "?" + CLIENT_TIMEOUTS,
                     cluster.user(), cluster.password());
             Connection prepared = DriverManager.getConnection(router.jdbcUrl(SCHEMA) + "?useServerPrepStmts=true&"
                     + CLIENT_TIMEOUTS, cluster.user(), cluster.password());
             PythonSession pymysql = PythonSession.start(dir, "pymysql", router.port(), cluster.user(),
                     cluster.password(), SCHEMA, 21);
             PythonSession sqlalchemy = PythonSession.start(dir, "sqlalchemy", router.port(), cluster.user(),
                     cluster.password(), SCHEMA, 31)) {
            String old = WriterFaults.writer(router);
            assertNotNull(old, "the router has a writer: " + router.topology.status());
            int oldIndex = WriterFaults.index(old);
            String oldServer = WriterFaults.serverName(oldIndex);

            // (a) state set by statements, a row written
            Statement ps = plain.createStatement();
            ps.execute("USE " + SCHEMA);
            ps.execute("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
            ps.execute("SET SESSION time_zone = '+03:00'");
            ps.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
            ps.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
            ps.executeUpdate("INSERT INTO failover_t (id, v) VALUES (1, 'before')");
            Map<String, String> plainBefore = state(plain);
            assertEquals(Map.of("time_zone", "+03:00", "sql_mode", "ANSI_QUOTES", "schema", SCHEMA,
                    "isolation", "READ-COMMITTED", "collation", "utf8mb4_unicode_ci", "autocommit", "1",
                    "node", oldServer), plainBefore, "(a) the state set before the fault");

            // (b) statements prepared on the server before the fault
            PreparedStatement select = prepared.prepareStatement(
                    "SELECT v, @@wsrep_node_name FROM failover_t WHERE id = ?");
            PreparedStatement insert = prepared.prepareStatement("INSERT INTO failover_t (id, v) VALUES (?, ?)");
            insert.setInt(1, 11);
            insert.setString(2, "before");
            assertEquals(1, insert.executeUpdate());
            assertEquals(List.of("before", oldServer), row(select, 11), "(b) before the fault");
            Map<String, String> preparedBefore = state(prepared);

            // (c), (d) the Python sessions
            JsonNode pyBefore = pymysql.awaitReady(CHECK_TIMEOUT);
            JsonNode saBefore = sqlalchemy.awaitReady(CHECK_TIMEOUT);
            assertEquals(oldServer, pyBefore.path("node").asText(), "(c) on the writer: " + pyBefore);
            assertEquals("+03:00", pyBefore.path("time_zone").asText(), "(c) " + pyBefore);
            assertEquals("0", pyBefore.path("autocommit").asText(), "(c) autocommit off: " + pyBefore);
            assertEquals(oldServer, saBefore.path("node").asText(), "(d) on the writer: " + saBefore);

            long injected = faults.inject(fault, oldIndex);
            int next = WriterFaults.awaitNewWriter(router, old, WRITER_MOVES);
            long moved = System.nanoTime();
            String nextServer = WriterFaults.serverName(next);
            System.out.printf("idle sessions, %s of writer %s: the router's writer is galera-%d after %d ms%n", fault,
                    old, next, (moved - injected) / 1_000_000);

            // Every session's next statements, at once, each outcome kept for the report.
            Map<String, Future<?>> checks = new LinkedHashMap<>();
            checks.put("(a) Connector/J, state set by statements", pool.submit(call(() -> {
                Map<String, String> after = state(plain); // its next statement
                assertEquals(withNode(plainBefore, nextServer), after, "(a) state replayed, on the new writer");
                try (Statement s = plain.createStatement()) {
                    assertEquals("before", scalar(s, "SELECT v FROM failover_t WHERE id = 1"), "(a) row before");
                    assertEquals("before", scalar(s, "SELECT \"v\" FROM failover_t WHERE id = 1"),
                            "(a) ANSI_QUOTES in effect");
                    assertEquals(1, s.executeUpdate("INSERT INTO failover_t (id, v) VALUES (2, 'after')"));
                    assertEquals("2", scalar(s, "SELECT COUNT(*) FROM failover_t WHERE id IN (1, 2)"));
                }
            })));
            checks.put("(b) Connector/J, server-side prepared statements", pool.submit(call(() -> {
                assertEquals(List.of("before", nextServer), row(select, 11), // its next statement
                        "(b) the statement prepared before the fault, on the new writer");
                insert.setInt(1, 12);
                insert.setString(2, "after");
                assertEquals(1, insert.executeUpdate(), "(b) prepared INSERT after the fault");
                assertEquals(List.of("after", nextServer), row(select, 12));
                assertEquals(withNode(preparedBefore, nextServer), state(prepared), "(b) state replayed");
            })));
            checks.put("(c) PyMySQL, autocommit off", pool.submit(call(() ->
                    assertPythonResult("(c)", pymysql, pyBefore, nextServer, "before"))));
            checks.put("(d) SQLAlchemy, pool_pre_ping", pool.submit(call(() ->
                    assertPythonResult("(d)", sqlalchemy, saBefore, nextServer, "before"))));

            List<Executable> outcomes = new ArrayList<>();
            for (Map.Entry<String, Future<?>> check : checks.entrySet()) {
                outcomes.add(() -> outcome(check.getKey(), check.getValue()));
            }
            try {
                assertAll(fault + " of writer " + old + " (new writer galera-" + next + ")", outcomes);
            } finally {
                faults.release(); // resume the paused node, lift the blackhole; heal() restarts the rest
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertPythonResult(String label, PythonSession session, JsonNode before, String nextServer,
            String expectedRead) throws Exception {
        session.go();
        JsonNode r = session.awaitResult(CHECK_TIMEOUT);
        JsonNode after = r.path("state");
        for (String key : STATE_KEYS) {
            String expected = key.equals("node") ? nextServer : before.path(key).asText();
            assertEquals(expected, after.path(key).asText(), label + " " + key + " after the fault: " + r);
        }
        assertEquals(expectedRead, r.path("read").asText(), label + " the row written before: " + r);
        assertEquals(expectedRead, r.path("quoted").asText(), label + " sql_mode in effect: " + r);
        assertEquals(2, r.path("count").asInt(), label + " the row written after: " + r);
        assertEquals(1, r.path("connects").asInt(), label + " the client kept its one connection: " + r);
    }

    /** Waits for a check and turns its failure (with the client's own exception) into this test's. */
    private static void outcome(String name, Future<?> f) throws Exception {
        try {
            f.get(CHECK_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            System.out.println("  " + name + ": ok");
        } catch (ExecutionException e) {
            System.out.println("  " + name + ": FAILED " + e.getCause());
            throw new AssertionError(name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            System.out.println("  " + name + ": FAILED, no answer");
            throw new AssertionError(name + ": no answer within " + CHECK_TIMEOUT.plusSeconds(30));
        }
    }

    private static Callable<Void> call(Executable e) {
        return () -> {
            try {
                e.execute();
            } catch (Exception | Error x) {
                throw x;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            return null;
        };
    }

    private static Map<String, String> state(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(STATE_SQL)) {
            if (!rs.next()) {
                throw new AssertionError("no row for the state query");
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < STATE_KEYS.size(); i++) {
                m.put(STATE_KEYS.get(i), rs.getString(i + 1));
            }
            return m;
        }
    }

    private static Map<String, String> withNode(Map<String, String> state, String node) {
        Map<String, String> m = new LinkedHashMap<>(state);
        m.put("node", node);
        return m;
    }

    private static List<String> row(PreparedStatement select, int id) throws SQLException {
        select.setInt(1, id);
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return List.of();
            }
            return List.of(rs.getString(1), rs.getString(2));
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}

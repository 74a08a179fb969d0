package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.DbSplitConfig;
import ossidecar.core.config.ReadYourWrites;

/**
 * Issue #12's acceptance for read/write splitting, on the harness's 3-node Galera cluster:
 * where statements land is read from the nodes' own {@code Com_*} counters; a read-then-write
 * race is answered 1213 and its retry succeeds; read-your-writes holds over 10,000 insert-then-
 * select rounds under write load (per session and across sessions), where the same probe with
 * read-your-writes off is shown to read stale rows; readers that are desynced or paused leave
 * the reader set without a client error.
 */
class DbSplitIT {
    private static final String SCHEMA = "split_it";
    /**
     * Statements a node's clients ran, and transactions that committed from there. Not
     * {@code Com_update}: Galera's appliers count the write-sets they apply from other nodes
     * in {@code Com_insert}/{@code Com_update} too (seen: 200 on each reader for the writer's
     * 200 UPDATEs); {@code wsrep_local_commits} counts only the node's own.
     */
    private static final String COUNTERS = "Com_select, wsrep_local_commits";

    private static GaleraCluster cluster;

    @BeforeAll
    static void cluster() throws SQLException {
        cluster = SharedClusters.galera();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
        }
    }

    private static Connection split(RouterUnderTest router) throws SQLException {
        return DriverManager.getConnection(router.jdbcUrl(DbRole.SPLIT, SCHEMA) + "?socketTimeout=30000",
                cluster.user(), cluster.password());
    }

    private static int writerIndex(RouterUnderTest router) {
        return WriterFaults.index(WriterFaults.writer(router));
    }

    /** {@code Com_select}, {@code Com_insert}, {@code Com_update} of every node, by index. */
    private static Map<Integer, long[]> counters() throws SQLException {
        Map<Integer, long[]> out = new LinkedHashMap<>();
        for (int i = 1; i <= cluster.size(); i++) {
            Map<String, String> s = cluster.node(i).globalStatus("Com_select", "wsrep_local_commits");
            out.put(i, new long[] {Long.parseLong(s.get("com_select")), Long.parseLong(s.get("wsrep_local_commits"))});
        }
        return out;
    }

    private static Map<Integer, long[]> delta(Map<Integer, long[]> before, Map<Integer, long[]> after) {
        Map<Integer, long[]> d = new LinkedHashMap<>();
        before.forEach((i, b) -> {
            long[] a = after.get(i);
            d.put(i, new long[] {a[0] - b[0], a[1] - b[1]});
        });
        return d;
    }

    private static String show(Map<Integer, long[]> d) {
        StringBuilder sb = new StringBuilder();
        d.forEach((i, v) -> sb.append(String.format("galera-%d %s=%d/%d; ", i, COUNTERS, v[0], v[1])));
        return sb.toString();
    }

    private static void table(String name, int rows) throws SQLException {
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE " + SCHEMA + "." + name + " (id INT PRIMARY KEY, v INT NOT NULL)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                values.append(i == 0 ? "" : ",").append('(').append(i).append(",0)");
            }
            if (rows > 0) {
                s.execute("INSERT INTO " + SCHEMA + "." + name + " VALUES " + values);
            }
            s.execute("SET SESSION wsrep_sync_wait = 0");
        }
        // every node has the table before the router reads it there
        for (int i = 1; i <= cluster.size(); i++) {
            try (Connection c = cluster.connect(i); Statement s = c.createStatement()) {
                s.execute("SET SESSION wsrep_sync_wait = 1");
                s.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + "." + name).close();
            }
        }
    }

    @Test
    void readsLandOnReadersAndWritesOnTheWriterByTheNodesOwnCounters() throws Exception {
        table("split_counts", 100);
        try (RouterUnderTest router = RouterUnderTest.start(cluster); Connection c = split(router);
             PreparedStatement read = c.prepareStatement("SELECT v FROM split_counts WHERE id = ?");
             Statement s = c.createStatement()) {
            int writer = writerIndex(router);
            Map<Integer, long[]> before = counters();
            int reads = 2000;
            int writes = 200;
            for (int i = 0; i < reads; i++) {
                read.setInt(1, i % 100);
                try (ResultSet rs = read.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1));
                }
            }
            for (int i = 0; i < writes; i++) {
                assertEquals(1, s.executeUpdate("UPDATE split_counts SET v = v + 1 WHERE id = " + (i % 100)));
            }
            Map<Integer, long[]> d = delta(before, counters());
            System.out.printf("split: %d reads and %d writes through the split listener, writer galera-%d: %s%n",
                    reads, writes, writer, show(d));
            long readerSelects = 0;
            for (int i = 1; i <= cluster.size(); i++) {
                if (i == writer) {
                    // the monitor and the writer election read there too, a few per second
                    assertTrue(d.get(i)[0] < reads / 10, "the writer ran the reads: " + show(d));
                    assertTrue(d.get(i)[1] >= writes, "the writer committed every UPDATE: " + show(d));
                } else {
                    readerSelects += d.get(i)[0];
                    assertTrue(d.get(i)[0] >= reads * 4 / 10, "both readers share the reads: " + show(d));
                    assertEquals(0, d.get(i)[1], "a reader committed a write of its own: " + show(d));
                }
            }
            assertTrue(readerSelects >= reads, "the readers ran every read: " + show(d));
        }
    }

    /**
     * Connector/J with server-side prepared statements through split: a prepared SELECT runs on
     * readers and a prepared UPDATE on the writer, by the nodes' {@code Com_stmt_execute}; a
     * transaction executing a prepared SELECT and then a prepared UPDATE moves to the writer
     * clean; statements are prepared once per connection, not again at each switch (the nodes'
     * {@code Com_stmt_prepare}), and the client's statement ids keep working throughout.
     */
    @Test
    void serverPreparedStatementsRunWhereTheirTextWouldAndMoveWithTheirTransaction() throws Exception {
        table("split_ps", 10);
        try (RouterUnderTest router = RouterUnderTest.start(cluster);
             Connection c = DriverManager.getConnection(router.jdbcUrl(DbRole.SPLIT, SCHEMA)
                     + "?useServerPrepStmts=true&socketTimeout=30000", cluster.user(), cluster.password());
             PreparedStatement select = c.prepareStatement("SELECT v FROM split_ps WHERE id = ?");
             PreparedStatement update = c.prepareStatement("UPDATE split_ps SET v = v + 1 WHERE id = ?")) {
            int writer = writerIndex(router);
            Map<Integer, Map<String, String>> before = statementCounters();
            int reads = 500;
            int writes = 100;
            int transactions = 100;
            for (int i = 0; i < reads; i++) {
                select.setInt(1, i % 10);
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1));
                }
            }
            for (int i = 0; i < writes; i++) {
                update.setInt(1, i % 10);
                assertEquals(1, update.executeUpdate());
            }
            c.setAutoCommit(false);
            for (int i = 0; i < transactions; i++) {
                int id = i % 10;
                select.setInt(1, id);
                int v;
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                    v = rs.getInt(1);
                }
                update.setInt(1, id);
                assertEquals(1, update.executeUpdate());
                try (ResultSet rs = select.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(v + 1, rs.getInt(1), "the transaction reads its own update");
                }
                c.commit();
            }
            Map<Integer, Map<String, String>> after = statementCounters();
            StringBuilder shown = new StringBuilder();
            long readerExecutes = 0;
            for (int i = 1; i <= cluster.size(); i++) {
                long executes = diff(before, after, i, "com_stmt_execute");
                long prepares = diff(before, after, i, "com_stmt_prepare");
                long commits = diff(before, after, i, "wsrep_local_commits");
                shown.append(String.format("galera-%d%s executes %d, prepares %d, local commits %d; ", i,
                        i == writer ? " (writer)" : "", executes, prepares, commits));
                if (i != writer) {
                    readerExecutes += executes;
                    assertEquals(0, commits, "a reader committed a write: " + shown);
                    assertTrue(prepares <= 4, "statements prepared again and again on a reader: " + shown);
                }
            }
            double moved = counter(router, "sidecar.db.split.transactions", "moved_clean");
            var starts = router.meters.find("sidecar.db.split.writer.starts").counter();
            double learned = starts == null ? 0 : starts.count();
            System.out.printf("split: Connector/J server-prepared, %d reads, %d writes, %d read-write transactions: %s"
                    + "%s moved clean, %s begun on the writer (the session's transactions kept moving)%n", reads,
                    writes, transactions, shown, moved, learned);
            // after two moves in a row the session begins its transactions on the writer, trying a
            // reader again every 16th
            assertTrue(moved >= RoutingPolicyLearning.AFTER_MOVES, "transactions moved clean: " + moved);
            assertEquals(transactions, moved + learned, "every transaction moved clean or began on the writer");
            assertTrue(learned >= transactions / 2, "the session learned its transactions write: " + learned);
            long writerExecutes = diff(before, after, writer, "com_stmt_execute");
            assertTrue(readerExecutes >= reads + (long) moved, "the prepared reads ran on readers: " + shown);
            // the writer: the updates, and each transaction's replayed and final SELECT
            assertTrue(writerExecutes >= writes + 3L * transactions && writerExecutes < writes + 3L * transactions + 50,
                    "the prepared writes and the moved transactions ran on the writer: " + shown);
            assertTrue(diff(before, after, writer, "com_stmt_prepare") <= 4,
                    "statements prepared again and again on the writer: " + shown);
        }
    }

    /** What {@code ClientSession} learns from a session's moves (its constants are package-private there). */
    private static final class RoutingPolicyLearning {
        static final int AFTER_MOVES = 2;
    }

    private static Map<Integer, Map<String, String>> statementCounters() throws SQLException {
        Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 1; i <= cluster.size(); i++) {
            out.put(i, cluster.node(i).globalStatus("Com_stmt_execute", "Com_stmt_prepare", "wsrep_local_commits"));
        }
        return out;
    }

    private static long diff(Map<Integer, Map<String, String>> before, Map<Integer, Map<String, String>> after, int i,
                             String key) {
        return Long.parseLong(after.get(i).get(key)) - Long.parseLong(before.get(i).get(key));
    }

    /**
     * Two sessions read the same row in a transaction (autocommit off, as SQLAlchemy does), on a
     * reader; one writes it and commits; the other's write then moves its transaction to the
     * writer, where its read gives another answer: 1213, and its retry succeeds. Had the second
     * transaction gone on with what it read, one increment would be lost.
     */
    @Test
    void aReadThenWriteRaceIsAnswered1213AndTheRetrySucceeds() throws Exception {
        table("split_race", 1);
        try (RouterUnderTest router = RouterUnderTest.start(cluster); Connection a = split(router);
             Connection b = split(router)) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            int va = value(a, "SELECT v FROM split_race WHERE id = 0");
            int vb = value(b, "SELECT v FROM split_race WHERE id = 0");
            assertEquals(0, va);
            assertEquals(0, vb);
            try (Statement s = a.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE split_race SET v = " + (va + 1) + " WHERE id = 0"));
            }
            a.commit();
            int refused = 0;
            int attempts = 0;
            while (true) {
                attempts++;
                try (Statement s = b.createStatement()) {
                    int read = value(b, "SELECT v FROM split_race WHERE id = 0");
                    s.executeUpdate("UPDATE split_race SET v = " + (read + 1) + " WHERE id = 0");
                    b.commit();
                    break;
                } catch (SQLException e) {
                    assertEquals(1213, e.getErrorCode(), "only 1213: " + e);
                    assertTrue(e.getMessage().contains("read/write split"), e.getMessage());
                    refused++;
                    b.rollback();
                    assertTrue(attempts < 10, "the retry never succeeded");
                }
            }
            System.out.printf("split: read-then-write race: %d refused with 1213, succeeded at attempt %d%n", refused,
                    attempts);
            // more than once when the reader had not applied the first commit yet at the retry's read
            assertTrue(refused >= 1, "the stale transaction was refused");
            try (Connection w = cluster.connect(writerIndex(router))) {
                assertEquals(2, value(w, "SELECT v FROM " + SCHEMA + ".split_race WHERE id = 0"),
                        "both increments count: no lost update");
            }
            assertEquals(refused, counter(router, "sidecar.db.split.transactions", "moved_conflict"));
            assertTrue(counter(router, "sidecar.db.split.transactions", "moved_clean") >= 2,
                    "the first writer's and the retry's moves were clean");
        }
    }

    private static double counter(RouterUnderTest router, String name, String outcome) {
        var c = router.meters.find(name).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private static int value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getInt(1);
        }
    }

    /**
     * SQLAlchemy over PyMySQL (autocommit off, no BEGIN) through the split listener: transactions
     * that read, write, read back and commit give exactly the values they give on the writer
     * directly; they start on a reader and move clean; read-only transactions stay on readers.
     */
    @Test
    void sqlalchemyTransactionsGiveTheSameResultsThroughSplitAsDirectly(@TempDir Path dir) throws Exception {
        int rounds = 40;
        try (RouterUnderTest router = RouterUnderTest.start(cluster)) {
            int writer = writerIndex(router);
            table("split_py", 10);
            JsonNode split = python(dir, "sqlalchemy", "127.0.0.1", router.port(DbRole.SPLIT), cluster.user(),
                    cluster.password(), SCHEMA, rounds);
            table("split_py", 10);
            JsonNode direct = python(dir, "sqlalchemy", "127.0.0.1", cluster.port(writer), cluster.user(),
                    cluster.password(), SCHEMA, rounds);
            assertEquals(direct.get("values"), split.get("values"), "the same values read, in the same order");
            String writerName = WriterFaults.serverName(writer);
            for (JsonNode n : split.get("read_only_nodes")) {
                assertTrue(!writerName.equals(n.asText()), "a read-only transaction ran on the writer: " + split);
            }
            double clean = counter(router, "sidecar.db.split.transactions", "moved_clean");
            double stayed = counter(router, "sidecar.db.split.transactions", "stayed_on_reader");
            System.out.printf("split: SQLAlchemy, %d rounds: same values as direct; %s moved clean, %s stayed on "
                    + "readers, %s moved with a conflict%n", rounds, clean, stayed,
                    counter(router, "sidecar.db.split.transactions", "moved_conflict"));
            assertEquals(rounds, clean, "every read-then-write transaction moved to the writer clean");
            assertTrue(stayed >= rounds, "every read-only transaction stayed on a reader");
        }
    }

    /**
     * oslo.db's enginefacade with {@code connection} on the split listener and
     * {@code slave_connection} on the reader listener, as nova configures it: its async reader
     * transactions run on readers, its writer transactions on the writer.
     */
    @Test
    void osloDbReaderTransactionsOnTheSlaveConnectionLandOnReaders(@TempDir Path dir) throws Exception {
        int rounds = 30;
        table("split_py", 10);
        try (RouterUnderTest router = RouterUnderTest.start(cluster)) {
            String writerName = WriterFaults.serverName(writerIndex(router));
            JsonNode r = python(dir, "oslo", "127.0.0.1", router.port(DbRole.SPLIT), router.port(DbRole.READER),
                    cluster.user(), cluster.password(), SCHEMA, rounds);
            System.out.printf("split: oslo.db, writer %s: %s%n", writerName, r);
            assertEquals(rounds, r.get("writer_nodes").size());
            for (JsonNode n : r.get("writer_nodes")) {
                assertEquals(writerName, n.asText(), "a writer transaction ran elsewhere: " + r);
            }
            for (JsonNode n : r.get("reader_nodes")) {
                assertTrue(!writerName.equals(n.asText()), "a reader transaction ran on the writer: " + r);
            }
        }
    }

    /** Runs {@code python/db_split_clients.py} with {@code args}; returns the JSON line it printed. */
    private static JsonNode python(Path dir, Object... args) throws Exception {
        Path script = dir.resolve("db_split_clients.py");
        if (!Files.exists(script)) {
            try (InputStream in = DbSplitIT.class.getResourceAsStream("/python/db_split_clients.py")) {
                Files.copy(in, script);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(PythonSession.PYTHON, script.toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script ended");
            assertEquals(0, p.exitValue(), "the script failed: " + out);
            String last = out.strip().substring(out.strip().lastIndexOf('\n') + 1);
            return new ObjectMapper().readTree(last);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * A session inserts a row and selects it at once, through the split listener, 10,000 times,
     * while two other clients update another table on the writer as fast as they can (the
     * readers apply their write-sets meanwhile). Read-your-writes on: never a missing row.
     * Read-your-writes off, the same probe first, as the control: it does read stale rows.
     * The global mode: one session inserts, another selects.
     */
    @Test
    void readYourWritesHoldsUnderWriteLoadPerSessionAndGlobally() throws Exception {
        table("split_ryw", 0);
        table("split_load", 50);
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(2);
        AtomicLong loadWrites = new AtomicLong();
        try {
            int writer;
            try (RouterUnderTest probe = RouterUnderTest.start(cluster)) {
                writer = writerIndex(probe);
            }
            List<Future<?>> loaders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int offset = t * 25;
                loaders.add(load.submit(() -> {
                    try (Connection c = cluster.connect(writer); Statement s = c.createStatement()) {
                        for (long n = 0; loading.get(); n++) {
                            s.executeUpdate("UPDATE " + SCHEMA + ".split_load SET v = v + 1 WHERE id = "
                                    + (offset + n % 25));
                            loadWrites.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            int control = probe(ReadYourWrites.OFF, false, 2000, 1);
            int session = probe(ReadYourWrites.SYNC_WAIT, false, 10_000, 2_000_001);
            int global = probe(ReadYourWrites.SYNC_WAIT, true, 10_000, 4_000_001);
            loading.set(false);
            for (Future<?> f : loaders) {
                f.get(30, TimeUnit.SECONDS);
            }
            System.out.printf("split: read-your-writes under %d load writes: off (control) %d stale of 2000, "
                    + "per session %d stale of 10000, global (two sessions) %d stale of 10000%n", loadWrites.get(),
                    control, session, global);
            assertTrue(control > 0, "the control read no stale row: this probe could not tell a stale read");
            assertEquals(0, session, "stale reads with read-your-writes per session");
            assertEquals(0, global, "stale reads with read-your-writes global, across two sessions");
        } finally {
            loading.set(false);
            load.shutdownNow();
            load.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Inserts ids {@code first..first+rounds-1}, each read back at once; returns the reads that missed their row. */
    private static int probe(ReadYourWrites mode, boolean global, int rounds, int first) throws Exception {
        DbSplitConfig d = DbSplitConfig.DEFAULTS;
        try (RouterUnderTest router = RouterUnderTest.startWith(cluster, c -> c.withSplit(new DbSplitConfig(
                d.writerServesReads(), d.maxReplayStatements(), d.maxReplayBytes(), mode, d.writerWindow(), global)));
             Connection writer = split(router); Connection reader = global ? split(router) : writer;
             PreparedStatement insert = writer.prepareStatement("INSERT INTO split_ryw (id, v) VALUES (?, 1)");
             PreparedStatement select = reader.prepareStatement("SELECT v FROM split_ryw WHERE id = ?")) {
            int stale = 0;
            for (int i = first; i < first + rounds; i++) {
                insert.setInt(1, i);
                assertEquals(1, insert.executeUpdate());
                select.setInt(1, i);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        stale++;
                    }
                }
            }
            return stale;
        }
    }

    /**
     * Reads run through the split listener without pause while one reader is desynced
     * ({@code wsrep_desync=ON}) and then the other is paused (SIGSTOP): each leaves the reader
     * set within the monitor's timeouts, gets no reads while out, comes back once it has settled,
     * and no read fails.
     */
    @Test
    void aDesyncedOrPausedReaderLeavesTheSetWithoutAClientError() throws Exception {
        table("split_readers", 10);
        try (RouterUnderTest router = RouterUnderTest.start(cluster)) {
            int writer = writerIndex(router);
            List<Integer> readers = new ArrayList<>();
            for (int i = 1; i <= cluster.size(); i++) {
                if (i != writer) {
                    readers.add(i);
                }
            }
            AtomicBoolean reading = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> readersRunning = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readersRunning.add(pool.submit(() -> {
                    try (Connection c = split(router);
                         PreparedStatement p = c.prepareStatement("SELECT v FROM split_readers WHERE id = ?")) {
                        for (int n = 0; reading.get(); n++) {
                            p.setInt(1, n % 10);
                            try (ResultSet rs = p.executeQuery()) {
                                rs.next();
                                reads.incrementAndGet();
                            } catch (SQLException e) {
                                errors.add(e.getErrorCode() + " " + e.getMessage());
                            }
                        }
                    }
                    return null;
                }));
            }
            try {
                int desynced = readers.get(0);
                try (Connection c = cluster.connect(desynced); Statement s = c.createStatement()) {
                    s.execute("SET GLOBAL wsrep_desync = ON");
                    try {
                        leavesAndGetsNoReads(router, desynced, "desynced");
                    } finally {
                        s.execute("SET GLOBAL wsrep_desync = OFF");
                    }
                }
                returns(router, desynced);
                int paused = readers.get(1);
                cluster.node(paused).pause();
                try {
                    Await.until(Duration.ofSeconds(10), () -> !names(router).contains("galera-" + paused),
                            () -> "paused galera-" + paused + " to leave the readers: " + names(router));
                    long at = reads.get();
                    Await.until(Duration.ofSeconds(10), () -> reads.get() > at + 100,
                            () -> "reads to go on while galera-" + paused + " is paused");
                } finally {
                    cluster.node(paused).resume();
                }
                returns(router, paused);
            } finally {
                reading.set(false);
                for (Future<?> f : readersRunning) {
                    f.get(60, TimeUnit.SECONDS);
                }
                pool.shutdownNow();
                WriterFaults.healCluster(cluster);
            }
            System.out.printf("split: %d reads while a reader was desynced, then another paused; errors: %s%n",
                    reads.get(), errors);
            assertEquals(List.of(), errors, "no read failed");
        }
    }

    private static List<String> names(RouterUnderTest router) {
        return router.topology.readers().stream().map(n -> n.name()).toList();
    }

    private static void leavesAndGetsNoReads(RouterUnderTest router, int node, String why) throws Exception {
        long start = System.nanoTime();
        Await.until(Duration.ofSeconds(10), () -> !names(router).contains("galera-" + node),
                () -> why + " galera-" + node + " to leave the readers: " + names(router));
        System.out.printf("split: %s galera-%d left the readers after %d ms%n", why, node,
                (System.nanoTime() - start) / 1_000_000);
        long before = Long.parseLong(cluster.node(node).globalStatus("Com_select").get("com_select"));
        Thread.sleep(2000);
        long during = Long.parseLong(cluster.node(node).globalStatus("Com_select").get("com_select")) - before;
        assertTrue(during < 50, why + " galera-" + node + " still got " + during + " reads in 2 s");
    }

    private static void returns(RouterUnderTest router, int node) {
        long start = System.nanoTime();
        Await.until(Duration.ofSeconds(60), () -> names(router).contains("galera-" + node),
                () -> "galera-" + node + " to return to the readers: " + router.topology.status());
        System.out.printf("split: galera-%d back among the readers after %d ms (settle 5 s)%n", node,
                (System.nanoTime() - start) / 1_000_000);
    }
}

package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.db.WriterFaults.Fault;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;

/**
 * Issue #11 item 3 for autocommit writes: an INSERT outside a transaction that is in flight
 * when the writer is SIGKILLed has no answer a client could trust, unless the router resolves
 * it. 8 Connector/J threads (autocommit on, half of them with server-side prepared statements)
 * insert rows with ids of their own through the router; the writer is killed under them. The
 * client retries a 1213 with the same id, as oslo.db retries a deadlock: if the router had said
 * 1213 for an insert that did commit, the retry would meet 1062 (duplicate key). Afterwards:
 * no error but 1213, no 1062, no lost connection, every id the client saw inserted is stored.
 */
class DbAutocommitWriteFailoverIT {
    private static final String SCHEMA = "ac_failover";
    private static final int THREADS = 8;
    private static final Duration RUN = Duration.ofSeconds(16);
    private static final Duration FAULT_AT = Duration.ofSeconds(5);
    private static final int RETRIES = 10;
    private static final String CLIENT_TIMEOUTS = "connectTimeout=10000&socketTimeout=30000";

    @Test
    void autocommitInsertsCutByAKilledWriterAreResolvedNotLost() throws Exception {
        GaleraCluster cluster = SharedClusters.galera();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE OR REPLACE TABLE " + SCHEMA + ".items (id BIGINT PRIMARY KEY, thread INT NOT NULL)");
        }
        Set<Long> inserted = ConcurrentHashMap.newKeySet();
        Set<Long> gaveUp = ConcurrentHashMap.newKeySet();
        AtomicLong deadlocks = new AtomicLong();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        double resolved;
        try (WriterFaults faults = WriterFaults.forFault(cluster, Fault.KILL, "ac");
             RouterUnderTest router = RouterUnderTest.start(cluster, faults::port)) {
            int old = WriterFaults.index(WriterFaults.writer(router));
            long started = System.nanoTime();
            long deadline = started + RUN.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    workers.add(pool.submit(() -> insert(router, cluster, thread, deadline, inserted, gaveUp, deadlocks, errors)));
                }
                Await.until(RUN, () -> System.nanoTime() - started >= FAULT_AT.toNanos(), "the fault time");
                faults.inject(Fault.KILL, old);
                for (Future<?> w : workers) {
                    w.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            resolved = router.meters.find("sidecar.db.commits.resolved").counters().stream()
                    .mapToDouble(c -> c.count()).sum();
        }
        Set<Long> stored = new HashSet<>();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery("SELECT id FROM " + SCHEMA + ".items")) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
        }
        Set<Long> missing = new HashSet<>(inserted);
        missing.removeAll(stored);
        Set<Long> storedThoughGivenUp = new HashSet<>(gaveUp);
        storedThoughGivenUp.retainAll(stored);
        System.out.printf("autocommit inserts through a killed writer: %d inserted, %d answered 1213 (retried), %d given "
                        + "up, %d COMMITs resolved by marker; stored %d; missing %s; stored though given up %s; "
                        + "other errors %s%n", inserted.size(), deadlocks.get(), gaveUp.size(), (long) resolved,
                stored.size(), missing, storedThoughGivenUp, errors);
        assertAll(
                () -> assertEquals(Map.of(), Map.copyOf(errors), "no error but 1213 (no 1062, no lost connection)"),
                () -> assertEquals(Set.of(), missing, "every insert the client saw succeed is stored"),
                () -> assertEquals(Set.of(), storedThoughGivenUp, "no insert the client saw fail is stored"),
                () -> assertTrue(inserted.size() > 100, "the workload ran: " + inserted.size()));
    }

    private static Void insert(RouterUnderTest router, GaleraCluster cluster, int thread, long deadline, Set<Long> inserted, Set<Long> gaveUp,
                               AtomicLong deadlocks, Map<String, AtomicLong> errors) throws Exception {
        String url = router.jdbcUrl(SCHEMA) + "?" + CLIENT_TIMEOUTS + (thread % 2 == 1 ? "&useServerPrepStmts=true" : "");
        Connection c = null;
        try {
            long n = 0;
            while (System.nanoTime() < deadline) {
                long id = (long) thread * 1_000_000_000L + n++;
                boolean done = false;
                for (int attempt = 0; attempt <= RETRIES && !done; attempt++) {
                    try {
                        if (c == null) {
                            c = DriverManager.getConnection(url, cluster.user(), cluster.password());
                        }
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, thread) VALUES (?, ?)")) {
                            ps.setLong(1, id);
                            ps.setInt(2, thread);
                            assertEquals(1, ps.executeUpdate());
                        }
                        inserted.add(id);
                        done = true;
                    } catch (SQLException e) {
                        if (e.getErrorCode() == 1213) {
                            deadlocks.incrementAndGet(); // not inserted: the same id again, as oslo.db would
                            continue;
                        }
                        String key = (attempt > 0 ? "retry " : "") + e.getErrorCode() + "/" + e.getSQLState() + " "
                                + String.valueOf(e.getMessage()).replaceAll("\\(conn[:=]\\d+\\)", "(conn=N)");
                        errors.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                        if (c != null) {
                            c.close();
                            c = null;
                        }
                        done = true; // unknown or refused: leave this id, never count it either way
                    }
                }
                if (!done) {
                    gaveUp.add(id);
                }
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
        return null;
    }
}

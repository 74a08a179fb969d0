package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.GaleraNode;
import ossidecar.core.config.DbPoolConfig;

/**
 * Issue #11 item 6: "1,000 concurrent sessions never hold more than the cap of backend
 * connections per node (checked with the nodes' {@code Threads_connected})". A thousand
 * Connector/J sessions stay open through the router, half of them with autocommit off as
 * PyMySQL under SQLAlchemy runs, half with a session setting of their own; in rounds, 32
 * threads run a small transaction on every one of them. The writer's own
 * {@code Threads_connected}, sampled throughout, never grows by more than the cap over what
 * it was before the sessions opened, and every transaction commits once.
 */
class DbMultiplexIT {
    private static final String SCHEMA = "mux";
    private static final int SESSIONS = 1_000;
    private static final int ROUNDS = 3;
    private static final int WORKERS = 32;
    private static final int CAP = DbPoolConfig.DEFAULT_MAX_BACKEND_CONNECTIONS;

    @Test
    void aThousandSessionsShareTheCapOfBackendConnections() throws Exception {
        GaleraCluster cluster = SharedClusters.galera();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE OR REPLACE TABLE " + SCHEMA + ".counters (id INT PRIMARY KEY, n INT NOT NULL)");
            s.execute("USE " + SCHEMA);
            s.execute("INSERT INTO counters SELECT seq, 0 FROM seq_0_to_" + (SESSIONS - 1));
        }
        List<Connection> sessions = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        AtomicBoolean sampling = new AtomicBoolean(true);
        try (RouterUnderTest router = RouterUnderTest.start(cluster)) {
            String writerName = WriterFaults.writer(router);
            assertNotNull(writerName, "the router has a writer: " + router.topology.status());
            GaleraNode writer = cluster.node(WriterFaults.index(writerName));
            try (Connection probe = writer.connect()) {
                int baseline = threadsConnected(probe);
                AtomicInteger maxThreads = new AtomicInteger(baseline);
                AtomicInteger maxRouter = new AtomicInteger();
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        try {
                            maxThreads.accumulateAndGet(threadsConnected(probe), Math::max);
                            maxRouter.accumulateAndGet(router.router.backendConnections(writerName), Math::max);
                            Thread.sleep(20);
                        } catch (SQLException | InterruptedException e) {
                            return;
                        }
                    }
                }, "threads-connected-sampler");
                sampler.start();

                Runtime rt = Runtime.getRuntime();
                long heapBefore = usedHeapAfterGc(rt);
                long openStart = System.nanoTime();
                List<Future<?>> opening = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int first = w;
                    opening.add(pool.submit(() -> {
                        for (int i = first; i < SESSIONS; i += WORKERS) {
                            Connection s = DriverManager.getConnection(router.jdbcUrl(SCHEMA) + "?socketTimeout=60000",
                                    cluster.user(), cluster.password());
                            if (i % 2 == 1) {
                                s.setAutoCommit(false);
                            } else {
                                try (Statement st = s.createStatement()) {
                                    st.execute("SET SESSION sql_mode = 'TRADITIONAL'");
                                }
                            }
                            sessions.add(s);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : opening) {
                    f.get(300, TimeUnit.SECONDS);
                }
                long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStart);
                long heapOpen = usedHeapAfterGc(rt);
                List<String> errors = Collections.synchronizedList(new ArrayList<>());
                long runStart = System.nanoTime();
                for (int round = 0; round < ROUNDS; round++) {
                    List<Future<?>> work = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        int first = w;
                        work.add(pool.submit(() -> {
                            for (int i = first; i < SESSIONS; i += WORKERS) {
                                transaction(sessions.get(i), i, errors);
                            }
                        }));
                    }
                    for (Future<?> f : work) {
                        f.get(300, TimeUnit.SECONDS);
                    }
                }
                long runMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runStart);
                sampling.set(false);
                sampler.join(5_000);
                long total;
                try (Statement st = probe.createStatement()) {
                    st.execute("SET SESSION wsrep_sync_wait = 1");
                    try (ResultSet rs = st.executeQuery("SELECT SUM(n) FROM " + SCHEMA + ".counters")) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
                double leases = router.meters.find("sidecar.db.pool.leases").counter().count();
                double waits = router.meters.find("sidecar.db.pool.waits").tag("node", writerName).counter().count();
                System.out.printf("multiplexing: %d sessions opened in %d ms, %d rounds of a transaction each in %d ms; "
                                + "writer %s Threads_connected %d before, at most %d during (cap %d); router's backend "
                                + "connections at most %d; %d leases, %d waits for a connection; errors %d %s; "
                                + "test JVM heap after GC %d MiB before, %d MiB with the sessions open (router and "
                                + "clients together)%n", SESSIONS, openMs, ROUNDS, runMs, writerName, baseline,
                        maxThreads.get(), CAP, maxRouter.get(), (long) leases, (long) waits, errors.size(),
                        errors.stream().limit(3).toList(), heapBefore >> 20, heapOpen >> 20);
                int maxGrowth = maxThreads.get() - baseline;
                assertAll(
                        () -> assertEquals(List.of(), errors, "every transaction of every session"),
                        () -> assertEquals((long) SESSIONS * ROUNDS, total, "each transaction counted once"),
                        () -> assertTrue(maxRouter.get() <= CAP, "router's backend connections to the writer: "
                                + maxRouter.get() + " > " + CAP),
                        () -> assertTrue(maxGrowth <= CAP, "the writer's Threads_connected grew by " + maxGrowth
                                + " > " + CAP),
                        () -> assertTrue(leases > SESSIONS, "sessions gave their connections back and leased "
                                + "them again: " + leases));
            }
        } finally {
            sampling.set(false);
            pool.shutdownNow();
            for (Connection s : sessions) {
                try {
                    s.close();
                } catch (SQLException ignored) {
                    // closing: the router may be gone already
                }
            }
        }
    }

    private static void transaction(Connection s, int id, List<String> errors) {
        try (Statement st = s.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT n FROM counters WHERE id = " + id)) {
                rs.next();
            }
            st.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
            if (!s.getAutoCommit()) {
                s.commit();
            }
        } catch (SQLException e) {
            errors.add("session " + id + ": " + e.getErrorCode() + " " + e.getMessage());
        }
    }

    private static int threadsConnected(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_connected'")) {
            rs.next();
            return rs.getInt(2);
        }
    }

    private static long usedHeapAfterGc(Runtime rt) {
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}

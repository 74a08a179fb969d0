package ossidecar.chaos.db;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.GaleraNode;

/**
 * Issue #11 item 4: an autocommit write that Galera refuses with 1213 (a certification
 * conflict with a write from another node) is sent again by the router, so the client never
 * sees it. The conflicts are real: a client connected straight to another node updates the
 * same row while the router's clients do. MariaDB's own {@code wsrep_retry_autocommit} is set
 * to 0 on the writer for the test (restored after), so that what absorbs the conflicts is the
 * router and not the server.
 *
 * <p>A control run first shows the workload conflicts at all: a client straight on the writer
 * gets 1213s under the same competition. Through the router (text and server-prepared
 * statements): no error, the router counts its retries, and the row's final value equals the
 * successful updates of everyone (none lost, none applied twice).
 */
class DbCertificationRetryIT {
    private static final int RETRIES = 8;
    private static final String SCHEMA = "cert_retry";
    private static final Duration RUN = Duration.ofSeconds(4);
    /** The competitor pauses between its updates: it conflicts often enough to be seen, not on every try. */
    private static final long COMPETITOR_PAUSE_MILLIS = 5;
    private static final String UPDATE = "UPDATE counter SET v = v + 1 WHERE id = 1";

    /** What one client did: updates that succeeded, and the errors it saw by code. */
    private record Tally(String who, long ok, Map<Integer, Long> errors) {
        long errors(int code) {
            return errors.getOrDefault(code, 0L);
        }

        long allErrors() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void autocommitWritesRefusedByCertificationAreRetriedUnseen() throws Exception {
        GaleraCluster cluster = SharedClusters.galera();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE OR REPLACE TABLE " + SCHEMA + ".counter (id INT PRIMARY KEY, v BIGINT NOT NULL)");
            s.execute("INSERT INTO " + SCHEMA + ".counter VALUES (1, 0)");
        }
        // 8 retries, not the default 3: this competitor hits the same row without pause, and 4
        // conflicts in a row happened (1 update of ~550 exhausted the default in one full run)
        try (RouterUnderTest router = RouterUnderTest.startWith(cluster,
                c -> c.withCertificationRetries(RETRIES))) {
            String writerName = WriterFaults.writer(router);
            assertNotNull(writerName, "the router has a writer: " + router.topology.status());
            int writer = WriterFaults.index(writerName);
            int other = writer % cluster.size() + 1;
            GaleraNode writerNode = cluster.node(writer);
            String retryBefore = setRetryAutocommit(writerNode, "0");
            try {
                // control: straight on the writer, the same competition gives the client 1213s
                List<Tally> control = run(List.of(
                        writerNode.jdbcUrl() + SCHEMA, cluster.node(other).jdbcUrl() + SCHEMA),
                        cluster, false);
                Tally direct = control.get(0);
                System.out.printf("certification conflicts, control (straight on writer galera-%d vs galera-%d): %s%n",
                        writer, other, control);
                assertTrue(direct.errors(1213) > 0, "the workload conflicts at all: " + control);

                double retriedBefore = counter(router, "sidecar.db.certification.retries");
                long valueBefore = value(cluster);
                String url = router.jdbcUrl(SCHEMA);
                List<Tally> routed = run(List.of(url, url + "?useServerPrepStmts=true",
                        cluster.node(other).jdbcUrl() + SCHEMA), cluster, true);
                long valueAfter = value(cluster);
                double retried = counter(router, "sidecar.db.certification.retries") - retriedBefore;
                double exhausted = counter(router, "sidecar.db.certification.conflicts", "outcome", "exhausted");
                double succeeded = counter(router, "sidecar.db.certification.conflicts", "outcome", "succeeded");
                long applied = routed.stream().mapToLong(Tally::ok).sum();
                System.out.printf("certification conflicts, through the router: %s; router sent %d statements again "
                                + "(%d succeeded after a conflict, %d exhausted); row value +%d, successful updates %d%n",
                        routed, (long) retried, (long) succeeded, (long) exhausted, valueAfter - valueBefore, applied);
                assertAll(
                        () -> assertEquals(exhausted, routed.get(0).allErrors() + routed.get(1).allErrors(),
                                "every 1213 a client saw is one the router gave up on after " + RETRIES + " retries"),
                        () -> assertEquals(0, routed.get(0).allErrors(), "text statements through the router: " + routed.get(0)),
                        () -> assertEquals(0, routed.get(1).allErrors(), "prepared statements through the router: " + routed.get(1)),
                        () -> assertTrue(retried > 0, "the router met conflicts and sent statements again: " + retried),
                        () -> assertEquals(applied, valueAfter - valueBefore,
                                "every successful update applied once, none twice: " + routed));
            } finally {
                setRetryAutocommit(writerNode, retryBefore);
            }
        }
    }

    /**
     * Runs one updating client per URL for {@link #RUN}; the last one is the competitor on
     * another node, which pauses between its updates.
     */
    private static List<Tally> run(List<String> urls, GaleraCluster cluster,
                                   boolean prepared) throws Exception {
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(urls.size());
        try {
            List<Future<Tally>> futures = new ArrayList<>();
            for (int i = 0; i < urls.size(); i++) {
                String url = urls.get(i);
                boolean competitor = i == urls.size() - 1;
                boolean serverPrepared = prepared && url.contains("useServerPrepStmts");
                futures.add(pool.submit(() -> update(url, cluster, end, competitor, serverPrepared)));
            }
            List<Tally> tallies = new ArrayList<>();
            for (Future<Tally> f : futures) {
                tallies.add(f.get(RUN.toSeconds() + 60, TimeUnit.SECONDS));
            }
            return tallies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Tally update(String url, GaleraCluster cluster, long end, boolean competitor, boolean serverPrepared)
            throws SQLException, InterruptedException {
        long ok = 0;
        Map<Integer, Long> errors = new ConcurrentHashMap<>();
        try (Connection c = DriverManager.getConnection(url, cluster.user(), cluster.password());
             PreparedStatement ps = c.prepareStatement(UPDATE);
             Statement s = c.createStatement()) {
            while (System.nanoTime() < end) {
                try {
                    int n = serverPrepared ? ps.executeUpdate() : s.executeUpdate(UPDATE);
                    assertEquals(1, n, "one row updated");
                    ok++;
                } catch (SQLException e) {
                    errors.merge(e.getErrorCode(), 1L, Long::sum);
                }
                if (competitor) {
                    Thread.sleep(COMPETITOR_PAUSE_MILLIS);
                }
            }
        }
        String who = (competitor ? "competitor " : serverPrepared ? "prepared " : "text ") + url.replaceAll(".*//", "");
        return new Tally(who, ok, errors);
    }

    private static long value(GaleraCluster cluster) throws SQLException {
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery("SELECT v FROM " + SCHEMA + ".counter WHERE id = 1")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String setRetryAutocommit(GaleraNode node, String value) throws SQLException {
        try (Connection c = node.connect(); Statement s = c.createStatement()) {
            String before;
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.wsrep_retry_autocommit")) {
                rs.next();
                before = rs.getString(1);
            }
            s.execute("SET GLOBAL wsrep_retry_autocommit = " + Integer.parseInt(value));
            return before;
        }
    }

    private static double counter(RouterUnderTest router, String name, String... tags) {
        var c = router.meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}

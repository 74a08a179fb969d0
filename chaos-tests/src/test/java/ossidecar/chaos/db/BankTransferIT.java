package ossidecar.chaos.db;

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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.GaleraCluster;

/**
 * The single-writer claim: bank transfers with SELECT ... FOR UPDATE from 8 threads. Through
 * the router every transaction runs on the one writer, so Galera certification never aborts
 * one (no 1213 deadlock errors); spread directly over all three nodes, the same workload
 * conflicts across nodes. Both run here and both counts are reported; the direct run must
 * conflict, or the workload is too gentle to show anything.
 */
class BankTransferIT {
    private static final int THREADS = 8;
    private static final int ACCOUNTS = 20;
    private static final long INITIAL = 1_000;
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("bank.seconds", 60));

    record Outcome(long transfers, long deadlocks, long otherErrors) {
    }

    @Test
    void throughTheRouterNoDeadlocksAndTotalsHold() throws Exception {
        GaleraCluster cluster = SharedClusters.galera();
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS bank");
            s.execute("CREATE OR REPLACE TABLE bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < ACCOUNTS; i++) {
                values.append(i == 0 ? "" : ",").append("(").append(i).append(",").append(INITIAL).append(")");
            }
            s.execute("INSERT INTO bank.accounts VALUES " + values);
        }
        try (RouterUnderTest router = RouterUnderTest.start(cluster)) {
            Outcome routed = run(t -> router.jdbcUrl("bank"), cluster);
            Outcome direct = run(t -> "jdbc:mariadb://127.0.0.1:" + cluster.port(1 + t % cluster.size()) + "/bank", cluster);
            System.out.printf("bank transfers, %d threads, %d s each:%n  through the router: %d transfers, %d deadlocks (1213), "
                            + "%d other errors%n  directly over 3 nodes: %d transfers, %d deadlocks (1213), %d other errors%n",
                    THREADS, RUN.toSeconds(), routed.transfers(), routed.deadlocks(), routed.otherErrors(),
                    direct.transfers(), direct.deadlocks(), direct.otherErrors());
            assertTrue(routed.transfers() > 100, "the workload ran: " + routed);
            // without conflicts directly, "no 1213 through the router" would prove nothing
            assertTrue(direct.deadlocks() > 0, "the workload conflicts when spread over the nodes: " + direct);
            assertEquals(0, routed.deadlocks(), "no certification conflicts through the single writer");
            assertEquals(0, routed.otherErrors());
            try (Connection c = router.connect("bank", cluster.user(), cluster.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SUM(balance) FROM accounts")) {
                assertTrue(rs.next());
                assertEquals(ACCOUNTS * INITIAL, rs.getLong(1), "money is neither made nor lost");
            }
        }
    }

    private static Outcome run(IntFunction<String> urlForThread, GaleraCluster cluster) throws Exception {
        AtomicLong transfers = new AtomicLong();
        AtomicLong deadlocks = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long deadline = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String url = urlForThread.apply(t);
                futures.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url, cluster.user(), cluster.password())) {
                        c.setAutoCommit(false);
                        while (System.nanoTime() < deadline) {
                            try {
                                transfer(c);
                                transfers.incrementAndGet();
                            } catch (SQLException e) {
                                rollbackQuietly(c);
                                if (e.getErrorCode() == 1213) {
                                    deadlocks.incrementAndGet();
                                } else {
                                    other.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(RUN.toSeconds() + 120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(transfers.get(), deadlocks.get(), other.get());
    }

    /** Locks both rows in id order (no local deadlock), moves money, commits. */
    private static void transfer(Connection c) throws SQLException {
        int a = ThreadLocalRandom.current().nextInt(ACCOUNTS);
        int b = (a + 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        int amount = 1 + ThreadLocalRandom.current().nextInt(10);
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT id, balance FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
             PreparedStatement move = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
            lock.setInt(1, Math.min(a, b));
            lock.setInt(2, Math.max(a, b));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    // the locked balances; a real transfer would check funds here
                }
            }
            move.setInt(1, -amount);
            move.setInt(2, a);
            move.executeUpdate();
            move.setInt(1, amount);
            move.setInt(2, b);
            move.executeUpdate();
        }
        c.commit();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection may be gone; the next transfer will tell
        }
    }
}

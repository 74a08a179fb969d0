package ossidecar.chaos.workload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import ossidecar.chaos.suite.Check;
import ossidecar.chaos.suite.Timeline;
import ossidecar.chaos.suite.Workload;

/**
 * Bank transfers through the DB router, as an OpenStack service would make them: a
 * transaction locks two accounts ({@code SELECT ... FOR UPDATE}), moves an amount, writes a
 * ledger row with an id of the client's own, and commits. A 1213 or 1205 is retried with the same
 * ledger id, as oslo.db retries a deadlock; any other error ends that transfer as failed. The
 * client keeps which ids it saw commit and which it saw fail, so that the ledger can be checked
 * afterwards: every committed transfer stored once, no failed one stored, the money unchanged.
 * Each attempt is one operation on the timeline; its error kind is the MariaDB error code.
 */
public final class BankTransfers implements Workload {
    private static final int ACCOUNTS = 20;
    private static final long BALANCE = 1000;
    private static final int MAX_RETRIES = 20;

    private final String url;
    private final String user;
    private final String password;
    private final Timeline timeline;
    private final Supplier<String> checkUrl;
    private final ClientThreads threads = new ClientThreads();
    private final Set<Long> committed = ConcurrentHashMap.newKeySet();
    private final Set<Long> failed = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> errors = new ConcurrentHashMap<>();
    private final AtomicLong lastCommitNanos = new AtomicLong(System.nanoTime());
    private volatile boolean running = true;

    /**
     * Creates the schema through {@code url} (the router), then starts {@code clients} transfer
     * threads. {@code checkUrl} gives, when the run is over, a node to read the ledger from directly.
     */
    public BankTransfers(String url, String user, String password, int clients, Timeline timeline,
                         Supplier<String> checkUrl) throws SQLException {
        this.url = url;
        this.user = user;
        this.password = password;
        this.timeline = timeline;
        this.checkUrl = checkUrl;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS demo_bank");
            s.execute("CREATE OR REPLACE TABLE demo_bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE OR REPLACE TABLE demo_bank.ledger (id BIGINT PRIMARY KEY, src INT, dst INT, amount INT)");
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < ACCOUNTS; i++) {
                rows.append(i == 0 ? "" : ",").append('(').append(i).append(',').append(BALANCE).append(')');
            }
            s.execute("INSERT INTO demo_bank.accounts VALUES " + rows);
        }
        for (int t = 0; t < clients; t++) {
            long base = (t + 1) * 1_000_000_000L;
            threads.start("chaos-bank-" + t, () -> run(base));
        }
    }

    private void run(long base) {
        long next = base;
        Connection c = null;
        while (running) {
            long id = next++;
            int attempts = 0;
            while (running) {
                long began = System.nanoTime();
                try {
                    if (c == null) {
                        c = DriverManager.getConnection(url, user, password);
                        c.setAutoCommit(false);
                    }
                    transfer(c, id);
                    committed.add(id);
                    lastCommitNanos.set(System.nanoTime());
                    timeline.success(began, System.nanoTime());
                    break;
                } catch (SQLException e) {
                    errors.computeIfAbsent(e.getErrorCode(), k -> new AtomicInteger()).incrementAndGet();
                    timeline.error(began, System.nanoTime(), errorKind(e), e.getMessage());
                    boolean deadlock = OsloDbErrors.retried(e.getErrorCode());
                    try {
                        if (c != null && deadlock) {
                            c.rollback();
                        } else if (c != null) {
                            c.close();
                            c = null;
                        }
                    } catch (SQLException closing) {
                        c = null;
                    }
                    if (!deadlock || ++attempts > MAX_RETRIES) {
                        failed.add(id);
                        break;
                    }
                }
            }
        }
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // the demo is ending
        }
    }

    private static void transfer(Connection c, long id) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int a = r.nextInt(ACCOUNTS);
        int b = (a + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        int amount = 1 + r.nextInt(20);
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT id, balance FROM demo_bank.accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
             PreparedStatement move = c.prepareStatement(
                     "UPDATE demo_bank.accounts SET balance = balance + ? WHERE id = ?");
             PreparedStatement ledger = c.prepareStatement("INSERT INTO demo_bank.ledger VALUES (?, ?, ?, ?)")) {
            lock.setInt(1, a);
            lock.setInt(2, b);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(2);
                }
            }
            move.setInt(1, -amount);
            move.setInt(2, a);
            move.executeUpdate();
            move.setInt(1, amount);
            move.setInt(2, b);
            move.executeUpdate();
            ledger.setLong(1, id);
            ledger.setInt(2, a);
            ledger.setInt(3, b);
            ledger.setInt(4, amount);
            ledger.executeUpdate();
            c.commit();
        }
    }

    /** Transfers the client saw commit so far. */
    public int committed() {
        return committed.size();
    }

    /** Milliseconds since the last commit any client saw. */
    public long millisSinceLastCommit() {
        return (System.nanoTime() - lastCommitNanos.get()) / 1_000_000;
    }

    /** Client-visible errors by MariaDB error code (1213s included, retried or not). */
    public Map<Integer, Integer> errors() {
        Map<Integer, Integer> out = new TreeMap<>();
        errors.forEach((code, n) -> out.put(code, n.get()));
        return out;
    }

    /** "1213", or the SQL state when the driver gives no error code (a lost connection: 08...). */
    static String errorKind(SQLException e) {
        return e.getErrorCode() != 0 ? Integer.toString(e.getErrorCode()) : "SQLSTATE " + e.getSQLState();
    }

    @Override
    public String name() {
        return "bank transfers (DB, SELECT ... FOR UPDATE, a ledger row each)";
    }

    @Override
    public Timeline timeline() {
        return timeline;
    }

    /**
     * Stops the clients and checks the ledger on a node directly: no committed transfer lost, no
     * failed one stored, the money unchanged, and no error but those oslo.db retries (1213, 1205).
     */
    @Override
    public Workload.Result finish() throws Exception {
        close();
        Result r = check(checkUrl.get());
        long otherErrors = r.errors().entrySet().stream().filter(e -> !OsloDbErrors.retried(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        Map<String, Object> counts = new java.util.LinkedHashMap<>();
        counts.put("committed", r.committed());
        counts.put("failed", r.failed());
        counts.put("errors by code", r.errors());
        return new Workload.Result(List.of(Check.zero("committed transfers lost", r.lost()),
                Check.zero("failed transfers stored anyway", r.storedButFailed()),
                new Check("money unchanged", r.total() == r.expectedTotal(), r.total() + " of " + r.expectedTotal()),
                Check.zero(OsloDbErrors.CHECK, otherErrors)), counts);
    }

    /** Stops the clients (each ends its transfer in flight). */
    @Override
    public void close() {
        running = false;
        threads.join();
    }

    /** Reads the ledger and the balances back through {@code checkUrl} (a node directly) and checks the invariants. */
    public Result check(String checkUrl) throws SQLException {
        Set<Long> stored = new HashSet<>();
        long total;
        try (Connection c = DriverManager.getConnection(checkUrl, user, password); Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery("SELECT id FROM demo_bank.ledger")) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT SUM(balance) FROM demo_bank.accounts")) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        Set<Long> lost = new HashSet<>(committed);
        lost.removeAll(stored);
        Set<Long> storedButFailed = new HashSet<>(failed);
        storedButFailed.retainAll(stored);
        return new Result(committed.size(), failed.size(), lost.size(), storedButFailed.size(), total,
                ACCOUNTS * BALANCE, errors());
    }

    /**
     * What the check found.
     *
     * @param committed transfers the clients saw commit
     * @param failed transfers the clients saw fail (not a 1213 or 1205 that was retried)
     * @param lost committed transfers missing from the ledger (must be 0)
     * @param storedButFailed failed transfers the ledger holds anyway (must be 0)
     * @param total the money in all accounts now
     * @param expectedTotal the money at the start
     * @param errors client-visible errors by code
     */
    public record Result(int committed, int failed, int lost, int storedButFailed, long total, long expectedTotal,
                         Map<Integer, Integer> errors) {
        /** What broke, empty when every invariant held. */
        public List<String> brokenInvariants() {
            List<String> out = new ArrayList<>();
            if (lost > 0) {
                out.add(lost + " committed transfers missing from the ledger");
            }
            if (storedButFailed > 0) {
                out.add(storedButFailed + " transfers the client saw fail are in the ledger");
            }
            if (total != expectedTotal) {
                out.add("the money changed: " + total + " instead of " + expectedTotal);
            }
            return out;
        }
    }
}

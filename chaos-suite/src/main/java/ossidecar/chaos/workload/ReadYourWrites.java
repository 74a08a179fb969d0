package ossidecar.chaos.workload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import ossidecar.chaos.suite.Check;
import ossidecar.chaos.suite.Timeline;
import ossidecar.chaos.suite.Workload;

/**
 * A client that writes a number in autocommit and reads it straight back, as a service reads
 * the row it has just updated: through the router's split listener the write goes to the
 * writer and the read to a reader, and the read must see the write (read-your-writes). Each
 * write-then-read pair is one operation on the timeline; a read older than the write is a
 * stale read and breaks the invariant.
 */
public final class ReadYourWrites implements Workload {
    private final String url;
    private final String user;
    private final String password;
    private final Timeline timeline;
    private final ClientThreads threads = new ClientThreads();
    private final AtomicInteger pairs = new AtomicInteger();
    private final AtomicInteger stale = new AtomicInteger();
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public ReadYourWrites(String url, String user, String password, int clients, Timeline timeline)
            throws SQLException {
        this.url = url;
        this.user = user;
        this.password = password;
        this.timeline = timeline;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS demo_bank");
            s.execute("CREATE OR REPLACE TABLE demo_bank.probe (id INT PRIMARY KEY, v BIGINT NOT NULL)");
            for (int i = 0; i < clients; i++) {
                s.execute("INSERT INTO demo_bank.probe VALUES (" + i + ", 0)");
            }
        }
        for (int t = 0; t < clients; t++) {
            int row = t;
            threads.start("chaos-read-your-writes-" + t, () -> run(row));
        }
    }

    private void run(int row) {
        long value = 0;
        Connection c = null;
        while (running) {
            long began = System.nanoTime();
            try {
                if (c == null) {
                    c = DriverManager.getConnection(url, user, password);
                }
                try (PreparedStatement w = c.prepareStatement("UPDATE demo_bank.probe SET v = ? WHERE id = ?");
                     PreparedStatement r = c.prepareStatement("SELECT v FROM demo_bank.probe WHERE id = ?")) {
                    w.setLong(1, value + 1);
                    w.setInt(2, row);
                    w.executeUpdate();
                    value++;
                    r.setInt(1, row);
                    try (ResultSet rs = r.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) < value) {
                            stale.incrementAndGet();
                            timeline.error(began, System.nanoTime(), "stale read");
                        } else {
                            pairs.incrementAndGet();
                            timeline.success(began, System.nanoTime());
                        }
                    }
                }
                Thread.sleep(5);
            } catch (SQLException e) {
                String kind = BankTransfers.errorKind(e);
                errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                timeline.error(began, System.nanoTime(), kind, e.getMessage());
                try {
                    c.close();
                } catch (SQLException | RuntimeException closing) {
                    // gone already
                }
                c = null;
                // the write's outcome is unknown to the client: go on from what is stored
                value = current(row);
            } catch (InterruptedException e) {
                return;
            }
        }
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // ending
        }
    }

    /** The stored value, read through the router; 0 when it cannot be read now (the next write fixes it). */
    private long current(int row) {
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement r = c.prepareStatement("SELECT v FROM demo_bank.probe WHERE id = ?")) {
            r.setInt(1, row);
            try (ResultSet rs = r.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    @Override
    public String name() {
        return "read-your-writes probe (DB, autocommit write then read, split listener)";
    }

    @Override
    public Timeline timeline() {
        return timeline;
    }

    @Override
    public Result finish() {
        close();
        Map<String, Integer> byKind = new TreeMap<>();
        errors.forEach((k, n) -> byKind.put(k, n.get()));
        long other = byKind.entrySet().stream().filter(e -> !OsloDbErrors.retried(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("write-read pairs", pairs.get());
        counts.put("errors by code", byKind);
        return new Result(List.of(Check.zero("stale reads", stale.get()), Check.zero(OsloDbErrors.CHECK, other)),
                counts);
    }

    @Override
    public void close() {
        running = false;
        threads.join();
    }
}

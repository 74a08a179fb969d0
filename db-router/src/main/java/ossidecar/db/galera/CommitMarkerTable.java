package ossidecar.db.galera;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;

/**
 * {@code sidecar.commit_markers}: how the router learns whether a COMMIT whose answer was lost
 * with its writer committed. Before a write transaction's COMMIT the router inserts a row with
 * a unique id in that transaction; the row exists on the cluster exactly when the transaction
 * committed. After the writer is lost mid-commit, the new writer is asked, with
 * {@code wsrep_sync_wait} so that it has applied every write-set it received first.
 *
 * <p>Sessions insert as their own user (they need INSERT on this table); the monitor account
 * creates the table, answers the lookups and deletes rows older than {@link #KEEP} in the
 * background. Lookups and cleanup run on a thread of their own, never on an event loop.
 */
public final class CommitMarkerTable implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitMarkerTable.class);

    public static final String TABLE = "sidecar.commit_markers";
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + " id VARCHAR(64) NOT NULL PRIMARY KEY,"
            + " created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
            + ") ENGINE=InnoDB COMMENT='DB router commit markers: a row exists exactly when its transaction committed'";
    /** A lookup follows a failover within seconds; an hour leaves room for a long outage. */
    static final Duration KEEP = Duration.ofHours(1);
    static final String CLEANUP = "DELETE FROM " + TABLE + " WHERE created < NOW() - INTERVAL "
            + KEEP.toSeconds() + " SECOND LIMIT 10000";
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(5);
    private static final Duration WRITER_POLL = Duration.ofMillis(100);

    private final GaleraMonitor monitor;
    private final Supplier<BackendNode> writer;
    private final Duration writeTimeout;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "galera-commit-markers");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean created;

    CommitMarkerTable(GaleraMonitor monitor, Supplier<BackendNode> writer, Duration writeTimeout) {
        this.monitor = monitor;
        this.writer = writer;
        this.writeTimeout = writeTimeout;
        executor.execute(() -> createQuietly(1));
        executor.scheduleWithFixedDelay(this::cleanupQuietly, CLEANUP_EVERY.toMillis(), CLEANUP_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Whether the table exists (created by this router): sessions write markers only then. */
    public boolean ready() {
        return created;
    }

    /** The statement a session runs in its transaction before COMMIT. */
    public static String insertSql(String id) {
        return "INSERT INTO " + TABLE + " (id) VALUES ('" + id + "')";
    }

    /**
     * Whether the transaction that wrote marker {@code id} committed, asked of the current writer
     * (waiting up to {@code writerWait} for one); fails when no writer answers in time.
     */
    public CompletableFuture<Boolean> committed(String id, Duration writerWait) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + writerWait.toNanos();
        executor.execute(() -> lookUp(id, deadline, result, null));
        return result;
    }

    private void lookUp(String id, long deadline, CompletableFuture<Boolean> result, SQLException last) {
        BackendNode w = writer.get();
        if (w != null) {
            try (Connection c = monitor.connection(w.name(), writeTimeout); Statement s = c.createStatement()) {
                s.execute("SET SESSION wsrep_sync_wait = 1");
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        result.complete(rs.next());
                        return;
                    }
                }
            } catch (SQLException e) {
                last = e;
            }
        }
        if (System.nanoTime() - deadline >= 0) {
            result.completeExceptionally(last != null ? last
                    : new IllegalStateException("no writer to ask whether the transaction committed"));
            return;
        }
        SQLException previous = last;
        executor.schedule(() -> lookUp(id, deadline, result, previous), WRITER_POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Creates the table (idempotent DDL) once a writer is known; tries again every 200 ms, 50 times. */
    private void createQuietly(int attempt) {
        BackendNode w = writer.get();
        if (w != null) {
            try (Connection c = monitor.connection(w.name(), writeTimeout); Statement s = c.createStatement()) {
                s.execute(WriterTable.CREATE_SCHEMA);
                s.execute(CREATE_TABLE);
                created = true;
                return;
            } catch (SQLException e) {
                LOG.debug("galera commit markers: cannot create {} via {} yet: {}", TABLE, w.name(), e.toString());
            }
        }
        if (attempt < 50) {
            executor.schedule(() -> createQuietly(attempt + 1), 200, TimeUnit.MILLISECONDS);
        } else {
            LOG.warn("galera commit markers: could not create {} with the monitor account; sessions whose "
                    + "writer is lost mid-COMMIT get a lost connection instead of a resolved outcome", TABLE);
        }
    }

    private void cleanupQuietly() {
        BackendNode w = writer.get();
        if (w == null) {
            return;
        }
        try (Connection c = monitor.connection(w.name(), writeTimeout); Statement s = c.createStatement()) {
            int n = s.executeUpdate(CLEANUP);
            if (n > 0) {
                LOG.debug("galera commit markers: deleted {} rows older than {}", n, KEEP);
            }
        } catch (SQLException e) {
            LOG.debug("galera commit markers: cleanup via {} failed: {}", w.name(), e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

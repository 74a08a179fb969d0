package ossidecar.db.galera;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;
import ossidecar.core.health.NodeHealth;

/**
 * Polls one node on its own thread through its own small HikariCP pool, so a hung node delays
 * nobody else and no Netty event loop ever waits on JDBC.
 *
 * <p>The pool lives only while the node is up. HikariCP retries a refused connect with a
 * backoff that grows to 5 s, so a pool kept through an outage would keep a returning node
 * unreachable (and DOWN again) for seconds; instead a DOWN node's pool is closed, the node is
 * polled on fresh unpooled connections (refused in milliseconds), and the first successful poll
 * opens a new pool. While DOWN, {@link #connection} fails at once.
 *
 * <p>The poll keeps one pooled connection borrowed across polls (handed back every
 * {@link #HOLD} so the pool can retire it), because borrowing per poll lets HikariCP validate
 * first and, when the node just died, wait its whole {@code connectionTimeout}. A hung node
 * (SIGSTOP) is caught by the driver's {@code socketTimeout}, the query timeout (a server-side
 * statement timeout never fires on a stopped process). A failure is DOWN at once, with one
 * exception: a connection that fails fast (not a timeout) may just be stale, so the poll asks
 * once more on a fresh unpooled connection, which a dead node refuses in milliseconds.
 */
final class NodePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePoller.class);
    /** HikariCP refuses a connection or validation timeout under 250 ms. */
    private static final long HIKARI_MIN_TIMEOUT_MS = 250;
    /** How long the poll keeps one pooled connection before handing it back. */
    static final Duration HOLD = Duration.ofMinutes(1);

    private final BackendNode node;
    private final Duration interval;
    private final Duration queryTimeout;
    private final StateClassifier classifier;
    private final NodeHealth health;
    private final Clock clock;
    private final Runnable onStateChange;
    private final String url;
    private final Properties directProps;
    private final HikariConfig poolConfig;
    private final Timer latency;
    private final ScheduledExecutorService executor;
    /** Closes retired pools off the poll thread: HikariCP's close waits for its connect attempts. */
    private final ExecutorService closer;
    private final AtomicBoolean probeQueued = new AtomicBoolean();
    private volatile NodeStatus status;
    /** Null while the node is DOWN. */
    private volatile HikariDataSource pool;
    // Touched only by the poll thread.
    private Connection held;
    private long heldSince;
    private int poolGeneration;

    NodePoller(BackendNode node, String user, String password, Duration interval, Duration queryTimeout,
            StateClassifier classifier, NodeHealth health, MeterRegistry meters, Clock clock, Runnable onStateChange) {
        this.node = node;
        this.interval = interval;
        this.queryTimeout = queryTimeout;
        this.classifier = classifier;
        this.health = health;
        this.clock = clock;
        this.onStateChange = onStateChange;
        this.status = NodeStatus.initial(node, clock.instant());
        this.url = "jdbc:mariadb://" + node.address() + "/";
        long timeoutMs = Math.max(HIKARI_MIN_TIMEOUT_MS, queryTimeout.toMillis());
        Properties props = new Properties();
        props.setProperty("connectTimeout", Long.toString(timeoutMs));
        props.setProperty("socketTimeout", Long.toString(timeoutMs));
        // Causal reads would wait for the cluster; a monitor must answer while it stalls.
        props.setProperty("sessionVariables", "wsrep_sync_wait=0");
        this.directProps = new Properties();
        directProps.putAll(props);
        directProps.setProperty("user", user);
        directProps.setProperty("password", password);

        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setDataSourceProperties(props);
        hc.setMaximumPoolSize(2); // one for the poll, one for the writer election
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(timeoutMs);
        hc.setValidationTimeout(Math.max(HIKARI_MIN_TIMEOUT_MS, timeoutMs / 2));
        hc.setInitializationFailTimeout(-1); // never block or fail the poll thread on creation
        hc.setAutoCommit(true);
        hc.setRegisterMbeans(false);
        this.poolConfig = hc;

        this.latency = Timer.builder("sidecar.db.monitor.latency")
                .description("time to poll a Galera node's wsrep status, failures included")
                .tags("node", node.name())
                .register(meters);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "galera-monitor-" + node.name()));
        this.closer = Executors.newSingleThreadExecutor(r -> daemon(r, "galera-monitor-" + node.name() + "-closer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    BackendNode node() {
        return node;
    }

    NodeStatus status() {
        return status;
    }

    /** Polls as soon as the current poll (if any) is done; requests made meanwhile coalesce. */
    void probeNow() {
        if (probeQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    probeQueued.set(false);
                    pollSafely();
                });
            } catch (RejectedExecutionException e) {
                probeQueued.set(false); // closed
            }
        }
    }

    /**
     * A pooled connection, for the writer election; {@code networkTimeout} (null: the query
     * timeout) bounds each read. Fails at once while the node is DOWN.
     */
    Connection connection(Duration networkTimeout) throws SQLException {
        HikariDataSource p = pool;
        if (p == null) {
            throw new SQLTransientConnectionException(node.name() + " is DOWN (" + status.reason() + ")", "08000");
        }
        Connection c = p.getConnection();
        if (networkTimeout != null) {
            try {
                c.setNetworkTimeout(Runnable::run, (int) networkTimeout.toMillis());
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException | Error e) {
            // A scheduled task that throws is never run again: the node would freeze in its state.
            LOG.error("galera monitor {}: poll failed unexpectedly", node.name(), e);
        }
    }

    void poll() {
        long started = System.nanoTime();
        GaleraStatus polled = null;
        SQLException failure = null;
        try {
            HikariDataSource p = pool;
            polled = p == null ? queryDirect() : queryPooled(p, started);
        } catch (SQLException e) {
            failure = e;
        }
        long nanos = System.nanoTime() - started;
        latency.record(nanos, TimeUnit.NANOSECONDS);
        apply(polled, failure, Duration.ofNanos(nanos));
    }

    private GaleraStatus queryPooled(HikariDataSource p, long started) throws SQLException {
        if (held == null) {
            // borrow() failed after the last poll: HikariCP may wait up to connectionTimeout.
            held = p.getConnection();
            heldSince = System.nanoTime();
        }
        try {
            GaleraStatus s = query(held);
            if (System.nanoTime() - heldSince > HOLD.toNanos()) {
                release();
            }
            return s;
        } catch (SQLException e) {
            release(); // HikariCP evicts a broken connection
            long elapsed = System.nanoTime() - started;
            if (SqlErrors.isTimeout(e) || elapsed >= queryTimeout.toNanos() / 2 || !SqlErrors.isConnectionError(e)) {
                throw e;
            }
            // Fast connection failure: a stale connection must not mark a live node DOWN, and a
            // dead node refuses the fresh connect at once.
            return queryDirect();
        }
    }

    private GaleraStatus queryDirect() throws SQLException {
        try (Connection c = new org.mariadb.jdbc.Driver().connect(url, directProps)) {
            return query(c);
        }
    }

    private static GaleraStatus query(Connection c) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(GaleraStatus.QUERY)) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return GaleraStatus.parse(values);
    }

    private void apply(GaleraStatus polled, SQLException failure, Duration took) {
        NodeStatus prev = status;
        GaleraState state;
        String reason;
        if (failure != null) {
            state = GaleraState.DOWN;
            reason = SqlErrors.describe(failure);
        } else {
            StateClassifier.Classification c = classifier.classify(polled);
            state = c.state();
            reason = c.reason();
        }
        if (failure != null) {
            retirePool();
        } else {
            if (pool == null) {
                openPool();
            }
            borrow();
        }
        Instant now = clock.instant();
        boolean changed = state != prev.state() || !prev.polled();
        boolean entered = state != prev.state();
        boolean sentFlowControl = polled != null && prev.last() != null && prev.last().flowControlSent() >= 0
                && polled.flowControlSent() > prev.last().flowControlSent();
        status = new NodeStatus(node, state, entered ? now : prev.since(), reason,
                polled != null ? polled : prev.last(), now, took, failure == null ? null : reason,
                entered ? prev.polled() : prev.returned(), sentFlowControl ? now : prev.throttledAt());
        health.transitionTo(state, reason);
        if (changed) {
            try {
                onStateChange.run();
            } catch (RuntimeException e) {
                LOG.error("galera monitor {}: state change listener failed", node.name(), e);
            }
        }
    }

    /**
     * Borrows the connection for the next poll right after a successful one, while the node is
     * known to answer: borrowing later, after the node died, would make HikariCP validate and
     * retry for its whole {@code connectionTimeout} before the poll could fail.
     */
    private void borrow() {
        HikariDataSource p = pool;
        if (held != null || p == null) {
            return;
        }
        try {
            held = p.getConnection();
            heldSince = System.nanoTime();
        } catch (SQLException e) {
            LOG.debug("galera monitor {}: cannot borrow the poll connection: {}", node.name(), e.toString());
        }
    }

    /** The node answered: a fresh pool, without the backoff of failed connects behind it. */
    private void openPool() {
        HikariConfig hc = new HikariConfig();
        poolConfig.copyStateTo(hc);
        hc.setPoolName("galera-monitor-" + node.name() + "-" + (++poolGeneration));
        pool = new HikariDataSource(hc);
    }

    /** The node is DOWN: no pool until it answers again. */
    private void retirePool() {
        release();
        HikariDataSource p = pool;
        pool = null;
        if (p != null) {
            try {
                closer.execute(p::close);
            } catch (RejectedExecutionException e) {
                p.close();
            }
        }
    }

    private void release() {
        Connection c = held;
        held = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("galera monitor {}: closing the poll connection failed: {}", node.name(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(queryTimeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
                LOG.warn("galera monitor {}: poll thread did not stop in time", node.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
        HikariDataSource p = pool;
        pool = null;
        if (p != null) {
            p.close();
        }
        closer.shutdown();
        try {
            closer.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

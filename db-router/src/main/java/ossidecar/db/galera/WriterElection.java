package ossidecar.db.galera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.core.config.BackendNode;

/**
 * The one writer every router instance agrees on (see {@link WriterTable} for the consensus,
 * {@link WriterPolicy} for the rules). Each cycle, every {@code interval} and at once after any
 * node state change, re-reads the row, so instances converge on the same (writer, epoch) within
 * a cycle of each other, and changes it by compare-and-swap when the writer is no longer
 * SYNCED. A router consumes it as {@code election::writer}.
 *
 * <p>When the table cannot be used by this account (access denied, read-only, a table of
 * another shape: see {@link SqlErrors#isUnusableTable}) the writer is the SYNCED node with the
 * lowest {@code wsrep_local_index} instead ({@link Source#LOWEST_LOCAL_INDEX}, epoch 0) until the
 * table works again. Any other failure (a lost connection, a change caught in a view change:
 * 1180, 1047, 1213) is retried shortly and never leads to the fallback, since falling back for
 * a moment could move the writer.
 */
public final class WriterElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterElection.class);
    /** How soon a cycle that could not finish its job runs again. */
    private static final long RETRY_MILLIS = 100;
    /** Quick retries in a row; after that, failing cycles wait for the interval. */
    private static final int QUICK_RETRIES = 5;

    /** Where the current writer comes from. */
    public enum Source {
        /** No writer known yet. */
        NONE,
        /** The {@code sidecar.writer} row: agreed by every router, never moves back. */
        TABLE,
        /** The fallback: the SYNCED node with the lowest {@code wsrep_local_index}. */
        LOWEST_LOCAL_INDEX
    }

    /** The agreed writer by its server name ({@code wsrep_node_name}). */
    record Agreed(String serverName, long epoch, Source source) {
        static final Agreed NONE = new Agreed(null, 0, Source.NONE);
    }

    private final Supplier<List<NodeStatus>> nodes;
    private final WriterStore store;
    private final Duration interval;
    private final Clock clock;
    private final Duration settle;
    private final Consumer<String> probeNode;
    private final List<Consumer<WriterChange>> listeners = new CopyOnWriteArrayList<>();
    private final Counter changes;
    /** From the old writer leaving SYNCED (as the monitor saw it) to this router agreeing on the new one. */
    private final Timer failover;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean cycleQueued = new AtomicBoolean();
    private final CountDownLatch firstDecision = new CountDownLatch(1);
    private volatile Agreed agreed = Agreed.NONE;
    // Touched only by the election thread.
    private String lastTableError;
    private int failedCycles;

    /**
     * @param nodes the monitor's node statuses, in priority order
     * @param probe asks the monitor to poll a node now (by config name) after its connection failed
     */
    WriterElection(Supplier<List<NodeStatus>> nodes, WriterStore store, Duration interval, MeterRegistry meters,
            Consumer<String> probe) {
        this(nodes, store, interval, meters, probe, Clock.systemUTC(), Duration.ZERO);
    }

    /** @param settle how long a node that came back must be SYNCED before it may take the role */
    WriterElection(Supplier<List<NodeStatus>> nodes, WriterStore store, Duration interval, MeterRegistry meters,
            Consumer<String> probe, Clock clock, Duration settle) {
        this.nodes = nodes;
        this.store = store;
        this.interval = interval;
        this.clock = clock;
        this.settle = settle;
        this.probeNode = probe;
        this.changes = Counter.builder("sidecar.db.writer.changes")
                .description("changes of the agreed Galera writer seen by this router (the first pick not counted)")
                .register(meters);
        this.failover = Timer.builder("sidecar.db.writer.failover.duration")
                .description("from the old writer leaving SYNCED, as the monitor saw it, until this router agreed on "
                        + "a new writer").publishPercentileHistogram().register(meters);
        Gauge.builder("sidecar.db.writer.epoch", this, WriterElection::epoch)
                .description("epoch of the agreed Galera writer (0: none, or the lowest-index fallback)")
                .register(meters);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "galera-writer-election");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        executor.scheduleWithFixedDelay(this::cycleSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The agreed writer if this router sees it SYNCED now, else null (the writer is down and no
     * change has been agreed yet, or no node can write). Cheap; safe on an event loop.
     */
    public BackendNode writer() {
        Agreed a = agreed;
        if (a.serverName() == null) {
            return null;
        }
        NodeStatus n = WriterPolicy.byServerName(nodes.get(), a.serverName());
        return n != null && n.state().writable() ? n.node() : null;
    }

    /** The agreed writer's epoch: +1 per change cluster-wide; 0 when none or from the fallback rule. */
    public long epoch() {
        return agreed.epoch();
    }

    /** Where the writer comes from. */
    public Source source() {
        return agreed.source();
    }

    /** The agreed writer's {@code wsrep_node_name}, whether or not it is up; null when none. */
    public String writerServerName() {
        return agreed.serverName();
    }

    /** Runs {@code listener} on the election thread after every change of writer or epoch. */
    public void onChange(Consumer<WriterChange> listener) {
        listeners.add(listener);
    }

    /** Waits until the first decision (a writer, or every node polled); false on timeout. */
    public boolean awaitFirstDecision(Duration timeout) throws InterruptedException {
        return firstDecision.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a cycle as soon as possible; requests made meanwhile coalesce. */
    void requestCycle() {
        if (cycleQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    cycleQueued.set(false);
                    cycleSafely();
                });
            } catch (RejectedExecutionException e) {
                cycleQueued.set(false); // closed
            }
        }
    }

    private void retrySoon() {
        if (++failedCycles > QUICK_RETRIES) {
            return; // something lasting: the regular cycle keeps trying
        }
        try {
            executor.schedule(this::requestCycle, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void cycleSafely() {
        try {
            runCycle();
        } catch (RuntimeException | Error e) {
            LOG.error("galera writer election: cycle failed unexpectedly", e);
        }
    }

    /** One read-decide-change round; package-private so tests drive it without threads. */
    void runCycle() {
        List<NodeStatus> view = nodes.get();
        NodeStatus via = WriterPolicy.readVia(view);
        if (via == null) {
            // Nobody can write or answer for the table: keep what was agreed, writer() is null.
            if (view.stream().allMatch(NodeStatus::polled)) {
                firstDecision.countDown();
            }
            return;
        }
        String step = "read sidecar.writer via " + via.name();
        String at = via.name();
        try {
            WriterRow row = store.read(via.name());
            WriterPolicy.Decision d = WriterPolicy.decide(view, row, settle());
            if (d instanceof WriterPolicy.Initialize init) {
                step = "initialise sidecar.writer via " + init.to().name();
                at = init.to().name();
                store.initialize(init.to().name());
                row = store.read(init.to().name());
                tableWorks();
                publish(row, view, "first writer: " + init.to().name() + " is the first SYNCED node by priority");
            } else if (d instanceof WriterPolicy.Change change) {
                step = "change the writer via " + change.to().name();
                at = change.to().name();
                boolean won = store.compareAndSet(change.to().name(), change.expectedEpoch());
                row = store.read(change.to().name());
                tableWorks();
                if (!won && row != null && row.epoch() == change.expectedEpoch()) {
                    retrySoon(); // lost to a change not applied here yet
                }
                publish(row, view, won ? change.reason() : "changed by another router; " + change.reason());
            } else {
                tableWorks();
                if (d instanceof WriterPolicy.Keep) {
                    publish(row, view, null);
                } else if (row != null) {
                    publish(row, view, d instanceof WriterPolicy.Wait w ? w.reason()
                            : ((WriterPolicy.NoCandidate) d).reason());
                }
                if (d instanceof WriterPolicy.NoCandidate) {
                    firstDecision.countDown();
                }
            }
        } catch (SQLException e) {
            tableFailed(view, step, at, e);
        }
    }

    /** Whether {@code n} may take the writer role now, as far as settling goes. */
    boolean settled(NodeStatus n) {
        return settle().settled(n);
    }

    /**
     * Whether {@code n} sent flow control within the last two poll intervals: it is behind now.
     * Not longer: a reader that stopped sending it has caught up, and sessions that stay with the
     * reader they chose (prepared statements) would otherwise all pile onto the other one.
     */
    boolean throttled(NodeStatus n) {
        return n.throttled(clock.instant(), interval.multipliedBy(2));
    }

    private WriterPolicy.Settle settle() {
        return new WriterPolicy.Settle(clock.instant(), settle);
    }

    private void tableWorks() {
        if (agreed.source() == Source.LOWEST_LOCAL_INDEX) {
            LOG.info("galera writer election: sidecar.writer is usable again, the fallback rule no longer applies");
        }
        lastTableError = null;
        failedCycles = 0;
    }

    private void tableFailed(List<NodeStatus> view, String step, String at, SQLException e) {
        String error = SqlErrors.describe(e);
        if (SqlErrors.isConnectionError(e)) {
            // The node, not the table: have it polled now; the next cycle may pick another node.
            if (!error.equals(lastTableError)) {
                LOG.info("galera writer election: cannot {}: {}", step, error);
                lastTableError = error;
            }
            probeNode.accept(at);
            retrySoon();
            return;
        }
        boolean unusable = SqlErrors.isUnusableTable(e);
        if (!error.equals(lastTableError)) {
            LOG.warn("galera writer election: cannot {}: {} (error {}){}", step, error, e.getErrorCode(),
                    unusable ? "; until it works the writer is the SYNCED node with the lowest wsrep_local_index"
                            : "; retrying");
            lastTableError = error;
        }
        if (!unusable) {
            retrySoon();
            return;
        }
        NodeStatus low = WriterPolicy.lowestLocalIndex(view, settle());
        if (low != null) {
            publish(new Agreed(low.serverName(), 0, Source.LOWEST_LOCAL_INDEX), view,
                    "sidecar.writer unusable (" + error + "): lowest wsrep_local_index among SYNCED nodes");
        }
    }

    private void publish(WriterRow row, List<NodeStatus> view, String reason) {
        if (row == null) {
            return;
        }
        publish(new Agreed(row.node(), row.epoch(), Source.TABLE), view, reason);
    }

    private void publish(Agreed next, List<NodeStatus> view, String reason) {
        firstDecision.countDown();
        Agreed prev = agreed;
        if (prev.equals(next)) {
            return;
        }
        agreed = next;
        BackendNode from = node(view, prev.serverName());
        BackendNode to = node(view, next.serverName());
        if (reason == null) {
            reason = rereadReason(prev, view);
        }
        if (prev.source() == Source.NONE) {
            LOG.info("writer {} -> {} (epoch {} -> {}): {}", label(from, prev.serverName()),
                    label(to, next.serverName()), prev.epoch(), next.epoch(), reason);
        } else {
            changes.increment();
            NodeStatus old = WriterPolicy.byServerName(view, prev.serverName());
            String took = "";
            if (old != null && !old.state().writable()) {
                Duration d = Duration.between(old.since(), clock.instant());
                failover.record(d);
                took = " (" + d.toMillis() + " ms after " + old.name() + " became " + old.state().name() + ")";
            }
            LOG.warn("writer {} -> {} (epoch {} -> {}){}: {}", label(from, prev.serverName()),
                    label(to, next.serverName()), prev.epoch(), next.epoch(), took, reason);
        }
        WriterChange change = new WriterChange(from, to, prev.epoch(), next.epoch(), next.source(), reason);
        for (Consumer<WriterChange> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.error("galera writer election: change listener failed", e);
            }
        }
    }

    /** Why the row differs from what this router had, when another router changed it. */
    private static String rereadReason(Agreed prev, List<NodeStatus> view) {
        if (prev.source() == Source.NONE) {
            return "read from sidecar.writer";
        }
        NodeStatus old = WriterPolicy.byServerName(view, prev.serverName());
        if (old != null && !old.state().writable()) {
            return "changed by another router; " + old.name() + " is " + old.state().name() + " (" + old.reason() + ")";
        }
        return "changed by another router";
    }

    private static BackendNode node(List<NodeStatus> view, String serverName) {
        NodeStatus n = WriterPolicy.byServerName(view, serverName);
        return n == null ? null : n.node();
    }

    private static String label(BackendNode node, String serverName) {
        if (serverName == null) {
            return "none";
        }
        return node != null ? node.name() : serverName + " (not configured here)";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Agreed agreed() {
        return agreed;
    }

    @Override
    public String toString() {
        Agreed a = agreed;
        return "writer " + Objects.toString(a.serverName(), "none") + " (epoch " + a.epoch() + ", " + a.source() + ")";
    }
}

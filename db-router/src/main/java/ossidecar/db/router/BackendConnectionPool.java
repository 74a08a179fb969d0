package ossidecar.db.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import ossidecar.core.config.BackendNode;
import ossidecar.db.protocol.ErrorCodes;
import ossidecar.db.protocol.MysqlServerException;

/**
 * The router's backend connections, capped per node. Each event loop holds its own share of
 * every node's connections ({@link NodeShare}, cap split evenly over the loops) and its own
 * queue of waiting sessions, all touched only on that loop: a session and its backend
 * connection always run on one thread, and nothing here takes a lock. Only the counters the
 * meters read are shared.
 *
 * <p>A session asking while its loop's share is at the cap waits in a bounded queue for a
 * connection to come back, up to the pool wait; past it, or with the queue full, it gets
 * 1040 (too many connections) naming the node and the cap.
 */
final class BackendConnectionPool {
    private final int capPerLoop;
    private final int maxWaitingPerLoop;
    private final Duration maxWait;
    private final int maxPerNode;
    private final Map<EventLoop, Map<String, Share>> loops = new ConcurrentHashMap<>();
    private final Map<String, NodeMeters> meters = new HashMap<>();
    private final AtomicLong logins = new AtomicLong();

    /** One loop's share of a node, with its waiting sessions. */
    private static final class Share {
        final NodeShare connections;
        final Deque<Waiter> waiters = new ArrayDeque<>();

        Share(int cap) {
            connections = new NodeShare(cap);
        }
    }

    private record Waiter(NodeShare.Need need, CompletableFuture<NodeShare.Grant> result, ScheduledFuture<?> timeout) {
    }

    private static final class NodeMeters {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger idle = new AtomicInteger();
        final Counter waits;
        final Counter waitTimeouts;

        NodeMeters(String node, MeterRegistry registry) {
            Gauge.builder("sidecar.db.backend.connections", open, AtomicInteger::get)
                    .description("open backend connections (idle, in use or logging in)").tag("node", node)
                    .register(registry);
            Gauge.builder("sidecar.db.pool.idle", idle, AtomicInteger::get)
                    .description("backend connections parked idle in the pool").tag("node", node).register(registry);
            waits = Counter.builder("sidecar.db.pool.waits").tag("node", node)
                    .description("sessions that found every backend connection to the node in use and waited")
                    .register(registry);
            waitTimeouts = Counter.builder("sidecar.db.pool.wait.timeouts").tag("node", node)
                    .description("sessions that waited for a backend connection past pool-wait (or found the "
                            + "queue full) and got 1040").register(registry);
        }
    }

    /**
     * @param maxPerNode backend connections per node across the router
     * @param loops      the event loops sessions run on (the cap is split over them)
     * @param maxWaiting sessions that may wait per node across the router
     * @param maxWait    how long a session waits for a connection
     */
    BackendConnectionPool(List<BackendNode> nodes, int maxPerNode, int loops, int maxWaiting, Duration maxWait,
                          MeterRegistry registry) {
        if (maxPerNode < 1 || loops < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxPerNode " + maxPerNode + ", loops " + loops + ", maxWaiting "
                    + maxWaiting + " (expected: >= 1, >= 1, >= 0)");
        }
        this.maxPerNode = maxPerNode;
        this.capPerLoop = Math.max(1, maxPerNode / loops);
        this.maxWaitingPerLoop = (maxWaiting + loops - 1) / loops;
        this.maxWait = maxWait;
        for (BackendNode n : nodes) {
            meters.put(n.name(), new NodeMeters(n.name(), registry));
        }
    }

    /** Each loop's cap per node: the configured cap divided by the loops, rounded down (never above the cap). */
    int capPerLoop() {
        return capPerLoop;
    }

    /**
     * On {@code loop}: what the session gets now, or once a connection of its share is free.
     * Fails with 1040 after the pool wait, or at once when too many sessions wait already.
     */
    CompletableFuture<NodeShare.Grant> acquire(BackendNode node, NodeShare.Need need, EventLoop loop) {
        Share share = share(loop, node);
        NodeShare.Grant g = share.waiters.isEmpty() ? share.connections.take(need) : new NodeShare.Wait();
        if (!(g instanceof NodeShare.Wait)) {
            took(node, g);
            return CompletableFuture.completedFuture(g);
        }
        NodeMeters m = meters(node);
        m.waits.increment();
        if (share.waiters.size() >= maxWaitingPerLoop) {
            m.waitTimeouts.increment();
            return CompletableFuture.failedFuture(busy(node, share, "and " + share.waiters.size()
                    + " sessions wait already"));
        }
        CompletableFuture<NodeShare.Grant> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (share.waiters.removeIf(w -> w.result() == result)) {
                m.waitTimeouts.increment();
                result.completeExceptionally(busy(node, share, "for " + maxWait.toMillis() + " ms (pool-wait)"));
            }
        }, maxWait.toMillis(), TimeUnit.MILLISECONDS);
        share.waiters.addLast(new Waiter(need, result, timeout));
        return result;
    }

    private MysqlServerException busy(BackendNode node, Share share, String how) {
        return new MysqlServerException(ErrorCodes.ER_CON_COUNT_ERROR.code(), ErrorCodes.ER_CON_COUNT_ERROR.sqlState(),
                "Too many connections (sidecar DB router: every backend connection to " + node.name()
                        + " this event loop may hold is in use, " + share.connections.open() + " of "
                        + share.connections.cap() + " (max-backend-connections " + maxPerNode + " split over the "
                        + "router's event loops), " + how + "; raise max-backend-connections or pool-wait)");
    }

    /** A new login for an {@link NodeShare.OpenNew} grant succeeded: counted until it closes. */
    void opened(BackendConnection c) {
        logins.incrementAndGet();
        EventLoop loop = c.channel().eventLoop();
        Share share = share(loop, c.node());
        NodeMeters m = meters(c.node());
        m.open.incrementAndGet();
        c.channel().closeFuture().addListener(f -> loop.execute(() -> {
            m.open.decrementAndGet();
            share.connections.closed();
            serveWaiters(c.node(), share);
        }));
    }

    /** The login for an {@link NodeShare.OpenNew} grant failed: its slot is free again. */
    void loginFailed(BackendNode node, EventLoop loop) {
        Share share = share(loop, node);
        share.connections.loginFailed();
        serveWaiters(node, share);
    }

    /** On the connection's loop: parks a connection whose schema and state key say what it holds. */
    void park(BackendConnection c) {
        if (!c.isOpen()) {
            return;
        }
        Share share = share(c.channel().eventLoop(), c.node());
        share.connections.park(c);
        meters(c.node()).idle.incrementAndGet();
        serveWaiters(c.node(), share);
    }

    /** On the connection's loop: a parked connection closed or was taken by other means. */
    void forget(BackendConnection c) {
        Share share = share(c.channel().eventLoop(), c.node());
        int before = share.connections.idle();
        share.connections.forget(c);
        if (share.connections.idle() < before) {
            meters(c.node()).idle.decrementAndGet();
        }
    }

    private void serveWaiters(BackendNode node, Share share) {
        while (!share.waiters.isEmpty()) {
            Waiter w = share.waiters.peekFirst();
            NodeShare.Grant g = share.connections.take(w.need());
            if (g instanceof NodeShare.Wait) {
                return;
            }
            share.waiters.pollFirst();
            w.timeout().cancel(false);
            took(node, g);
            if (!w.result().complete(g)) {
                giveBack(g, node, share); // the waiter is gone (closed meanwhile)
            }
        }
    }

    private void took(BackendNode node, NodeShare.Grant g) {
        if (g instanceof NodeShare.Ready || g instanceof NodeShare.Reset
                || (g instanceof NodeShare.OpenNew o && o.evicted() != null)) {
            meters(node).idle.decrementAndGet();
        }
    }

    /** A grant whose waiter is gone: the connection goes back to the idle set, or the slot is freed. */
    private void giveBack(NodeShare.Grant g, BackendNode node, Share share) {
        if (g instanceof NodeShare.Ready r) {
            share.connections.park(r.conn());
            meters(node).idle.incrementAndGet();
        } else if (g instanceof NodeShare.Reset r) {
            share.connections.park(r.conn());
            meters(node).idle.incrementAndGet();
        } else if (g instanceof NodeShare.OpenNew o) {
            if (o.evicted() != null) {
                o.evicted().channel().close();
            }
            share.connections.loginFailed();
        }
    }

    /**
     * Closes idle connections to nodes {@code keep} rejects (the old writer after a change), on
     * every loop; connections in use are the sessions' business.
     */
    void retire(Predicate<BackendNode> keep) {
        for (Map.Entry<EventLoop, Map<String, Share>> e : loops.entrySet()) {
            e.getKey().execute(() -> e.getValue().forEach((name, share) -> {
                for (BackendConnection c : share.connections.drainIdle()) {
                    if (keep.test(c.node())) {
                        share.connections.park(c);
                    } else {
                        meters(c.node()).idle.decrementAndGet();
                        c.channel().close();
                    }
                }
            }));
        }
    }

    private Share share(EventLoop loop, BackendNode node) {
        return loops.computeIfAbsent(loop, l -> new ConcurrentHashMap<>())
                .computeIfAbsent(node.name(), n -> new Share(capPerLoop));
    }

    private NodeMeters meters(BackendNode node) {
        NodeMeters m = meters.get(node.name());
        if (m == null) {
            throw new IllegalArgumentException("not a configured node: " + node.name());
        }
        return m;
    }

    int open(String node) {
        NodeMeters m = meters.get(node);
        return m == null ? 0 : m.open.get();
    }

    /** Backend logins so far: a pooled connection handed out again is not a new login. */
    long logins() {
        return logins.get();
    }

    int idle() {
        return meters.values().stream().mapToInt(m -> m.idle.get()).sum();
    }

    void closeAll() {
        for (Map.Entry<EventLoop, Map<String, Share>> e : loops.entrySet()) {
            e.getKey().execute(() -> e.getValue().values().forEach(share -> {
                share.connections.drainIdle().forEach(c -> c.channel().close());
                share.waiters.forEach(w -> w.result().completeExceptionally(
                        new IllegalStateException("the DB router is stopping")));
                share.waiters.clear();
            }));
        }
    }
}

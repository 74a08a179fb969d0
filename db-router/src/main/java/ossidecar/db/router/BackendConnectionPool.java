package ossidecar.db.router;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import ossidecar.core.config.BackendNode;

/**
 * Idle backend connections per node, login and flags, reused across client sessions after a
 * COM_RESET_CONNECTION cleaned them. Also counts every open backend connection per node.
 */
final class BackendConnectionPool {
    /** Idle connections kept per key; more are closed. */
    static final int MAX_IDLE_PER_KEY = 8;

    private final Map<PoolKey, Deque<BackendConnection>> idle = new HashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong logins = new java.util.concurrent.atomic.AtomicLong();

    record PoolKey(BackendConnection.PoolKey login, String schema) {
    }

    BackendConnectionPool(List<BackendNode> nodes, MeterRegistry meters) {
        for (BackendNode n : nodes) {
            AtomicInteger count = new AtomicInteger();
            open.put(n.name(), count);
            Gauge.builder("sidecar.db.backend.connections", count, AtomicInteger::get)
                    .description("open backend connections").tag("node", n.name()).register(meters);
        }
    }

    /**
     * An idle, live connection for this login and schema on {@code loop}, or null. Only a
     * connection on the session's own event loop is handed out, so a session and its backend
     * never run on two threads.
     */
    synchronized BackendConnection acquire(BackendConnection.PoolKey login, String schema, EventLoop loop) {
        Deque<BackendConnection> q = idle.get(new PoolKey(login, schema));
        if (q == null) {
            return null;
        }
        for (Iterator<BackendConnection> it = q.iterator(); it.hasNext(); ) {
            BackendConnection c = it.next();
            if (!c.isOpen()) {
                it.remove();
            } else if (c.channel().eventLoop() == loop) {
                it.remove();
                return c;
            }
        }
        return null;
    }

    /** Takes back a connection that was reset and is idle; closes it when the pool is full. */
    synchronized void release(BackendConnection c, String schema) {
        Deque<BackendConnection> q = idle.computeIfAbsent(new PoolKey(c.key(), schema), k -> new ArrayDeque<>());
        if (!c.isOpen() || q.size() >= MAX_IDLE_PER_KEY) {
            c.channel().close();
            return;
        }
        q.addFirst(c);
    }

    /** A parked connection closed (its {@link PooledIdleHandler} saw it): no listener per parking, so nothing piles up. */
    synchronized void forget(BackendConnection c, String schema) {
        Deque<BackendConnection> q = idle.get(new PoolKey(c.key(), schema));
        if (q != null) {
            q.remove(c);
        }
    }

    /** Counts a connection as open until its channel closes. */
    void opened(BackendConnection c) {
        logins.incrementAndGet();
        AtomicInteger count = open.get(c.node().name());
        if (count != null) {
            count.incrementAndGet();
            c.channel().closeFuture().addListener(f -> count.decrementAndGet());
        }
    }

    int open(String node) {
        AtomicInteger c = open.get(node);
        return c == null ? 0 : c.get();
    }

    /** Backend logins so far: a pooled connection handed out again is not a new login. */
    long logins() {
        return logins.get();
    }

    synchronized int idle() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    synchronized void closeAll() {
        idle.values().forEach(q -> q.forEach(c -> c.channel().close()));
        idle.clear();
    }
}

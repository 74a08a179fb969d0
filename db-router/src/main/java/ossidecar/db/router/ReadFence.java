package ossidecar.db.router;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read-your-writes bookkeeping shared by a router's sessions: a count of the writes this router
 * saw commit, and for each reader the count up to which a causality-checked read
 * ({@code wsrep_sync_wait}) proved it has them applied.
 *
 * <p>A read that starts after write number {@code w} was acknowledged, on a node that a
 * checked read started at count {@code g >= w} has proven, sees that write: the node applied
 * everything the cluster had committed when that checked read began. So one checked read per
 * node and write is enough, for every session.
 */
final class ReadFence {
    private final AtomicLong committed = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> proven = new ConcurrentHashMap<>();

    /** A write committed (call before its answer goes to the client); returns its number. */
    long writeCommitted() {
        return committed.incrementAndGet();
    }

    /** The number of the last write acknowledged so far. */
    long lastWrite() {
        return committed.get();
    }

    /** Whether a read on {@code node} must check causality to see write number {@code write}. */
    boolean mustWait(String node, long write) {
        if (write <= 0) {
            return false;
        }
        AtomicLong p = proven.get(node);
        return p == null || p.get() < write;
    }

    /** A checked read on {@code node}, started when {@code startedAt} writes had committed, succeeded. */
    void proven(String node, long startedAt) {
        proven.computeIfAbsent(node, k -> new AtomicLong()).accumulateAndGet(startedAt, Math::max);
    }
}

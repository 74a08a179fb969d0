package ossidecar.amqp.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names seen lately, at most {@code capacity} of them, so that something is said once per name
 * without a client that declares random names growing the proxy's memory. Past the bound the
 * name seen least recently is forgotten (and would be reported again if it came back); a name
 * seen again counts as recent, so the names clients keep declaring stay remembered.
 *
 * <p>Thread-safe: client connections on every event loop share one. The lock is held for a
 * map lookup only, and only on a queue.declare, which is not on the relay's hot path.
 */
final class RecentNames {
    /** Enough for every queue of a large control plane; about a megabyte at most. */
    static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final LinkedHashMap<String, Boolean> names;

    RecentNames(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.names = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RecentNames.this.capacity;
            }
        };
    }

    /** Whether {@code name} is new (not among the names remembered); remembers it either way. */
    synchronized boolean firstSighting(String name) {
        return names.put(name, Boolean.TRUE) == null;
    }

    synchronized int size() {
        return names.size();
    }
}

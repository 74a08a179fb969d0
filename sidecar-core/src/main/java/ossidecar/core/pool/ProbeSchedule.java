package ossidecar.core.pool;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.concurrent.ThreadLocalRandom;
import ossidecar.core.pool.BackendPool.Backend;

/**
 * Which nodes to probe, and when: the policy half of active health checking, apart from the
 * probe's I/O. Only nodes that are not available (DOWN) are probed: UP nodes are proven by live
 * traffic and heartbeats, and a node never tried has nothing to recover from. A node has at most
 * one probe in flight. After a node goes down, the waits grow from a quarter of the interval to
 * the interval (a node that was only restarted is back soon; one that is gone for long costs one
 * probe per interval), and each wait is jittered down to half its value so that many sidecars
 * watching the same node do not probe it in step. A wait never exceeds the interval, so a node
 * that answers again is found within one interval plus a probe.
 *
 * <p>Not thread-safe: one thread (the prober's event loop) calls every method. Time is passed
 * in and randomness injected, so tests need neither sockets nor sleeps.
 */
public final class ProbeSchedule {
    private final IntervalFunction growth;
    private final DoubleSupplier random;
    private final Map<Backend, Entry> entries = new HashMap<>();

    /** {@code random} yields values in [0, 1); 0 keeps a wait whole, values near 1 halve it. */
    public ProbeSchedule(Duration interval, DoubleSupplier random) {
        this.growth = IntervalFunction.ofExponentialBackoff(interval.dividedBy(4), 2.0, interval);
        this.random = random;
    }

    public ProbeSchedule(Duration interval) {
        this(interval, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The nodes whose probe is due at {@code nowMillis}, marked in flight: each must be answered
     * by {@link #answered} or {@link #failed}. A node seen down for the first time is scheduled
     * (its first probe one wait later); a node that is available again is forgotten.
     */
    public List<Backend> due(List<Backend> nodes, long nowMillis) {
        List<Backend> out = new ArrayList<>();
        for (Backend b : nodes) {
            Entry e = entries.get(b);
            if (e != null && e.inFlight) {
                continue; // its result decides what comes next
            }
            if (b.health().available()) {
                entries.remove(b);
                continue;
            }
            if (e == null) {
                e = new Entry();
                e.nextAtMillis = nowMillis + waitMillis(1);
                entries.put(b, e);
            }
            if (nowMillis >= e.nextAtMillis) {
                e.inFlight = true;
                e.attempts++;
                out.add(b);
            }
        }
        return out;
    }

    /** The node answered: it is up again, and a later outage starts with short waits. */
    public void answered(Backend b) {
        entries.remove(b);
    }

    /** The node did not answer: its next probe is one (longer) wait after {@code nowMillis}. */
    public void failed(Backend b, long nowMillis) {
        Entry e = entries.get(b);
        if (e == null) {
            return;
        }
        e.inFlight = false;
        e.nextAtMillis = nowMillis + waitMillis(e.attempts + 1);
    }

    /** Probes sent to {@code b} in its current outage (0 when it is not being probed). */
    public int attempts(Backend b) {
        Entry e = entries.get(b);
        return e == null ? 0 : e.attempts;
    }

    /** The wait before the {@code attempt}-th probe (1-based), in (w/2, w] of the grown wait w. */
    long waitMillis(int attempt) {
        long w = growth.apply(attempt);
        return w - (long) (w / 2.0 * random.getAsDouble());
    }

    private static final class Entry {
        int attempts;
        long nextAtMillis;
        boolean inFlight;
    }
}

package ossidecar.db.router;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;

/**
 * One event loop's share of the backend connections to one node: the ones parked idle, a
 * count of all that are open (idle, in use, logging in) held under a cap, and the sessions
 * waiting for one. Used on that event loop only, so it needs no locks; the choice it makes is
 * a pure function of its contents, tested without sockets.
 *
 * <p>A session asking for a connection gets, in this order of preference: an idle one that
 * already has its login, schema and session state (nothing to replay); a new login while the
 * share is under its cap; an idle one with its login and schema but another session's state
 * (reset and replayed); an idle one of another login or schema, closed to make room for a new
 * login; else it waits.
 */
final class NodeShare {
    /** What a session asking for a connection gets. */
    sealed interface Grant permits Ready, Reset, OpenNew, Wait {
    }

    /** An idle connection with exactly the session's state: use it as it is. */
    record Ready(BackendConnection conn) implements Grant {
    }

    /** An idle connection with the session's login and schema but another state: reset it, then replay. */
    record Reset(BackendConnection conn) implements Grant {
    }

    /**
     * A slot for a new login (counted as open already): the caller logs in, then reports the
     * connection's close with {@link #closed} or the failure with {@link #loginFailed}.
     * {@code evicted} is an idle connection the caller must close, and wait for, before logging
     * in (null when there was room).
     */
    record OpenNew(BackendConnection evicted) implements Grant {
    }

    /** Nothing free and the cap reached: wait for a connection to come back or close. */
    record Wait() implements Grant {
    }

    /** What a session needs: the pool key of its login, its schema, and its state's key. */
    record Need(BackendConnection.PoolKey login, String schema, String stateKey) {
    }

    private final int cap;
    private int open;
    /** Idle connections, the most recently parked first. */
    private final Deque<BackendConnection> idle = new ArrayDeque<>();

    /** @param cap connections to the node this share may hold open at once */
    NodeShare(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap: " + cap + " (expected: >= 1)");
        }
        this.cap = cap;
    }

    /** Chooses for {@code need}; a connection it hands out leaves the idle set. */
    Grant take(Need need) {
        BackendConnection sameLoginAndSchema = null;
        BackendConnection other = null;
        for (Iterator<BackendConnection> it = idle.iterator(); it.hasNext(); ) {
            BackendConnection c = it.next();
            if (!c.isOpen()) {
                it.remove(); // closed while parked: its slot was given back when it closed
                continue;
            }
            if (c.key().equals(need.login()) && Objects.equals(c.schema(), need.schema())) {
                if (Objects.equals(c.stateKey(), need.stateKey())) {
                    it.remove();
                    return new Ready(c);
                }
                if (sameLoginAndSchema == null) {
                    sameLoginAndSchema = c;
                }
            } else {
                other = c; // ends as the least recently parked
            }
        }
        if (open < cap) {
            open++;
            return new OpenNew(null);
        }
        if (sameLoginAndSchema != null) {
            idle.remove(sameLoginAndSchema);
            return new Reset(sameLoginAndSchema);
        }
        if (other != null) {
            // the new login is counted now; the evicted one stops counting when it has closed,
            // and the caller logs in only after that, so the node never sees more than the cap
            idle.remove(other);
            open++;
            return new OpenNew(other);
        }
        return new Wait();
    }

    /** Parks a connection a session is done with. */
    void park(BackendConnection c) {
        idle.addFirst(c);
    }

    /** A parked connection closed: it is no longer offered. */
    void forget(BackendConnection c) {
        idle.remove(c);
    }

    /** A connection of this share closed (parked or in use, not an evicted one): its slot is free. */
    void closed() {
        open--;
    }

    /** A login for an {@link OpenNew} slot failed: the slot is free again. */
    void loginFailed() {
        open--;
    }

    int open() {
        return open;
    }

    int idle() {
        return idle.size();
    }

    int cap() {
        return cap;
    }

    /** Removes and returns every idle connection (the caller closes them). */
    Deque<BackendConnection> drainIdle() {
        Deque<BackendConnection> out = new ArrayDeque<>(idle);
        idle.clear();
        return out;
    }
}

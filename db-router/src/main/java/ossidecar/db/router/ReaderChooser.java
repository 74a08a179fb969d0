package ossidecar.db.router;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import ossidecar.core.config.BackendNode;

/**
 * Picks the node a read or a reader transaction runs on: among the readers the monitor offers
 * (SYNCED or read-only, settled, not lagging), the one with the fewest outstanding leases of
 * this router, the writer left out while another reader exists unless the writer serves reads
 * too. With no reader left, the writer; with no writer either, none. Ties go round in turn.
 *
 * <p>Outstanding leases are the sessions bound to the node right now: with multiplexing a
 * session holds a backend only for a statement or a transaction, so that is the requests in
 * flight there.
 */
final class ReaderChooser {
    private final boolean writerServesReads;
    private final ConcurrentHashMap<String, AtomicInteger> leases = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    ReaderChooser(boolean writerServesReads) {
        this.writerServesReads = writerServesReads;
    }

    /** The node for a read now, or null when there is neither a reader nor a writer. */
    BackendNode choose(List<BackendNode> readers, BackendNode writer) {
        return choose(readers, writer, writerServesReads, this::outstanding, turn.getAndIncrement());
    }

    /** Whether a session may keep reading on {@code node} (between transactions it may be given another). */
    static boolean serves(List<BackendNode> readers, BackendNode node) {
        return readers.contains(node);
    }

    /** Whether {@link #choose} could have picked {@code node} for a read now. */
    boolean mayRead(List<BackendNode> readers, BackendNode writer, BackendNode node) {
        if (!readers.contains(node)) {
            return false;
        }
        if (!node.equals(writer) || writerServesReads) {
            return true;
        }
        for (BackendNode n : readers) {
            if (!n.equals(writer)) {
                return false; // another reader exists: the writer does not serve reads
            }
        }
        return true;
    }

    /** Pure: the least loaded eligible node; {@code turn} breaks ties in rotation. */
    static BackendNode choose(List<BackendNode> readers, BackendNode writer, boolean writerServesReads,
                              ToIntFunction<BackendNode> load, int turn) {
        boolean otherReader = false;
        for (BackendNode n : readers) {
            if (!n.equals(writer)) {
                otherReader = true;
                break;
            }
        }
        if (!otherReader) {
            return writer;
        }
        int eligible = writerServesReads || writer == null || !readers.contains(writer)
                ? readers.size() : readers.size() - 1;
        BackendNode best = null;
        int bestLoad = Integer.MAX_VALUE;
        int bestPosition = Integer.MAX_VALUE;
        int start = Math.floorMod(turn, eligible);
        int size = readers.size();
        for (int k = 0, seen = 0; k < size; k++) {
            BackendNode n = readers.get(k);
            if (n.equals(writer) && !writerServesReads) {
                continue;
            }
            // the eligible nodes in turn, starting at the turn's one: ties go round evenly
            int position = Math.floorMod(seen++ - start, eligible);
            int l = load.applyAsInt(n);
            if (l < bestLoad || (l == bestLoad && position < bestPosition)) {
                best = n;
                bestLoad = l;
                bestPosition = position;
            }
        }
        return best;
    }

    int outstanding(BackendNode node) {
        AtomicInteger c = leases.get(node.name());
        return c == null ? 0 : c.get();
    }

    void bound(BackendNode node) {
        leases.computeIfAbsent(node.name(), k -> new AtomicInteger()).incrementAndGet();
    }

    void unbound(BackendNode node) {
        AtomicInteger c = leases.get(node.name());
        if (c != null) {
            c.decrementAndGet();
        }
    }
}

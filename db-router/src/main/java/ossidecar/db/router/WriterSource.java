package ossidecar.db.router;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.function.Consumer;
import ossidecar.core.config.BackendNode;
import ossidecar.db.galera.GaleraTopology;

/** Where writes go right now: the one Galera node every router instance agreed on. */
public interface WriterSource {
    /** The current writer, or null while no node can take writes. */
    BackendNode writer();

    /**
     * Nodes that may serve reads now, in priority order (the writer among them). Safe on an event
     * loop. Without a monitor: the writer alone.
     */
    default List<BackendNode> readers() {
        BackendNode w = writer();
        return w == null ? List.of() : List.of(w);
    }

    /** Runs {@code listener} (on any thread) after a node changed state: the readers may have changed. */
    default void onReadersChange(Runnable listener) {
    }

    /** Whether the monitor cannot reach {@code node} now (its last poll failed or timed out). */
    default boolean down(BackendNode node) {
        return false;
    }

    /**
     * Runs {@code listener} (on any thread) after every change of the writer, including to none,
     * with a description of the change ("galera-1 -> galera-2 (epoch 3 -> 4): why").
     */
    default void onWriterChange(Consumer<String> listener) {
    }

    /**
     * A router connection to {@code node} just failed: the monitor looks at the node now instead
     * of at its next poll, so that a dead writer is replaced at the first sign, not a poll later.
     */
    default void connectionFailed(BackendNode node) {
    }

    /** Whether {@link #committed} can answer: the commit-marker table exists. */
    default boolean resolvesCommits() {
        return false;
    }

    /**
     * Whether the transaction that inserted commit marker {@code markerId} committed, asked of
     * the current writer (waiting up to {@code writerWait} for one); fails when nobody can tell.
     */
    default CompletableFuture<Boolean> committed(String markerId, Duration writerWait) {
        return CompletableFuture.failedFuture(new IllegalStateException("no commit markers"));
    }

    /** The agreed writer of a Galera topology, with its change events, failure reports and commit markers. */
    static WriterSource of(GaleraTopology topology) {
        return new WriterSource() {
            @Override
            public BackendNode writer() {
                return topology.writer();
            }

            @Override
            public List<BackendNode> readers() {
                return topology.readers();
            }

            @Override
            public void onReadersChange(Runnable listener) {
                topology.monitor().onStateChange(listener);
            }

            @Override
            public boolean down(BackendNode node) {
                var s = topology.monitor().node(node.name());
                return s != null && s.state() == ossidecar.db.galera.GaleraState.DOWN;
            }

            @Override
            public void onWriterChange(Consumer<String> listener) {
                topology.election().onChange(change -> listener.accept(change.describe()));
            }

            @Override
            public void connectionFailed(BackendNode node) {
                topology.monitor().reportFailure(node.name());
            }

            @Override
            public boolean resolvesCommits() {
                return topology.commitMarkers().ready();
            }

            @Override
            public CompletableFuture<Boolean> committed(String markerId, Duration writerWait) {
                return topology.commitMarkers().committed(markerId, writerWait);
            }
        };
    }
}

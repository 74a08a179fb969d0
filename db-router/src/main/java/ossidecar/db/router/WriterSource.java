package ossidecar.db.router;

import ossidecar.core.config.BackendNode;
import ossidecar.db.galera.GaleraTopology;

/** Where writes go right now: the one Galera node every router instance agreed on. */
public interface WriterSource {
    /** The current writer, or null while no node can take writes. */
    BackendNode writer();

    /** Runs {@code listener} (on any thread) after every change of the writer, including to none. */
    default void onWriterChange(Runnable listener) {
    }

    /**
     * A router connection to {@code node} just failed: the monitor looks at the node now instead
     * of at its next poll, so that a dead writer is replaced at the first sign, not a poll later.
     */
    default void connectionFailed(BackendNode node) {
    }

    /** The agreed writer of a Galera topology, with its change events and failure reports. */
    static WriterSource of(GaleraTopology topology) {
        return new WriterSource() {
            @Override
            public BackendNode writer() {
                return topology.writer();
            }

            @Override
            public void onWriterChange(Runnable listener) {
                topology.election().onChange(change -> listener.run());
            }

            @Override
            public void connectionFailed(BackendNode node) {
                topology.monitor().reportFailure(node.name());
            }
        };
    }
}

package ossidecar.db.router;

import ossidecar.core.config.BackendNode;

/** Where writes go right now: the one Galera node every router instance agreed on. */
public interface WriterSource {
    /** The current writer, or null while no node can take writes. */
    BackendNode writer();
}

package ossidecar.db.galera;

import ossidecar.core.config.BackendNode;

/**
 * The agreed writer changed, as this router instance saw it.
 *
 * @param from the previous writer, null when there was none (start) or it is not configured here
 * @param to the new writer, null when it is not one of the configured nodes
 * @param fromEpoch the previous epoch (0 at start)
 * @param toEpoch the new epoch (0 while the fallback rule decides)
 * @param source where the new writer comes from
 * @param reason why it changed
 */
public record WriterChange(BackendNode from, BackendNode to, long fromEpoch, long toEpoch,
                           WriterElection.Source source, String reason) {

    /** "galera-1 -> galera-2 (epoch 3 -> 4): why". */
    public String describe() {
        return (from == null ? "none" : from.name()) + " -> " + (to == null ? "none" : to.name()) + " (epoch "
                + fromEpoch + " -> " + toEpoch + "): " + reason;
    }
}

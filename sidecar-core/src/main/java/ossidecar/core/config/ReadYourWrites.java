package ossidecar.core.config;

/** How the DB router makes a session's reads on a reader see the session's own earlier writes. */
public enum ReadYourWrites {
    /**
     * A read on a reader that may not have applied the session's last write yet runs with
     * {@code wsrep_sync_wait=1} ({@code SET STATEMENT ... FOR}): the reader first applies every
     * write the cluster had committed, then reads. One such read per reader and write proves
     * the reader has it, for every session of the router.
     */
    SYNC_WAIT,
    /** The session reads on the writer for {@code writer-window} after its last write. */
    WINDOW,
    /** No guarantee: a read on a reader may miss the session's own last write. */
    OFF
}

package ossidecar.core.config;

import java.time.Duration;

/**
 * Read/write splitting on the DB router's {@code split} and {@code reader} listeners.
 *
 * @param writerServesReads     the writer is one of the readers while other readers exist (it always
 *                              serves reads when it is the only node left)
 * @param maxReplayStatements   statements a transaction may run on a reader before it is pinned to
 *                              the writer: the router keeps each, to run them again on the writer at
 *                              the transaction's first write
 * @param maxReplayBytes        result bytes a transaction may read on a reader before it is pinned
 * @param readYourWrites        how a session's reads see its own earlier writes
 * @param writerWindow          {@link ReadYourWrites#WINDOW}: how long after a write the session reads on the writer
 * @param global                a write by any session of this router is visible to every later read of
 *                              this router (for services that hand ids between processes)
 */
public record DbSplitConfig(
        boolean writerServesReads,
        int maxReplayStatements,
        long maxReplayBytes,
        ReadYourWrites readYourWrites,
        Duration writerWindow,
        boolean global) {

    public static final int DEFAULT_MAX_REPLAY_STATEMENTS = 64;
    public static final long DEFAULT_MAX_REPLAY_BYTES = 1 << 20;
    public static final Duration DEFAULT_WRITER_WINDOW = Duration.ofSeconds(2);
    public static final DbSplitConfig DEFAULTS = new DbSplitConfig(false, DEFAULT_MAX_REPLAY_STATEMENTS,
            DEFAULT_MAX_REPLAY_BYTES, ReadYourWrites.SYNC_WAIT, DEFAULT_WRITER_WINDOW,
            false);

    public DbSplitConfig {
        if (maxReplayStatements < 0 || maxReplayBytes < 0 || writerWindow.isNegative()) {
            throw new IllegalArgumentException("max-replay-statements " + maxReplayStatements + ", max-replay-bytes "
                    + maxReplayBytes + ", writer-window " + writerWindow + " (expected: all >= 0)");
        }
        java.util.Objects.requireNonNull(readYourWrites, "readYourWrites");
    }
}

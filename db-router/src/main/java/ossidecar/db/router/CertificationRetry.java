package ossidecar.db.router;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.ErrPacket;
import ossidecar.db.protocol.ErrorCodes;
import ossidecar.db.sql.StatementKind;

/**
 * Sends an autocommit write again when Galera refused it with 1213: a certification conflict
 * with a write replicated from another node, or a brute-force abort by one. The statement was
 * rolled back whole (autocommit, and the error is the first packet of its answer, so nothing
 * of it ran or went to the client), so sending it again is what the client would do, minus the
 * stack trace. MariaDB retries such a statement itself {@code wsrep_retry_autocommit} times
 * (default 1) without a pause; these retries come after those, with jittered backoff so that
 * two writers stop colliding.
 *
 * <p>Only single round trips qualify: a COM_QUERY or COM_STMT_EXECUTE that may write, outside a
 * transaction, in autocommit mode, of at most {@link #MAX_PACKET_BYTES} (the router keeps a copy
 * until the answer), and not a prepared statement fed with COM_STMT_SEND_LONG_DATA (the server
 * drops the long data at execute, so a second execute would lack it).
 */
final class CertificationRetry {
    /** A copy of the statement is kept until its answer: only small ones are retried. */
    static final int MAX_PACKET_BYTES = 64 * 1024;
    /** 20 ms first, doubling, jittered by half, at most 500 ms apart. */
    private static final IntervalFunction BACKOFF = IntervalFunction.ofExponentialRandomBackoff(
            Duration.ofMillis(20), 2.0, 0.5, Duration.ofMillis(500));

    private final Retry retry;
    private final int retries;

    /** @param retries how many times a refused statement is sent again; 0 disables */
    CertificationRetry(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries: " + retries + " (expected: >= 0)");
        }
        this.retries = retries;
        this.retry = Retry.of("db-certification", RetryConfig.<Integer>custom()
                .maxAttempts(retries + 1)
                .intervalFunction(BACKOFF)
                .retryOnResult(code -> code == ErrorCodes.ER_LOCK_DEADLOCK.code())
                .failAfterMaxAttempts(false)
                .build());
    }

    int retries() {
        return retries;
    }

    /** Whether a command may be sent again after a 1213, judged before it is sent. */
    boolean eligible(CommandType command, StatementKind kind, boolean inTransaction, boolean autocommit,
                     int packetBytes, boolean longDataSent) {
        if (retries == 0 || inTransaction || !autocommit || packetBytes > MAX_PACKET_BYTES) {
            return false;
        }
        return switch (command) {
            case COM_STMT_EXECUTE -> !longDataSent && writes(kind);
            case COM_QUERY -> writes(kind);
            default -> false;
        };
    }

    private static boolean writes(StatementKind kind) {
        return kind != null && switch (kind) {
            case INSERT, UPDATE, DELETE, REPLACE -> true;
            default -> false;
        };
    }

    /** Whether a backend packet, the first of an answer, is ERR 1213. */
    static boolean isConflict(ByteBuf firstPacket) {
        int at = firstPacket.readerIndex();
        return firstPacket.readableBytes() >= 3 && firstPacket.getUnsignedByte(at) == ErrPacket.HEADER
                && firstPacket.getUnsignedShortLE(at + 1) == ErrorCodes.ER_LOCK_DEADLOCK.code();
    }

    /** The retries of one statement. */
    Attempts start() {
        return new Attempts(retry.asyncContext());
    }

    /** One statement's tries; used on the session's event loop only. */
    static final class Attempts {
        private final Retry.AsyncContext<Integer> context;
        private int conflicts;

        private Attempts(Retry.AsyncContext<Integer> context) {
            this.context = context;
        }

        /** The statement got 1213: milliseconds until it is sent again, or -1 when the 1213 goes to the client. */
        long conflicted() {
            conflicts++;
            return context.onResult(ErrorCodes.ER_LOCK_DEADLOCK.code());
        }

        /** The statement got an answer other than 1213. */
        void answered() {
            context.onComplete();
        }

        int conflicts() {
            return conflicts;
        }
    }
}

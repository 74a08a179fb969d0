package ossidecar.amqp.proxy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import ossidecar.amqp.codec.ReplyCode;

/**
 * What a client connection does when its broker closes the connection (connection.close on
 * channel 0): a close the client did not cause is recovered like a lost node, anything else
 * goes to the client as the broker sent it.
 *
 * <ul>
 *   <li>320 CONNECTION_FORCED: a node shutting down, or an operator closing the connection;
 *       the node is marked down and the session moves.</li>
 *   <li>541 INTERNAL_ERROR: a process inside the broker crashed (RabbitMQ closes the whole
 *       connection when one of its channel processes dies), or a quorum queue had no leader
 *       to register a consumer with ("timed out consuming from quorum queue"), which happens
 *       while a replayed consumer meets a leader election. The node itself is healthy, so it
 *       stays up; the session moves. A client whose own traffic keeps crashing the broker must
 *       still learn of it, so only {@value #INTERNAL_ERRORS_RECOVERED} such closes within
 *       {@link #INTERNAL_ERROR_WINDOW} are recovered; the next one is passed on.</li>
 * </ul>
 * A close while the client is closing its connection is always passed on.
 */
public final class BrokerClosePolicy {
    public static final int INTERNAL_ERRORS_RECOVERED = 5;
    public static final Duration INTERNAL_ERROR_WINDOW = Duration.ofSeconds(60);

    enum Decision {
        /** The node is going away: mark it down and recover the session elsewhere. */
        RECOVER_NODE_DOWN,
        /** The broker failed, not the client: recover the session elsewhere, the node stays up. */
        RECOVER_BROKER_ERROR,
        /** The client's business: pass the close on. */
        PASS_ON
    }

    private final Deque<Long> internalErrors = new ArrayDeque<>();

    /**
     * @param code      the reply-code of the broker's connection.close
     * @param closing   whether the client has sent connection.close itself
     * @param nowNanos  {@link System#nanoTime()}, passed in so that the window is testable
     */
    Decision decide(int code, boolean closing, long nowNanos) {
        if (closing) {
            return Decision.PASS_ON;
        }
        return switch (code) {
            case ReplyCode.CONNECTION_FORCED -> Decision.RECOVER_NODE_DOWN;
            case ReplyCode.INTERNAL_ERROR -> internalError(nowNanos);
            default -> Decision.PASS_ON;
        };
    }

    private Decision internalError(long nowNanos) {
        long windowStart = nowNanos - INTERNAL_ERROR_WINDOW.toNanos();
        while (!internalErrors.isEmpty() && internalErrors.peekFirst() - windowStart < 0) {
            internalErrors.pollFirst();
        }
        if (internalErrors.size() >= INTERNAL_ERRORS_RECOVERED) {
            return Decision.PASS_ON;
        }
        internalErrors.addLast(nowNanos);
        return Decision.RECOVER_BROKER_ERROR;
    }

    /** How many internal errors were recovered within the window ending at {@code nowNanos}. */
    int internalErrorsRecovered() {
        return internalErrors.size();
    }
}

package ossidecar.amqp.recovery;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * Whether the proxy publishes a nacked message again, and after how long.
 *
 * <p>RabbitMQ nacks a publish to a quorum queue while the queue has no reachable leader (the
 * node that held it died and the election is not over, or a channel's queue client still points
 * at the dead leader). To a client that is a failed publish: oslo.messaging turns the nack into
 * a failed RPC call. The proxy keeps every publish until it is confirmed, so it can treat a nack
 * as "not enqueued yet" and publish again with jittered backoff, within a budget from the first
 * nack. Past the budget the nack goes to the client: a queue at {@code x-overflow: reject-publish}
 * still gets its nack in bounded time.
 *
 * @param budget how long after a publish's first nack it may still be published again; zero disables
 */
public record NackRetryPolicy(Duration budget) {
    /** Nacks go straight to the client. */
    public static final NackRetryPolicy OFF = new NackRetryPolicy(Duration.ZERO);
    /** Above RabbitMQ's quorum queue leader election after a node loss (a few seconds) with room to spare. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(15);

    /** First retry after about 50 ms, doubling, at most about 1 s apart: an election ends within a few. */
    private static final IntervalFunction BACKOFF = IntervalFunction.ofExponentialRandomBackoff(
            Duration.ofMillis(50), 2.0, 0.5, Duration.ofSeconds(1));

    public NackRetryPolicy {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget: " + budget + " (expected: >= 0)");
        }
    }

    /** The budget as configured, but never past the outage limit: a client must not wait longer for a nack than for a node. */
    public static NackRetryPolicy within(Duration budget, Duration outageLimit) {
        return new NackRetryPolicy(budget.compareTo(outageLimit) > 0 ? outageLimit : budget);
    }

    /** Whether a publish first nacked {@code sinceFirstNackNanos} ago is published again. */
    public boolean retry(long sinceFirstNackNanos) {
        return sinceFirstNackNanos < budget.toNanos();
    }

    /** How long to wait before the retry that follows the {@code nacks}-th nack (1-based), jittered. */
    public Duration delay(int nacks) {
        return Duration.ofMillis(BACKOFF.apply(Math.max(1, nacks)));
    }
}

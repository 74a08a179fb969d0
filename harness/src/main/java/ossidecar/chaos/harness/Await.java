package ossidecar.chaos.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline: the only way harness code and tests synchronise
 * with the clusters (never a fixed sleep).
 */
public final class Await {

    private static final long FIRST_POLL_MILLIS = 50;
    private static final long MAX_POLL_MILLIS = 250;

    private Await() {
    }

    /** Thrown when a condition did not become true before its deadline. */
    public static final class TimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message, Throwable lastFailure) {
            super(message, lastFailure);
        }
    }

    /**
     * Polls {@code condition} until it returns true, or throws {@link TimeoutException} naming
     * {@code what} once {@code timeout} has passed. An exception thrown by the condition counts
     * as "not yet" and becomes the cause of the timeout.
     */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        until(timeout, condition, () -> what);
    }

    /** As {@link #until(Duration, BooleanSupplier, String)}, with the description built lazily. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_POLL_MILLIS;
        RuntimeException lastFailure = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                lastFailure = null;
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("timed out after " + timeout + " waiting for: " + what.get(),
                        lastFailure);
            }
            sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            pause = Math.min(MAX_POLL_MILLIS, pause * 2);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}

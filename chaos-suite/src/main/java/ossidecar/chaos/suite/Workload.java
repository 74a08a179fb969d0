package ossidecar.chaos.suite;

import java.util.List;
import java.util.Map;

/**
 * Clients doing what an OpenStack service does through one of the proxies, counting what they
 * saw. A workload is started before the fault and finished after the heal; its checks are the
 * scenario's invariants for that kind of traffic.
 */
public interface Workload extends AutoCloseable {
    String name();

    /** Every operation the clients made, for the figures and the report's timeline. */
    Timeline timeline();

    /** Whether it makes traffic all along (idle sessions do not: they are used once at the end). */
    default boolean busy() {
        return true;
    }

    /**
     * Stops the clients, lets what is in flight settle (bounded), and verifies what the
     * servers hold against what the clients were told.
     */
    Result finish() throws Exception;

    /** Stops the clients without verifying; for a run cut short. Idempotent. */
    @Override
    void close();

    /** The invariants and the counts behind them. */
    record Result(List<Check> checks, Map<String, Object> counts) {
        public boolean held() {
            return checks.stream().allMatch(Check::held);
        }
    }
}

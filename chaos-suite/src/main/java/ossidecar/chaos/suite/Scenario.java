package ossidecar.chaos.suite;

import java.time.Duration;
import java.util.Set;

/**
 * A named fault under traffic: which proxies' workloads run, what is broken, for how long, and
 * which client-visible errors are what the sidecar promises rather than a failure.
 *
 * @param hold            how long the fault stays before it is healed (at least); counted on
 *                        top of the AMQP proxy's outage limit when {@code pastOutageLimit}
 * @param untilRecovered  also keep the fault until every workload succeeded again (a dead node
 *                        stays dead while the sidecar fails over; its restart comes after)
 * @param waived          checks that do not apply, because what they count is the promised
 *                        outcome here (connections closed once the outage limit is spent)
 * @param expectedErrors  error kinds the clients must have seen (that promised outcome)
 * @param ci              part of the subset the README's test command runs
 */
public record Scenario(String name, Set<Side> sides, Fault fault, Duration hold, boolean pastOutageLimit,
                       boolean untilRecovered, Set<String> waived, Set<String> expectedErrors, boolean ci) {
    /** Which proxy's traffic a scenario runs. */
    public enum Side { AMQP, DB }

    /** How long the fault stays in a sidecar whose AMQP outage limit is {@code outageLimit}. */
    public Duration holdWith(Duration outageLimit) {
        return pastOutageLimit ? outageLimit.plus(hold) : hold;
    }

    public String title() {
        return fault.describe();
    }
}

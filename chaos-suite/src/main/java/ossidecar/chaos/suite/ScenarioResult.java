package ossidecar.chaos.suite;

import java.util.List;
import java.util.Map;

/**
 * What one scenario did and found: when the fault came and went (seconds from the scenario's
 * start), each workload's checks, counts and figures, and the verdict.
 */
public record ScenarioResult(String name, String title, Status status, String reason, List<String> victims,
                             double faultAtS, double healAtS, double endS, double victimSeenUpAfterHealS,
                             List<WorkloadOutcome> workloads) {
    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * One workload's part.
     *
     * @param busy whether it made traffic all along (idle sessions are used once, at the end)
     */
    public record WorkloadOutcome(String name, boolean busy, List<Check> checks, Map<String, Object> counts,
                                  Timeline.Summary summary) {
    }

    public static ScenarioResult skipped(Scenario s, String why) {
        return new ScenarioResult(s.name(), s.title(), Status.SKIPPED, why, List.of(), -1, -1, -1, -1, List.of());
    }
}

package ossidecar.chaos.suite;

import java.util.List;

/** A run of the suite: where, when, and each scenario's result in order. */
public record SuiteResult(String deployment, String startedAt, double durationS, List<ScenarioResult> scenarios) {
    public long count(ScenarioResult.Status status) {
        return scenarios.stream().filter(s -> s.status() == status).count();
    }

    public boolean passed() {
        return count(ScenarioResult.Status.FAILED) == 0;
    }
}

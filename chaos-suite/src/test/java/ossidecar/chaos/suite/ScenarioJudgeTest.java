package ossidecar.chaos.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ossidecar.chaos.suite.ScenarioResult.Status;
import ossidecar.chaos.suite.ScenarioResult.WorkloadOutcome;

class ScenarioJudgeTest {
    private static final Scenario PLAIN = new Scenario("x", Set.of(Scenario.Side.AMQP),
            ProcessFault.kill(Target.AMQP_UNDER_CLIENTS), Duration.ZERO, false, true, Set.of(), Set.of(), false);
    private static final Scenario PROMISED = new Scenario("y", Set.of(Scenario.Side.AMQP),
            ProcessFault.kill(Target.AMQP_UNDER_CLIENTS), Duration.ZERO, true, false,
            Set.of("connection losses the client saw"), Set.of("connection lost"), false);

    private static WorkloadOutcome outcome(Map<String, Integer> errors, Check... checks) {
        Timeline.Summary s = new Timeline.Summary(10, errors, Map.of(), 5, new Timeline.Latency(0, -1, -1),
                new Timeline.Latency(0, -1, -1), new Timeline.Latency(0, -1, -1), List.of());
        return new WorkloadOutcome("w", true, List.of(checks), Map.of(), s);
    }

    @Test
    void allChecksHeldPasses() {
        ScenarioResult r = ScenarioRunner.judge(PLAIN, List.of("n"), List.of(outcome(Map.of(),
                Check.zero("lost", 0))), 1, 2, 3, 0.5);
        assertEquals(Status.PASSED, r.status());
        assertEquals("", r.reason());
    }

    @Test
    void aBrokenCheckFailsAndIsNamed() {
        ScenarioResult r = ScenarioRunner.judge(PLAIN, List.of("n"), List.of(outcome(Map.of("nack", 2),
                Check.zero("publishes nacked", 2))), 1, 2, 3, 0.5);
        assertEquals(Status.FAILED, r.status());
        assertEquals("w: publishes nacked = 2", r.reason());
    }

    @Test
    void aBrokenCheckCarriesTheFirstMessageOfEachErrorTheClientsSaw() {
        Timeline.Summary s = new Timeline.Summary(10, Map.of("1105", 1), Map.of("1105", "no writer (after 20000 ms)"),
                5, new Timeline.Latency(0, -1, -1), new Timeline.Latency(0, -1, -1), new Timeline.Latency(0, -1, -1),
                List.of());
        ScenarioResult r = ScenarioRunner.judge(PLAIN, List.of("n"), List.of(new WorkloadOutcome("bank", true,
                List.of(Check.zero("errors other than 1213", 1)), Map.of(), s)), 1, 2, 3, 0.5);
        assertEquals("bank: errors other than 1213 = 1 (first of each error: 1105: no writer (after 20000 ms))",
                r.reason());
    }

    @Test
    void aWaivedCheckHoldsButTheExpectedErrorMustHaveBeenSeen() {
        ScenarioResult seen = ScenarioRunner.judge(PROMISED, List.of("n"), List.of(outcome(
                Map.of("connection lost", 1), Check.zero("connection losses the client saw", 1))), 1, 2, 3, 0.5);
        assertEquals(Status.PASSED, seen.status());
        assertTrue(seen.workloads().get(0).checks().get(0).name().endsWith("(the promised outcome here)"));

        ScenarioResult notSeen = ScenarioRunner.judge(PROMISED, List.of("n"), List.of(outcome(Map.of(),
                Check.zero("connection losses the client saw", 0))), 1, 2, 3, 0.5);
        assertEquals(Status.FAILED, notSeen.status());
        assertTrue(notSeen.reason().contains("never saw 'connection lost'"), notSeen.reason());
    }
}

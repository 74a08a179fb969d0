package ossidecar.chaos.suite;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Runs scenarios one after another against one deployment, a progress line per scenario. */
public final class ChaosSuite {
    private ChaosSuite() {
    }

    public static SuiteResult run(List<Scenario> scenarios, String deploymentName, Deployment d, SystemUnderTest sut,
                                  Narrator narrator) throws InterruptedException {
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long t0 = System.nanoTime();
        ScenarioRunner runner = new ScenarioRunner(d, sut, narrator);
        List<ScenarioResult> results = new ArrayList<>();
        int i = 0;
        for (Scenario s : scenarios) {
            i++;
            narrator.say("scenario %d/%d %s ...", i, scenarios.size(), s.name());
            ScenarioResult r = runner.run(s);
            results.add(r);
            narrator.say("scenario %d/%d %s: %s%s", i, scenarios.size(), s.name(), r.status(),
                    r.reason().isEmpty() ? "" : " (" + r.reason() + ")");
        }
        return new SuiteResult(deploymentName, started, Math.round((System.nanoTime() - t0) / 1e8) / 10.0, results);
    }
}

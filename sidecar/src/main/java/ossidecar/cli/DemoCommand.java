package ossidecar.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ossidecar.chaos.suite.ChaosSuite;
import ossidecar.chaos.suite.LocalDeployment;
import ossidecar.chaos.suite.Narrator;
import ossidecar.chaos.suite.Scenario;
import ossidecar.chaos.suite.ScenarioResult;
import ossidecar.chaos.suite.Scenarios;
import ossidecar.chaos.suite.SuiteReport;
import ossidecar.chaos.suite.SuiteResult;
import ossidecar.core.config.SidecarConfig;

/**
 * {@code sidecar demo}: the whole product on one machine. Starts 3-node RabbitMQ and Galera
 * clusters from the installed packages, the sidecar with both proxies from a generated config,
 * a publishing/consuming workload through the AMQP proxy and bank transfers through the DB
 * router; kills the broker node under the proxy, then the Galera writer; prints what the
 * clients saw and where the report is, stops everything and ends.
 */
final class DemoCommand implements Command {
    static final List<String> SCENARIOS = List.of("amqp-sigkill", "db-writer-sigkill");

    @Override
    public boolean needsConfig() {
        return false;
    }

    @Override
    public Map<String, Boolean> options() {
        return Map.of("--report", true);
    }

    @Override
    public int execute(Path config, Map<String, String> options, PrintStream out, PrintStream err)
            throws InterruptedException {
        ChaosCommand.quietLogs();
        Path reportDir = Path.of(options.getOrDefault("--report", "demo-report"));
        List<Scenario> scenarios = SCENARIOS.stream().map(n -> Scenarios.named(n).orElseThrow()).toList();
        Narrator narrator = new Narrator(out);
        SuiteResult result;
        try (LocalDeployment d = LocalDeployment.start(true, true, narrator)) {
            Files.createDirectories(reportDir);
            Path yaml = reportDir.resolve("sidecar.yaml");
            Files.writeString(yaml, d.configYaml());
            SidecarConfig sidecar = d.sidecarConfig();
            try (SidecarRuntime runtime = SidecarRuntime.start(sidecar)) {
                ChaosCommand.quietLogs();
                narrator.say("sidecar running from the generated config %s: AMQP proxy on %s (heartbeat 2 s, "
                                + "outage limit 15 s), DB router split listener on %s, admin on %s (/status, /metrics)",
                        yaml, sidecar.amqp().listen(), sidecar.db().listeners().get(0).listen(),
                        sidecar.admin().listen());
                narrator.say("the clients' own recovery is off: whatever they survive, the sidecar did");
                result = ChaosSuite.run(scenarios, "sidecar demo: local clusters (harness)", d,
                        new RuntimeUnderTest(runtime, sidecar), narrator);
            }
        } catch (IOException | RuntimeException e) {
            err.println("sidecar demo failed: " + e.getMessage());
            return 1;
        }
        narrator.say("clusters stopped; every node process and temporary directory removed");
        out.println();
        out.println("What the clients saw:");
        for (ScenarioResult s : result.scenarios()) {
            out.printf("  %s, %s on %s: %s%n", s.name(), s.title(), String.join(", ", s.victims()), s.status());
            for (ScenarioResult.WorkloadOutcome o : s.workloads()) {
                out.printf("    %s%n      %s%n      %s%n", o.name(), o.checks().stream()
                        .map(c -> c.name() + " " + c.detail() + (c.held() ? "" : " (BROKEN)"))
                        .collect(Collectors.joining(", ")), o.counts().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
                if (o.busy() && o.summary().successes() > 0) {
                    out.printf("      first success %.0f ms after the fault; p99 latency %.1f ms before, %.1f during, "
                                    + "%.1f after%n", o.summary().firstSuccessAfterFaultMs(), o.summary().before().p99Ms(),
                            o.summary().during().p99Ms(), o.summary().after().p99Ms());
                }
            }
            if (!s.reason().isEmpty()) {
                out.println("    " + s.reason());
            }
        }
        try {
            Path html = SuiteReport.write(result, reportDir);
            out.println("report: " + html.toAbsolutePath() + " (open it in a browser; the config the sidecar ran "
                    + "with is beside it)");
        } catch (IOException e) {
            err.println("sidecar demo: cannot write the report: " + e.getMessage());
            return 1;
        }
        boolean held = result.scenarios().stream().allMatch(s -> s.status() == ScenarioResult.Status.PASSED);
        out.println(held ? "every invariant held: no confirmed message lost, no commit lost, money unchanged, "
                + "no error but the deadlocks (1213, 1205) oslo.db retries" : "INVARIANT BROKEN: see above and the report");
        return held ? 0 : 1;
    }
}

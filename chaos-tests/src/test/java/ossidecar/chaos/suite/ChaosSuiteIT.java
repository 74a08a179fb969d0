package ossidecar.chaos.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.cli.RuntimeUnderTest;
import ossidecar.cli.SidecarRuntime;
import ossidecar.core.config.SidecarConfig;

/**
 * The chaos suite's CI subset (every scenario marked {@code ci}) against local clusters, through
 * the product's own runtime started from the generated config, as {@code sidecar chaos --ci}
 * runs it; then its report as an operator opens it, in Debian's headless Chromium. Set
 * {@code -Dchaos.full=true} to run every scenario instead (about 9 minutes here).
 */
class ChaosSuiteIT {
    @TempDir
    Path scratch;

    @Test
    void theScenariosHoldTheirInvariantsAndTheReportRendersInChromium() throws Exception {
        List<Scenario> scenarios = Boolean.getBoolean("chaos.full") ? Scenarios.all() : Scenarios.ci();
        Narrator narrator = new Narrator(System.out);
        SuiteResult result;
        try (LocalDeployment d = LocalDeployment.on(SharedClusters.rabbit(), SharedClusters.galera(), narrator)) {
            SidecarConfig config = d.sidecarConfig();
            try (SidecarRuntime runtime = SidecarRuntime.start(config)) {
                result = ChaosSuite.run(scenarios, "local clusters (harness), " + (Boolean.getBoolean("chaos.full")
                        ? "full suite" : "CI subset"), d, new RuntimeUnderTest(runtime, config), narrator);
            }
        }
        Path dir = Path.of("target", "chaos-report");
        Path html = SuiteReport.write(result, dir);

        ChromiumPage.Rendered page = ChromiumPage.render(html, scratch);
        assertEquals(List.of(), page.consoleProblems(), "console errors while loading the report");
        for (Scenario s : scenarios) {
            assertTrue(page.dom().contains("id=\"scenario-" + s.name() + "\""), "section for " + s.name());
        }
        ChromiumPage.screenshot(html, dir.resolve("chaos-report.png"), scratch);

        List<String> notPassed = result.scenarios().stream().filter(s -> s.status() != ScenarioResult.Status.PASSED)
                .map(s -> s.name() + " " + s.status() + ": " + s.reason()).toList();
        assertEquals(List.of(), notPassed, "every scenario passes locally (nothing is skipped: the harness can "
                + "do every fault); report in " + html.toAbsolutePath());
        for (ScenarioResult s : result.scenarios()) {
            for (ScenarioResult.WorkloadOutcome o : s.workloads()) {
                assertFalse(o.checks().isEmpty(), s.name() + " " + o.name() + " checked something");
                if (o.busy()) {
                    assertTrue(o.summary().successes() > 0, s.name() + " " + o.name() + " made traffic");
                }
            }
        }
    }

    @Test
    void theConsoleCheckSeesAScriptError() throws Exception {
        Path broken = scratch.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><p id=\"x\">x</p>"
                + "<script>console.error('deliberate'); undefinedFunction();</script></body></html>");
        ChromiumPage.Rendered page = ChromiumPage.render(broken, scratch);
        assertEquals(2, page.consoleProblems().size(), page.consoleProblems().toString());
        assertTrue(page.dom().contains("id=\"x\""), page.dom());
    }
}

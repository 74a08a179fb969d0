package ossidecar.chaos.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteReportTest {
    static SuiteResult sample() {
        Timeline t = new Timeline(0);
        long s = 1_000_000_000L;
        for (int i = 0; i < 20; i++) {
            t.success(i * s / 10, i * s / 10 + 3_000_000); // before the fault at 2 s
        }
        t.error(2 * s, 2 * s + 1000, "nack");
        t.success(3 * s, 3 * s + 800_000_000L); // the first to succeed after the fault: 1.8 s after it
        for (int i = 40; i < 60; i++) {
            t.success(i * s / 10, i * s / 10 + 3_000_000);
        }
        Timeline.Summary summary = t.summarize(2 * s, 2 * s, 3 * s, 6 * s);
        ScenarioResult passed = new ScenarioResult("amqp-sigkill", "SIGKILL of the broker node <under> clients",
                ScenarioResult.Status.PASSED, "", List.of("rabbit-1"), 2, 3, 6, 1.2,
                List.of(new ScenarioResult.WorkloadOutcome("confirmed publishing (AMQP)", true,
                        List.of(Check.zero("confirmed messages lost", 0)), Map.of("published", 51), summary)));
        ScenarioResult failed = new ScenarioResult("db-writer-sigkill", "SIGKILL of the Galera writer",
                ScenarioResult.Status.FAILED, "bank: errors other than 1213 = 3", List.of("galera-2"), 2, 3, 6, 2,
                List.of(new ScenarioResult.WorkloadOutcome("bank transfers (DB)", true,
                        List.of(Check.zero("errors other than 1213", 3)), Map.of("committed", 40), summary)));
        ScenarioResult skipped = ScenarioResult.skipped(Scenarios.named("amqp-latency-500ms").orElseThrow(),
                "no Toxiproxy proxy in front of rabbit-1");
        return new SuiteResult("test & co", "2026-12-07T20:00:00Z", 42.5, List.of(passed, failed, skipped));
    }

    @Test
    void thePageIsSelfContainedAndShowsEveryScenario(@TempDir Path dir) throws Exception {
        Path html = SuiteReport.write(sample(), dir);
        String page = Files.readString(html);
        for (String name : List.of("amqp-sigkill", "db-writer-sigkill", "amqp-latency-500ms")) {
            assertTrue(page.contains("id=\"scenario-" + name + "\""), name);
        }
        assertTrue(page.contains("1 passed, 1 failed, 1 skipped"));
        assertTrue(page.contains("&lt;under&gt;"), "text is escaped");
        assertFalse(page.contains("<under>"));
        assertFalse(page.contains("<script"), "no script");
        // nothing fetched from elsewhere: only in-page anchors, and the SVG namespace (an identifier, not a fetch)
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(page);
        List<String> external = new ArrayList<>();
        while (refs.find()) {
            if (!refs.group(1).startsWith("#")) {
                external.add(refs.group(1));
            }
        }
        assertEquals(List.of(), external);
        assertFalse(page.contains("@import") || page.contains("url("), "no external style or font");
        assertEquals(2, count(page, "<svg"), "a timeline per workload that ran");
        assertTrue(page.contains("fill=\"#d22\""), "the nack is drawn as an error bar");
    }

    @Test
    void theJsonCarriesTheFiguresForMachines(@TempDir Path dir) throws Exception {
        SuiteReport.write(sample(), dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve(SuiteReport.JSON).toFile());
        assertEquals(3, root.get("scenarios").size());
        JsonNode first = root.get("scenarios").get(0);
        assertEquals("PASSED", first.get("status").asText());
        JsonNode summary = first.get("workloads").get(0).get("summary");
        assertEquals(1, summary.get("errorsByKind").get("nack").asInt());
        assertEquals(1800.0, summary.get("firstSuccessAfterFaultMs").asDouble(), 0.01);
        assertTrue(summary.get("seconds").size() >= 6);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}

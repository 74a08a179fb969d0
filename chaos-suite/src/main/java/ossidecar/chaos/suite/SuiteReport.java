package ossidecar.chaos.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ossidecar.chaos.suite.ScenarioResult.WorkloadOutcome;

/**
 * Writes a suite run as {@code chaos-report.json} and one self-contained
 * {@code chaos-report.html}: no script, no external style, font or image, since operators' hosts
 * are often offline. The page has the table of scenarios and, per scenario, its checks,
 * figures and a timeline per workload drawn as inline SVG with the fault window shaded.
 */
public final class SuiteReport {
    public static final String JSON = "chaos-report.json";
    public static final String HTML = "chaos-report.html";

    private SuiteReport() {
    }

    /** Writes both files into {@code dir} (created when missing); returns the HTML page's path. */
    public static Path write(SuiteResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), r);
        Path html = dir.resolve(HTML);
        Files.writeString(html, html(r));
        return html;
    }

    static String html(SuiteResult r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Sidecar chaos report ").append(esc(r.startedAt())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top;font-size:13px}")
                .append(".PASSED{background:#d8f0d8}.FAILED{background:#f6d0d0}.SKIPPED{background:#eee}")
                .append("section{border-top:2px solid #888;margin-top:1.5em}svg{background:#fafafa;border:1px solid #ddd}")
                .append(".held{color:#060}.broken{color:#a00;font-weight:bold}small{color:#555}")
                .append("</style></head><body>\n");
        h.append("<h1>Sidecar chaos report</h1><p>").append(esc(r.deployment())).append(", started ")
                .append(esc(r.startedAt())).append(", ").append(r.durationS()).append(" s. <b>")
                .append(r.count(ScenarioResult.Status.PASSED)).append(" passed, ")
                .append(r.count(ScenarioResult.Status.FAILED)).append(" failed, ")
                .append(r.count(ScenarioResult.Status.SKIPPED)).append(" skipped</b>.</p>\n");
        h.append("<table id=\"scenarios\"><tr><th>scenario</th><th>fault</th><th>node</th><th>verdict</th>")
                .append("<th>first success after the fault (ms)</th><th>errors the clients saw</th>")
                .append("<th>p99 ms before / during / after</th></tr>\n");
        for (ScenarioResult s : r.scenarios()) {
            h.append("<tr class=\"").append(s.status()).append("\"><td><a href=\"#").append(id(s)).append("\">")
                    .append(esc(s.name())).append("</a></td><td>").append(esc(s.title())).append("</td><td>")
                    .append(esc(String.join(", ", s.victims()))).append("</td><td>").append(s.status());
            if (!s.reason().isEmpty()) {
                h.append("<br><small>").append(esc(s.reason())).append("</small>");
            }
            h.append("</td><td>").append(perWorkload(s, o -> fmt(o.summary().firstSuccessAfterFaultMs())))
                    .append("</td><td>").append(perWorkload(s, o -> o.summary().errorsByKind().isEmpty() ? "none"
                            : o.summary().errorsByKind().toString()))
                    .append("</td><td>").append(perWorkload(s, o -> fmt(o.summary().before().p99Ms()) + " / "
                            + fmt(o.summary().during().p99Ms()) + " / " + fmt(o.summary().after().p99Ms())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ScenarioResult s : r.scenarios()) {
            section(h, s);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void section(StringBuilder h, ScenarioResult s) {
        h.append("<section id=\"").append(id(s)).append("\"><h2>").append(esc(s.name())).append(": ")
                .append(s.status()).append("</h2><p>").append(esc(s.title()));
        if (!s.victims().isEmpty()) {
            h.append(" on ").append(esc(String.join(", ", s.victims())));
        }
        if (s.faultAtS() >= 0) {
            h.append("; fault at ").append(s.faultAtS()).append(" s, healed at ").append(s.healAtS())
                    .append(" s, the sidecar saw the node usable again ").append(fmt(s.victimSeenUpAfterHealS()))
                    .append(" s after the heal");
        }
        h.append(".</p>");
        if (!s.reason().isEmpty()) {
            h.append("<p class=\"").append(s.status() == ScenarioResult.Status.FAILED ? "broken" : "")
                    .append("\">").append(esc(s.reason())).append("</p>");
        }
        for (WorkloadOutcome o : s.workloads()) {
            h.append("<h3>").append(esc(o.name())).append("</h3><table><tr><th>check</th><th>value</th><th></th></tr>");
            for (Check c : o.checks()) {
                h.append("<tr><td>").append(esc(c.name())).append("</td><td>").append(esc(c.detail()))
                        .append("</td><td class=\"").append(c.held() ? "held\">held" : "broken\">BROKEN")
                        .append("</td></tr>");
            }
            h.append("</table><table>");
            for (Map.Entry<String, Object> e : o.counts().entrySet()) {
                h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(String.valueOf(e.getValue())))
                        .append("</td></tr>");
            }
            for (Map.Entry<String, Object> e : o.summary().figures().entrySet()) {
                h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(String.valueOf(e.getValue())))
                        .append("</td></tr>");
            }
            h.append("</table>");
            if (o.busy() && o.summary().seconds().size() > 1) {
                h.append(TimelineSvg.draw(o.summary().seconds(), s.faultAtS(), s.healAtS()));
            }
        }
        h.append("</section>\n");
    }

    private static String perWorkload(ScenarioResult s, java.util.function.Function<WorkloadOutcome, String> f) {
        List<String> parts = s.workloads().stream().filter(WorkloadOutcome::busy)
                .map(o -> shortName(o.name()) + ": " + f.apply(o)).toList();
        return esc(String.join("\n", parts)).replace("\n", "<br>");
    }

    private static String shortName(String workload) {
        int paren = workload.indexOf(" (");
        return paren > 0 ? workload.substring(0, paren) : workload;
    }

    static String id(ScenarioResult s) {
        return "scenario-" + s.name().replaceAll("[^A-Za-z0-9-]", "-");
    }

    static String fmt(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package ossidecar.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import ossidecar.chaos.harness.PortAllocator;
import ossidecar.chaos.suite.ChaosSuite;
import ossidecar.chaos.suite.Deployment;
import ossidecar.chaos.suite.ExternalDeployment;
import ossidecar.chaos.suite.LocalDeployment;
import ossidecar.chaos.suite.Narrator;
import ossidecar.chaos.suite.Scenario;
import ossidecar.chaos.suite.ScenarioResult;
import ossidecar.chaos.suite.Scenarios;
import ossidecar.chaos.suite.SuiteReport;
import ossidecar.chaos.suite.SuiteResult;
import ossidecar.core.config.AdminConfig;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.ConfigException;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.DbListener;
import ossidecar.core.config.Endpoint;
import ossidecar.core.config.SidecarConfig;

/**
 * {@code sidecar chaos}: the fault scenarios of the suite under client workloads through the
 * proxies, against local clusters or (with {@code -c}) a real deployment; a progress line per
 * scenario, then a table, and an HTML and JSON report. Exit 1 when a scenario failed.
 */
final class ChaosCommand implements Command {
    static final String CONFIRM = "--i-know-this-breaks-things";

    @Override
    public boolean needsConfig() {
        return false;
    }

    @Override
    public Map<String, Boolean> options() {
        return Map.of(CONFIRM, false, "--only", true, "--ci", false, "--report", true);
    }

    @Override
    public int execute(Path config, Map<String, String> options, PrintStream out, PrintStream err)
            throws InterruptedException {
        List<Scenario> scenarios;
        try {
            scenarios = choose(options);
        } catch (IllegalArgumentException e) {
            err.println("sidecar chaos: " + e.getMessage());
            return 2;
        }
        if (config != null && !options.containsKey(CONFIRM)) {
            err.println("sidecar chaos -c: this kills, pauses and cuts off the nodes " + config + " names, "
                    + "with the commands of its chaos: section. If that is what you want, add " + CONFIRM + ".");
            return 2;
        }
        Path reportDir = Path.of(options.getOrDefault("--report", "chaos-report-"
                + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "")));
        quietLogs();
        Narrator narrator = new Narrator(out);
        SuiteResult result;
        try (Deployment d = config == null ? local(scenarios, narrator) : external(config)) {
            SidecarConfig sidecar = onFreeLoopbackPorts(d.sidecarConfig());
            try (SidecarRuntime runtime = SidecarRuntime.start(sidecar)) {
                quietLogs(); // after the runtime set the config's level
                narrator.say("sidecar started: AMQP proxy %s, DB router %s, admin http://%s/status", sidecar.amqp()
                        .enabled() ? sidecar.amqp().listen() : "off", sidecar.db().enabled()
                        ? sidecar.db().listeners().get(0).listen() : "off", sidecar.admin().listen());
                result = ChaosSuite.run(scenarios, config == null ? "local clusters (harness)" : config.toString(), d,
                        new RuntimeUnderTest(runtime, sidecar), narrator);
            }
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("sidecar chaos failed: " + e.getMessage());
            return 1;
        }
        printTable(result, out);
        try {
            Path html = SuiteReport.write(result, reportDir);
            out.println("report: " + html.toAbsolutePath() + " (and " + SuiteReport.JSON + " beside it)");
        } catch (IOException e) {
            err.println("sidecar chaos: cannot write the report to " + reportDir + ": " + e.getMessage());
            return 1;
        }
        return result.passed() ? 0 : 1;
    }

    static List<Scenario> choose(Map<String, String> options) {
        if (options.containsKey("--only")) {
            List<Scenario> chosen = new ArrayList<>();
            for (String name : options.get("--only").split(",")) {
                chosen.add(Scenarios.named(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                        "no scenario named '" + name.trim() + "' (known: " + Scenarios.all().stream()
                                .map(Scenario::name).toList() + ")")));
            }
            return chosen;
        }
        return options.containsKey("--ci") ? Scenarios.ci() : Scenarios.all();
    }

    private static Deployment local(List<Scenario> scenarios, Narrator narrator) throws IOException {
        boolean amqp = scenarios.stream().anyMatch(s -> s.sides().contains(Scenario.Side.AMQP));
        boolean db = scenarios.stream().anyMatch(s -> s.sides().contains(Scenario.Side.DB));
        return LocalDeployment.start(amqp, db, narrator);
    }

    private static Deployment external(Path config) {
        return new ExternalDeployment(ConfigLoader.load(config));
    }

    /**
     * The suite runs its own sidecar beside any that serves the deployment: same nodes and
     * settings, its listeners and admin endpoint on free loopback ports.
     */
    static SidecarConfig onFreeLoopbackPorts(SidecarConfig c) {
        PortAllocator ports = new PortAllocator();
        AmqpProxyConfig a = c.amqp();
        AmqpProxyConfig amqp = new AmqpProxyConfig(a.enabled(), new Endpoint("127.0.0.1", ports.allocate()), a.nodes(),
                a.strategy(), a.heartbeat(), a.connectTimeout(), a.outageLimit(), a.nackRetryBudget(),
                a.publishBufferBytes(), a.probeInterval());
        List<DbListener> listeners = c.db().listeners().stream()
                .map(l -> new DbListener(l.role(), new Endpoint("127.0.0.1", ports.allocate()))).toList();
        return new SidecarConfig(new AdminConfig(true, new Endpoint("127.0.0.1", ports.allocate())), amqp,
                c.db().withListeners(listeners), c.logLevel(), c.chaos());
    }

    private static void printTable(SuiteResult r, PrintStream out) {
        out.println();
        out.printf("%-26s %-8s %s%n", "scenario", "verdict", "what the clients saw");
        for (ScenarioResult s : r.scenarios()) {
            List<String> seen = new ArrayList<>();
            for (ScenarioResult.WorkloadOutcome o : s.workloads()) {
                if (o.busy()) {
                    seen.add(shortName(o.name()) + ": first success " + o.summary().firstSuccessAfterFaultMs()
                            + " ms after the fault, errors " + (o.summary().errorsByKind().isEmpty() ? "none"
                            : o.summary().errorsByKind()));
                }
            }
            out.printf("%-26s %-8s %s%n", s.name(), s.status(), s.status() == ScenarioResult.Status.PASSED
                    ? String.join("; ", seen) : s.reason());
        }
        out.printf("%d passed, %d failed, %d skipped in %.0f s%n", r.count(ScenarioResult.Status.PASSED),
                r.count(ScenarioResult.Status.FAILED), r.count(ScenarioResult.Status.SKIPPED), r.durationS());
    }

    private static String shortName(String workload) {
        int paren = workload.indexOf(" (");
        return paren > 0 ? workload.substring(0, paren) : workload;
    }

    static void quietLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        // the JDBC driver logs every error it receives, the workloads' own 1213s among them: the report counts them
        ((Logger) LoggerFactory.getLogger("org.mariadb.jdbc")).setLevel(Level.ERROR);
        ((Logger) LoggerFactory.getLogger("com.rabbitmq")).setLevel(Level.ERROR);
        // why the election waits, when it does
        ((Logger) LoggerFactory.getLogger("ossidecar.db.galera.WriterElection")).setLevel(Level.INFO);
    }

}

package ossidecar.chaos.suite;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.suite.ScenarioResult.Status;
import ossidecar.chaos.suite.ScenarioResult.WorkloadOutcome;
import ossidecar.chaos.workload.BankTransfers;
import ossidecar.chaos.workload.IdleSessions;
import ossidecar.chaos.workload.NumberedMessages;
import ossidecar.chaos.workload.ReadYourWrites;
import ossidecar.chaos.workload.RpcCalls;

/**
 * Runs one scenario: starts its workloads through the sidecar, lets them run a baseline,
 * chooses the victims from what the sidecar reports, injects the fault, holds it, heals it,
 * waits for the traffic and the sidecar's view of the victims to come back, and judges what
 * the clients saw. The deployment is put back whole before and after, whatever happened.
 */
public final class ScenarioRunner {
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    private static final Duration BASELINE = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(3);
    private static final int WARM = 20;

    private final Deployment deployment;
    private final SystemUnderTest sut;
    private final Narrator narrator;

    public ScenarioRunner(Deployment deployment, SystemUnderTest sut, Narrator narrator) {
        this.deployment = deployment;
        this.sut = sut;
        this.narrator = narrator;
    }

    public ScenarioResult run(Scenario s) throws InterruptedException {
        long origin = System.nanoTime();
        List<Workload> workloads = new ArrayList<>();
        List<String> victims = List.of();
        try {
            deployment.restoreAll(sut);
            start(s, origin, workloads);
            for (Workload w : workloads) {
                if (w.busy()) {
                    await(START_BOUND, () -> w.timeline().successesSince(origin) >= WARM, w.name() + " running");
                }
            }
            Thread.sleep(BASELINE.toMillis());
            victims = s.fault().victims(sut, deployment);
            if (victims.isEmpty()) {
                return failed(s, "no node to hit for " + s.title() + " (the sidecar reports none)", victims, workloads);
            }
            var cannot = s.fault().cannot(deployment, victims);
            if (cannot.isPresent()) {
                return ScenarioResult.skipped(s, cannot.get());
            }
            narrator.say("%s: %s (%s)", s.name(), s.title(), String.join(", ", victims));
            long faultAt = System.nanoTime();
            s.fault().inject(deployment, victims);
            long effective = s.fault().inEffectOnReturn() ? System.nanoTime() : faultAt;
            long holdUntil = faultAt + s.holdWith(deployment.sidecarConfig().amqp().outageLimit()).toNanos();
            sleepUntil(holdUntil);
            if (s.untilRecovered()) {
                for (Workload w : busy(workloads)) {
                    // begun after the fault took effect: one in flight across it proves nothing
                    await(deployment.recoveryBound(), () -> w.timeline().successesBegunSince(effective) > 0,
                            w.name() + " succeeding again under " + s.title());
                }
            }
            long healAt = System.nanoTime();
            s.fault().heal(deployment, victims);
            long healed = System.nanoTime();
            for (String v : victims) {
                await(deployment.recoveryBound(), () -> sut.seesUp(v), "the sidecar to see " + v + " usable again");
            }
            double seenUp = (System.nanoTime() - healed) / 1e9;
            for (Workload w : busy(workloads)) {
                await(deployment.recoveryBound(), () -> w.timeline().successesBegunSince(healed) >= WARM,
                        w.name() + " running after the heal");
            }
            Thread.sleep(AFTER.toMillis());
            long end = System.nanoTime();
            List<WorkloadOutcome> outcomes = new ArrayList<>();
            for (Workload w : workloads) {
                Workload.Result r = w.finish();
                outcomes.add(new WorkloadOutcome(w.name(), w.busy(), r.checks(), r.counts(),
                        w.timeline().summarize(faultAt, effective, healAt, end)));
            }
            return judge(s, victims, outcomes, seconds(origin, faultAt), seconds(origin, healAt),
                    seconds(origin, end), seenUp);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return failed(s, e.getClass().getSimpleName() + ": " + e.getMessage(), victims, workloads);
        } finally {
            workloads.forEach(Workload::close);
            try {
                deployment.restoreAll(sut);
            } catch (Exception e) {
                narrator.say("%s: could not put the deployment back: %s", s.name(), e.getMessage());
            }
        }
    }

    /** Waived checks stay in the report as held, with the reason; expected error kinds become checks. */
    static ScenarioResult judge(Scenario s, List<String> victims, List<WorkloadOutcome> outcomes, double faultAt,
                                double healAt, double end, double seenUp) {
        List<WorkloadOutcome> judged = new ArrayList<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (WorkloadOutcome o : outcomes) {
            o.summary().errorsByKind().forEach((k, n) -> seen.merge(k, n, Integer::sum));
            List<Check> checks = o.checks().stream().map(c -> s.waived().contains(c.name())
                    ? new Check(c.name() + " (the promised outcome here)", true, c.detail()) : c).toList();
            judged.add(new WorkloadOutcome(o.name(), o.busy(), checks, o.counts(), o.summary()));
        }
        List<String> broken = new ArrayList<>();
        for (String kind : s.expectedErrors()) {
            if (seen.getOrDefault(kind, 0) == 0) {
                broken.add("the clients never saw '" + kind + "', the promised outcome here");
            }
        }
        for (WorkloadOutcome o : judged) {
            List<String> failed = o.checks().stream().filter(c -> !c.held()).map(c -> c.name() + " = " + c.detail())
                    .toList();
            if (!failed.isEmpty()) {
                // what the clients were told, so that the line says what to look at
                List<String> seenFirst = o.summary().errorExamples().entrySet().stream()
                        .map(e -> e.getKey() + ": " + abbreviate(e.getValue())).toList();
                broken.add(o.name() + ": " + String.join(", ", failed)
                        + (seenFirst.isEmpty() ? "" : " (first of each error: " + String.join("; ", seenFirst) + ")"));
            }
        }
        return new ScenarioResult(s.name(), s.title(), broken.isEmpty() ? Status.PASSED : Status.FAILED,
                String.join("; ", broken), victims, faultAt, healAt, end, seenUp, judged);
    }

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private void start(Scenario s, long origin, List<Workload> workloads) throws Exception {
        ConnectionFactory amqp = null;
        if (s.sides().contains(Scenario.Side.AMQP)) {
            amqp = new ConnectionFactory();
            amqp.setHost("127.0.0.1");
            amqp.setPort(sut.amqpPort());
            amqp.setUsername(deployment.amqpUser());
            amqp.setPassword(deployment.amqpPassword());
            amqp.setVirtualHost(deployment.amqpVhost());
            // what the client survives, the proxy did
            amqp.setAutomaticRecoveryEnabled(false);
            workloads.add(new NumberedMessages(amqp, "chaos-" + s.name(), narrator, new Timeline(origin)));
            workloads.add(new RpcCalls(amqp, "chaos-rpc-" + s.name(), new Timeline(origin)));
        }
        String url = null;
        if (s.sides().contains(Scenario.Side.DB)) {
            // the client's own timeouts, as an OpenStack service has them (PyMySQL connects within
            // 10 s): without them Connector/J takes DriverManager's login timeout, which is
            // JVM-wide and set to 1 s by the HikariCP pools of the router's monitor in this JVM
            url = "jdbc:mariadb://127.0.0.1:" + sut.dbPort() + "/?connectTimeout=10000&socketTimeout=60000";
            workloads.add(new BankTransfers(url, deployment.dbUser(), deployment.dbPassword(), 4, new Timeline(origin),
                    this::checkUrl));
            workloads.add(new ReadYourWrites(url, deployment.dbUser(), deployment.dbPassword(), 2,
                    new Timeline(origin)));
        }
        workloads.add(new IdleSessions(amqp, url, deployment.dbUser(), deployment.dbPassword(), 4,
                new Timeline(origin)));
    }

    /** A node to read the ledger from directly once the run is over: the writer, which has it all. */
    private String checkUrl() {
        String writer = sut.dbWriter();
        return deployment.jdbcUrlOf(writer != null ? writer
                : deployment.sidecarConfig().db().nodes().get(0).name());
    }

    private static List<Workload> busy(List<Workload> workloads) {
        return workloads.stream().filter(Workload::busy).toList();
    }

    /**
     * A run cut short still shows what each workload's clients saw until then (no checks: they
     * were never finished), which is what tells why it was cut.
     */
    private ScenarioResult failed(Scenario s, String why, List<String> victims, List<Workload> workloads) {
        narrator.say("%s: %s", s.name(), why);
        long now = System.nanoTime();
        List<WorkloadOutcome> seen = workloads.stream().map(w -> new WorkloadOutcome(w.name(), w.busy(), List.of(),
                Map.<String, Object>of(), w.timeline().summarize(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, now)))
                .toList();
        return new ScenarioResult(s.name(), s.title(), Status.FAILED, why, victims, -1, -1, -1, -1, seen);
    }

    private static double seconds(long origin, long t) {
        return Math.round((t - origin) / 1e7) / 100.0;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** The harness's poll with a deadline; its timeout names what was awaited. */
    private static void await(Duration bound, BooleanSupplier condition, String what) {
        Await.until(bound, condition, what);
    }
}

package ossidecar.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ossidecar.chaos.harness.PortAllocator;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * RabbitMQ PerfTest against one broker node directly, through HAProxy (TCP mode, one server)
 * and through the sidecar's AMQP proxy (in a JVM of its own), interleaved: every round runs
 * each case against the three targets in turn, so that the machine's drift hits all of them
 * alike. Reports per case and target the median and the spread over the rounds of msg/s,
 * consumer latency (median and 99th percentile of PerfTest's per-second figures), and for the
 * two proxies CPU seconds per 100,000 messages and resident memory. Writes Markdown and JSON.
 *
 * <p>Args: {@code [seconds per run (20)] [rounds (3)] [cases, comma-separated (all)] [--nio-too] [--jfr FILE]};
 * {@code --nio-too} adds the proxy on Java NIO (instead of native epoll) as a target;
 * {@code --baseline DIR} adds the proxy of an earlier build whose jars are in DIR (its
 * {@code sidecar/target/dist/lib}), to show what a change did in the same run; {@code --jvm-variant
 * "OPTIONS"} adds this build's proxy in a JVM started with OPTIONS (heap and GC settings);
 * with {@code --jfr} the proxy's JVM records a Java Flight Recording (settings "profile") to FILE,
 * summarised into {@code amqp-profile.md} beside the results.
 */
public final class AmqpPerfBench {
    private static final Pattern RECEIVING = Pattern.compile("receiving rate avg: (\\d+) msg/s");
    private static final Pattern SENDING = Pattern.compile("sending rate avg: (\\d+) msg/s");
    private static final Pattern LATENCY = Pattern.compile(
            "consumer latency: (\\d+)/(\\d+)/(\\d+)/(\\d+)/(\\d+) (µs|ms)");
    private static final List<String> TARGETS = List.of("direct", "haproxy", "sidecar");
    /** With {@code --nio-too}: the proxy again on Java NIO instead of native epoll, in the same rounds. */
    private static final String SIDECAR_NIO = "sidecar-nio";
    /** With {@code --baseline DIR}: the proxy of an earlier build (its jars in DIR), in the same rounds. */
    private static final String BASELINE = "sidecar-baseline";
    /** With {@code --jvm-variant OPTIONS}: this build's proxy again, its JVM started with OPTIONS. */
    private static final String VARIANT = "sidecar-jvm-variant";
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    /** One PerfTest configuration. */
    record Case(String name, int producers, int consumers, int size, boolean confirms) {
        List<String> args() {
            List<String> a = new ArrayList<>(List.of("-x", Integer.toString(producers), "-y", Integer.toString(consumers),
                    "-s", Integer.toString(size), "-f", "persistent", "-q", "100"));
            if (confirms) {
                a.addAll(List.of("-c", "100"));
            }
            return a;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("1x1-1kb-confirms", 1, 1, 1000, true),
            new Case("1x1-1kb", 1, 1, 1000, false),
            new Case("10x10-1kb-confirms", 10, 10, 1000, true),
            new Case("1x1-100kb-confirms", 1, 1, 100_000, true));

    /** What one case against one target gave over the rounds. */
    static final class Figures {
        final Samples rate = new Samples();
        final Samples latencyP50Ms = new Samples();
        final Samples latencyP99Ms = new Samples();
        final Samples cpuPer100k = new Samples();
        final Samples rssMiB = new Samples();
    }

    private AmqpPerfBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Path jfr = null;
        boolean nioToo = false;
        Path baseline = null;
        String variantOptions = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--nio-too")) {
                nioToo = true;
            } else if (args[i].equals("--jvm-variant")) {
                variantOptions = args[++i];
            } else if (args[i].equals("--baseline")) {
                baseline = Path.of(args[++i]).toAbsolutePath();
            } else if (args[i].equals("--jfr")) {
                jfr = Path.of(args[++i]).toAbsolutePath();
            } else {
                positional.add(args[i]);
            }
        }
        Path results = Path.of(positional.get(0));
        int seconds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 20;
        int rounds = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 3;
        List<Case> cases = positional.size() > 3 ? CASES.stream()
                .filter(c -> List.of(positional.get(3).split(",")).contains(c.name())).toList() : CASES;
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no such case: " + positional.get(3) + " (cases: "
                    + CASES.stream().map(Case::name).toList() + ")");
        }
        Machine machine = Machine.describe();
        Path work = Files.createTempDirectory("amqp-bench");
        Map<String, Map<String, Figures>> figures = new LinkedHashMap<>();
        List<String> jvmOptions = jfr == null ? List.of()
                : List.of("-XX:StartFlightRecording=settings=" + System.getProperty("bench.jfr.settings", "profile")
                        + ",filename=" + jfr);
        List<String> targets = new ArrayList<>(TARGETS);
        if (nioToo) {
            targets.add(SIDECAR_NIO);
        }
        if (baseline != null) {
            targets.add(BASELINE);
        }
        if (variantOptions != null) {
            targets.add(VARIANT);
        }
        // the bench's own classes (AmqpProxyChild) before the earlier build's jars
        String baselineCp = baseline == null ? null : Path.of(AmqpProxyChild.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()) + java.io.File.pathSeparator + baseline.resolve("*");
        try (RabbitCluster rabbit = RabbitCluster.start(1);
             ChildJvm proxy = ChildJvm.start(AmqpProxyChild.class.getName(), jvmOptions,
                     List.of(Integer.toString(rabbit.amqpPort(1))), work.resolve("proxy.log"));
             ChildJvm nioProxy = nioToo ? ChildJvm.start(AmqpProxyChild.class.getName(),
                     List.of("-Dossidecar.netty.nio=true"), List.of(Integer.toString(rabbit.amqpPort(1))),
                     work.resolve("proxy-nio.log")) : null;
             ChildJvm baseProxy = baselineCp != null ? ChildJvm.start(AmqpProxyChild.class.getName(), baselineCp,
                     List.of(), List.of(Integer.toString(rabbit.amqpPort(1))), work.resolve("proxy-baseline.log")) : null;
             ChildJvm variant = variantOptions != null ? ChildJvm.start(AmqpProxyChild.class.getName(),
                     List.of(variantOptions.trim().split("\\s+")), List.of(Integer.toString(rabbit.amqpPort(1))),
                     work.resolve("proxy-variant.log")) : null;
             Haproxy haproxy = Haproxy.start(work, new PortAllocator().allocate(), rabbit.amqpPort(1))) {
            Map<String, Integer> ports = new LinkedHashMap<>(Map.of("direct", rabbit.amqpPort(1),
                    "haproxy", haproxy.port(), "sidecar", proxy.port()));
            Map<String, Long> pids = new LinkedHashMap<>(Map.of("haproxy", haproxy.pid(), "sidecar", proxy.pid()));
            if (nioProxy != null) {
                ports.put(SIDECAR_NIO, nioProxy.port());
                pids.put(SIDECAR_NIO, nioProxy.pid());
            }
            if (baseProxy != null) {
                ports.put(BASELINE, baseProxy.port());
                pids.put(BASELINE, baseProxy.pid());
            }
            if (variant != null) {
                ports.put(VARIANT, variant.port());
                pids.put(VARIANT, variant.pid());
            }
            // JIT compilation is not what a long-running proxy pays per message: every JVM gets
            // the first case once, unrecorded, before the rounds
            for (String target : targets) {
                if (pids.containsKey(target) && !target.equals("haproxy")) {
                    warmUp(rabbit, cases.get(0), target, ports.get(target), work);
                }
            }
            for (int round = 1; round <= rounds; round++) {
                for (Case c : cases) {
                    for (String target : targets) {
                        Figures f = figures.computeIfAbsent(c.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(target, k -> new Figures());
                        run(rabbit, c, target, ports.get(target), pids.get(target), seconds, round, work, f);
                    }
                }
            }
        }
        Files.createDirectories(results.toAbsolutePath().getParent());
        String md = markdown(figures, machine, seconds, rounds, cases)
                + (variantOptions == null ? "" : "\n`" + VARIANT + "`: the proxy's JVM started with `" + variantOptions + "`.\n");
        Files.writeString(results, md, StandardCharsets.UTF_8);
        Files.writeString(Path.of(results.toString().replaceAll("\\.md$", "") + ".json"),
                json(figures, machine, seconds, rounds), StandardCharsets.UTF_8);
        System.out.println(md);
        if (jfr != null) {
            JfrSummary.main(new String[] {jfr.toString(), results.resolveSibling("amqp-profile.md").toString(),
                    "Where the AMQP proxy spends CPU and allocates: " + cases.stream().map(Case::name).toList() + ", "
                            + rounds + " x " + seconds + " s through the proxy (" + machine.date() + ", commit "
                            + machine.commit() + ")"});
        }
    }

    private static void warmUp(RabbitCluster rabbit, Case c, String target, int port, Path work) throws Exception {
        System.out.println("warming up " + target + " (" + WARM_UP.toSeconds() + " s, not recorded)");
        List<String> a = new ArrayList<>(List.of("-h", "amqp://" + rabbit.user() + ":" + rabbit.password()
                + "@127.0.0.1:" + port, "-z", Long.toString(WARM_UP.toSeconds()), "-u", "bench-warm-" + target,
                "-ad", "true"));
        a.addAll(c.args());
        BenchProcess.run(BenchProcess.java("com.rabbitmq.perf.PerfTest", a), WARM_UP.plusSeconds(90),
                work.resolve("perftest-warm-" + target + ".log"));
    }

    private static void run(RabbitCluster rabbit, Case c, String target, int port, Long pid, int seconds, int round,
                            Path work, Figures f) throws Exception {
        List<String> a = new ArrayList<>(List.of("-h", "amqp://" + rabbit.user() + ":" + rabbit.password()
                + "@127.0.0.1:" + port, "-z", Integer.toString(seconds),
                "-u", "bench-" + c.name() + "-" + target + "-" + round, "-ad", "true"));
        a.addAll(c.args());
        double cpuBefore = pid == null ? 0 : ProcStats.cpuSeconds(pid);
        String out = BenchProcess.run(BenchProcess.java("com.rabbitmq.perf.PerfTest", a),
                Duration.ofSeconds(seconds + 90), work.resolve("perftest-" + c.name() + "-" + target + "-" + round + ".log"));
        double cpu = pid == null ? 0 : ProcStats.cpuSeconds(pid) - cpuBefore;
        int received = last(RECEIVING, out);
        int sent = last(SENDING, out);
        f.rate.add(received);
        double[] latency = latencyMs(out);
        if (!Double.isNaN(latency[0])) {
            f.latencyP50Ms.add(latency[0]);
            f.latencyP99Ms.add(latency[1]);
        }
        // every message crosses a proxy twice (published, then delivered)
        double messages = (double) received * seconds;
        if (pid != null && messages > 0) {
            f.cpuPer100k.add(cpu / messages * 100_000);
            f.rssMiB.add(ProcStats.rssMiB(pid));
        }
        System.out.printf("round %d %-20s %-8s sent %6d msg/s, received %6d msg/s, latency p50 %.2f ms p99 %.2f ms%s%n",
                round, c.name(), target, sent, received, latency[0], latency[1],
                pid == null ? "" : String.format(", CPU %.2f s", cpu));
    }

    private static int last(Pattern p, String out) {
        Matcher m = p.matcher(out);
        int v = -1;
        while (m.find()) {
            v = Integer.parseInt(m.group(1));
        }
        if (v < 0) {
            throw new IllegalStateException("PerfTest printed no '" + p.pattern() + "':\n" + out);
        }
        return v;
    }

    /** The medians, over PerfTest's per-second lines, of its consumer latency median and 99th percentile. */
    static double[] latencyMs(String out) {
        Samples p50 = new Samples();
        Samples p99 = new Samples();
        Matcher m = LATENCY.matcher(out);
        while (m.find()) {
            double unit = m.group(6).equals("ms") ? 1 : 0.001;
            p50.add(Double.parseDouble(m.group(2)) * unit);
            p99.add(Double.parseDouble(m.group(5)) * unit);
        }
        return new double[] {p50.median(), p99.median()};
    }

    private static String markdown(Map<String, Map<String, Figures>> figures, Machine machine, int seconds, int rounds,
                                   List<Case> cases) {
        StringBuilder b = new StringBuilder("# AMQP: direct vs HAProxy vs the sidecar's proxy (RabbitMQ PerfTest)\n\n");
        b.append(machine.markdownLine()).append(" `bench/amqp-perftest.sh`: PerfTest 2.22.1 against one RabbitMQ 3.10 ")
                .append("node started by the harness; HAProxy in TCP mode with that one server; the proxy in a JVM of ")
                .append("its own (JVM defaults). ").append(rounds).append(" rounds of ").append(seconds)
                .append(" s per case and target, interleaved (direct, HAProxy, sidecar, then again; `sidecar-nio`, ")
                .append("where present, is the same proxy on Java NIO instead of native epoll; `sidecar-baseline` ")
                .append("the proxy of an earlier build). Each proxy JVM ran the first case for ")
                .append(WARM_UP.toSeconds()).append(" s before the rounds, unrecorded (JIT). ")
                .append("Broker, proxy and load generator share the cores. Each cell: median (min..max) over the rounds.\n\n");
        for (Case c : cases) {
            b.append("- `").append(c.name()).append("`: PerfTest `").append(String.join(" ", c.args())).append("`\n");
        }
        b.append("\n| case | target | msg/s | / direct | / HAProxy | latency p50 ms | latency p99 ms | CPU s per 100k msg | RSS MiB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        figures.forEach((name, byTarget) -> byTarget.forEach((target, f) -> b.append(String.format(
                "| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s |%n", name, target, f.rate.describe("%.0f"),
                f.rate.median() / byTarget.get("direct").rate.median(),
                f.rate.median() / byTarget.get("haproxy").rate.median(),
                f.latencyP50Ms.describe("%.2f"), f.latencyP99Ms.describe("%.2f"), f.cpuPer100k.describe("%.2f"),
                f.rssMiB.describe("%.0f")))));
        b.append("\nCPU per 100k messages: the proxy process's user+system CPU during the run divided by the messages ")
                .append("delivered (each crossed it twice: published and delivered).\n");
        return b.toString();
    }

    private static String json(Map<String, Map<String, Figures>> figures, Machine machine, int seconds, int rounds) {
        StringBuilder b = new StringBuilder("{\"machine\":").append(machine.json()).append(",\"secondsPerRun\":")
                .append(seconds).append(",\"rounds\":").append(rounds).append(",\"cases\":{");
        String sep = "";
        for (var c : figures.entrySet()) {
            b.append(sep).append('"').append(c.getKey()).append("\":{");
            sep = ",";
            String tsep = "";
            for (var t : c.getValue().entrySet()) {
                Figures f = t.getValue();
                b.append(tsep).append('"').append(t.getKey()).append("\":{\"msgPerSecond\":").append(f.rate.values())
                        .append(",\"latencyP50Ms\":").append(f.latencyP50Ms.values())
                        .append(",\"latencyP99Ms\":").append(f.latencyP99Ms.values())
                        .append(",\"cpuSecondsPer100k\":").append(f.cpuPer100k.values())
                        .append(",\"rssMiB\":").append(f.rssMiB.values()).append('}');
                tsep = ",";
            }
            b.append('}');
        }
        return b.append("}}\n").toString();
    }
}

package ossidecar.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.PortAllocator;

/**
 * sysbench against the writer of a 3-node Galera cluster directly, through HAProxy (TCP mode,
 * the writer as its one server) and through the sidecar's DB router (writer listener, in a JVM
 * of its own), interleaved: every round runs each test and thread count against the targets in
 * turn. Reports per test, threads and target the median and spread over the rounds of qps,
 * p95 and p99 latency (from sysbench's histogram), and for the two proxies CPU seconds per
 * 1,000 queries and resident memory. Writes Markdown and JSON.
 *
 * <p>Args: {@code results [seconds per run (20)] [rounds (3)] [threads, comma-separated (1,8,32)]
 * [tests, comma-separated (oltp_point_select,oltp_read_only,oltp_read_write)] [--baseline DIR]};
 * {@code --baseline DIR} adds the router of an earlier build whose jars are in DIR.
 */
public final class DbSysbenchBench {
    private static final Pattern QPS = Pattern.compile("queries:\\s+\\d+\\s+\\(([\\d.]+) per sec\\.\\)");
    private static final Pattern P95 = Pattern.compile("95th percentile:\\s+([\\d.]+)");
    private static final Pattern TOTAL_QUERIES = Pattern.compile("total:\\s+(\\d+)");
    private static final Pattern BUCKET = Pattern.compile("(?m)^\\s*([\\d.]+) \\|\\**\\s+(\\d+)\\s*$");
    private static final String BASELINE = "sidecar-baseline";
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    /** What one test at one thread count against one target gave over the rounds. */
    static final class Figures {
        final Samples qps = new Samples();
        final Samples p95Ms = new Samples();
        final Samples p99Ms = new Samples();
        final Samples cpuPer1000 = new Samples();
        final Samples rssMiB = new Samples();
    }

    private DbSysbenchBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Path baseline = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--baseline")) {
                baseline = Path.of(args[++i]).toAbsolutePath();
            } else {
                positional.add(args[i]);
            }
        }
        Path results = Path.of(positional.get(0));
        int seconds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 20;
        int rounds = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 3;
        List<Integer> threads = List.of((positional.size() > 3 ? positional.get(3) : "1,8,32").split(",")).stream()
                .map(Integer::parseInt).toList();
        List<String> tests = List.of((positional.size() > 4 ? positional.get(4)
                : "oltp_point_select,oltp_read_only,oltp_read_write").split(","));
        Machine machine = Machine.describe();
        Path work = Files.createTempDirectory("db-bench");
        Map<String, Figures> figures = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>(List.of("direct", "haproxy", "sidecar"));
        if (baseline != null) {
            targets.add(BASELINE);
        }
        try (GaleraCluster galera = GaleraCluster.start(3)) {
            try (Connection c = galera.connect(1); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS sbtest");
            }
            List<String> childArgs = new ArrayList<>(List.of(galera.user(), galera.password()));
            for (int i = 1; i <= 3; i++) {
                childArgs.add(Integer.toString(galera.port(i)));
            }
            String baselineCp = baseline == null ? null : Path.of(DbRouterChild.class.getProtectionDomain()
                    .getCodeSource().getLocation().toURI()) + File.pathSeparator + baseline.resolve("*");
            try (ChildJvm router = ChildJvm.start(DbRouterChild.class.getName(), List.of(), childArgs,
                         work.resolve("router.log"));
                 ChildJvm baseRouter = baselineCp == null ? null : ChildJvm.start(DbRouterChild.class.getName(),
                         baselineCp, List.of(), childArgs, work.resolve("router-baseline.log"))) {
                // "PORT <n> WRITER galera-<i>": the node every router sends writes to
                String writer = router.portLine().split(" ")[3];
                int writerPort = galera.port(Integer.parseInt(writer.substring("galera-".length())));
                try (Haproxy haproxy = Haproxy.start(work, new PortAllocator().allocate(), writerPort)) {
                    Map<String, Integer> ports = new LinkedHashMap<>(Map.of("direct", writerPort,
                            "haproxy", haproxy.port(), "sidecar", router.port()));
                    Map<String, Long> pids = new LinkedHashMap<>(Map.of("haproxy", haproxy.pid(),
                            "sidecar", router.pid()));
                    if (baseRouter != null) {
                        ports.put(BASELINE, baseRouter.port());
                        pids.put(BASELINE, baseRouter.pid());
                    }
                    sysbench(work, "oltp_read_write", "prepare", writerPort, galera, 4, seconds, "prepare");
                    for (String target : targets) {
                        if (pids.containsKey(target) && !target.equals("haproxy")) {
                            System.out.println("warming up " + target + " (" + WARM_UP.toSeconds() + " s, not recorded)");
                            sysbench(work, tests.get(0), "run", ports.get(target), galera, threads.get(0),
                                    (int) WARM_UP.toSeconds(), "warm-" + target);
                        }
                    }
                    for (int round = 1; round <= rounds; round++) {
                        for (String test : tests) {
                            for (int t : threads) {
                                for (String target : targets) {
                                    Figures f = figures.computeIfAbsent(key(test, t, target), k -> new Figures());
                                    run(work, galera, test, t, target, ports.get(target), pids.get(target), seconds,
                                            round, f);
                                }
                            }
                        }
                    }
                }
            }
        }
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, markdown(figures, machine, seconds, rounds, tests, threads, targets),
                StandardCharsets.UTF_8);
        Files.writeString(Path.of(results.toString().replaceAll("\\.md$", "") + ".json"),
                json(figures, machine, seconds, rounds), StandardCharsets.UTF_8);
        System.out.println(Files.readString(results));
    }

    private static String key(String test, int threads, String target) {
        return test + " " + threads + " " + target;
    }

    private static void run(Path work, GaleraCluster galera, String test, int threads, String target, int port,
                            Long pid, int seconds, int round, Figures f) throws Exception {
        double cpuBefore = pid == null ? 0 : ProcStats.cpuSeconds(pid);
        String out = sysbench(work, test, "run", port, galera, threads, seconds, target + "-" + threads + "-" + round);
        double cpu = pid == null ? 0 : ProcStats.cpuSeconds(pid) - cpuBefore;
        Matcher q = QPS.matcher(out);
        Matcher total = TOTAL_QUERIES.matcher(out);
        if (!q.find() || !total.find()) {
            throw new IllegalStateException("sysbench printed no qps:\n" + out);
        }
        double qps = Double.parseDouble(q.group(1));
        long queries = Long.parseLong(total.group(1));
        double[] pct = percentiles(out, 0.95, 0.99);
        f.qps.add(qps);
        f.p95Ms.add(pct[0]);
        f.p99Ms.add(pct[1]);
        if (pid != null && queries > 0) {
            f.cpuPer1000.add(cpu / queries * 1000);
            f.rssMiB.add(ProcStats.rssMiB(pid));
        }
        System.out.printf("round %d %-18s %2d threads %-16s %8.0f qps, p95 %.2f ms, p99 %.2f ms%s%n", round, test,
                threads, target, qps, pct[0], pct[1], pid == null ? "" : String.format(", CPU %.2f s", cpu));
    }

    /** Latency percentiles from sysbench's histogram (each bucket: its upper value in ms and a count). */
    static double[] percentiles(String out, double... ps) {
        List<double[]> buckets = new ArrayList<>();
        long all = 0;
        Matcher m = BUCKET.matcher(out);
        while (m.find()) {
            long n = Long.parseLong(m.group(2));
            buckets.add(new double[] {Double.parseDouble(m.group(1)), n});
            all += n;
        }
        if (all == 0) {
            throw new IllegalStateException("sysbench printed no latency histogram:\n" + out);
        }
        double[] result = new double[ps.length];
        for (int i = 0; i < ps.length; i++) {
            long seen = 0;
            long rank = (long) Math.ceil(ps[i] * all);
            for (double[] b : buckets) {
                seen += (long) b[1];
                if (seen >= rank) {
                    result[i] = b[0];
                    break;
                }
            }
        }
        return result;
    }

    /** qps and sysbench's own 95th percentile (ms) of one run's output. */
    static double[] parse(String out) {
        Matcher q = QPS.matcher(out);
        Matcher p = P95.matcher(out);
        if (!q.find() || !p.find()) {
            throw new IllegalStateException("sysbench printed no qps/p95:\n" + out);
        }
        return new double[] {Double.parseDouble(q.group(1)), Double.parseDouble(p.group(1))};
    }

    static String sysbench(Path work, String test, String command, int port, GaleraCluster g, int threads,
                           int seconds, String label) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sysbench", test, "--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + port, "--mysql-user=" + g.user(), "--mysql-password=" + g.password(),
                "--mysql-db=sbtest", "--tables=4", "--table-size=10000", "--threads=" + threads,
                "--time=" + seconds, "--report-interval=0", "--histogram=on", "--mysql-ssl=off"));
        cmd.add(command);
        return BenchProcess.run(cmd, Duration.ofSeconds(seconds + 300),
                work.resolve("sysbench-" + test + "-" + label + ".log"));
    }

    private static String markdown(Map<String, Figures> figures, Machine machine, int seconds, int rounds,
                                   List<String> tests, List<Integer> threads, List<String> targets) {
        StringBuilder b = new StringBuilder("# DB: direct vs HAProxy vs the sidecar's DB router (sysbench)\n\n");
        b.append(machine.markdownLine()).append(" `bench/db-sysbench.sh`: sysbench 1.0.20 (Debian), prepared ")
                .append("statements (its default), 4 tables of 10,000 rows, against the writer of a 3-node MariaDB ")
                .append("10.11 Galera cluster started by the harness; HAProxy in TCP mode with the writer as its one ")
                .append("server; the router's writer listener, in a JVM of its own (JVM defaults)")
                .append(targets.contains(BASELINE) ? "; `sidecar-baseline` is the router of an earlier build" : "")
                .append(". ").append(rounds).append(" rounds of ").append(seconds)
                .append(" s per test, thread count and target, interleaved; each router JVM ran the first test for ")
                .append(WARM_UP.toSeconds()).append(" s before the rounds, unrecorded (JIT). Nodes, router and ")
                .append("sysbench share the cores. Each cell: median (min..max) over the rounds.\n\n");
        b.append("| test | threads | target | qps | / direct | / HAProxy | p95 ms | p99 ms | CPU s per 1,000 queries | RSS MiB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String test : tests) {
            for (int t : threads) {
                Figures direct = figures.get(key(test, t, "direct"));
                Figures haproxy = figures.get(key(test, t, "haproxy"));
                for (String target : targets) {
                    Figures f = figures.get(key(test, t, target));
                    b.append(String.format("| %s | %d | %s | %s | %.2f | %.2f | %s | %s | %s | %s |%n", test, t, target,
                            f.qps.describe("%.0f"), f.qps.median() / direct.qps.median(),
                            f.qps.median() / haproxy.qps.median(), f.p95Ms.describe("%.2f"), f.p99Ms.describe("%.2f"),
                            f.cpuPer1000.describe("%.3f"), f.rssMiB.describe("%.0f")));
                }
            }
        }
        b.append("\nCPU per 1,000 queries: the proxy process's user+system CPU during the run divided by the ")
                .append("queries sysbench counted. Latency percentiles from sysbench's histogram (bucket bounds).\n");
        return b.toString();
    }

    private static String json(Map<String, Figures> figures, Machine machine, int seconds, int rounds) {
        StringBuilder b = new StringBuilder("{\"machine\":").append(machine.json()).append(",\"secondsPerRun\":")
                .append(seconds).append(",\"rounds\":").append(rounds).append(",\"runs\":{");
        String sep = "";
        for (var e : figures.entrySet()) {
            Figures f = e.getValue();
            b.append(sep).append('"').append(e.getKey()).append("\":{\"qps\":").append(f.qps.values())
                    .append(",\"p95Ms\":").append(f.p95Ms.values()).append(",\"p99Ms\":").append(f.p99Ms.values())
                    .append(",\"cpuSecondsPer1000\":").append(f.cpuPer1000.values())
                    .append(",\"rssMiB\":").append(f.rssMiB.values()).append('}');
            sep = ",";
        }
        return b.append("}}\n").toString();
    }
}

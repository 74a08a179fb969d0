package ossidecar.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.PortAllocator;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.DbListener;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.DbRouterConfig;
import ossidecar.core.config.DbUser;
import ossidecar.core.config.Endpoint;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.config.Secret;
import ossidecar.core.health.NodeRegistry;
import ossidecar.db.galera.GaleraTopology;
import ossidecar.db.router.DbRouter;
import ossidecar.db.router.WriterSource;

/**
 * Read/write splitting against sending everything to the writer: sysbench oltp_read_only and
 * oltp_read_write at 8 threads, straight to the writer, through HAProxy (to the writer),
 * through the router's writer listener and through its split listener, interleaved over
 * several rounds (the order rotates each round). Reports median qps, p95 and p99 (from
 * sysbench's histogram), the spread, the ratios, and each node's CPU seconds per run: on a
 * 2-core machine the three nodes share the CPU, so spreading reads moves load, and may not
 * add throughput.
 *
 * <p>sysbench's {@code --db-ps-mode} is the fourth argument ({@code auto}, sysbench's default:
 * server-side prepared statements; {@code disable}: text queries), the same for every target.
 */
public final class DbSplitBench {
    private static final Pattern QPS = Pattern.compile("queries:\\s+\\d+\\s+\\(([\\d.]+) per sec\\.\\)");
    private static final Pattern BUCKET = Pattern.compile("^\\s*([\\d.]+)\\s+\\|\\**\\s+(\\d+)\\s*$",
            Pattern.MULTILINE);
    private static final List<String> TESTS = List.of("oltp_read_only", "oltp_read_write");
    private static final List<String> TARGETS = List.of("direct", "haproxy", "router writer", "router split");
    private static final long TICKS = 100; // USER_HZ on Linux

    private DbSplitBench() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "results/db-split.md");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String psMode = args.length > 3 ? args[3] : "auto";
        int threads = 8;
        Path work = Files.createTempDirectory("db-split-bench");
        // test -> target -> runs of {qps, p95, p99, cpu node1, cpu node2, cpu node3}
        Map<String, Map<String, List<double[]>>> runs = new LinkedHashMap<>();
        String writerName;
        try (GaleraCluster galera = GaleraCluster.start(3)) {
            try (Connection c = galera.connect(1); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS sbtest");
            }
            List<BackendNode> nodes = IntStream.rangeClosed(1, 3)
                    .mapToObj(i -> new BackendNode("galera-" + i, new Endpoint("127.0.0.1", galera.port(i)))).toList();
            DbRouterConfig cfg = new DbRouterConfig(true, List.of(
                    new DbListener(DbRole.WRITER, new Endpoint("127.0.0.1", 0)),
                    new DbListener(DbRole.SPLIT, new Endpoint("127.0.0.1", 0))),
                    nodes, List.of(new DbUser(galera.user(), new Secret(galera.password()), null)),
                    new GaleraMonitorConfig(galera.user(), new Secret(galera.password()), Duration.ofMillis(500),
                            Duration.ofSeconds(1), 100), Duration.ofSeconds(3));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (GaleraTopology topology = GaleraTopology.start(cfg, new NodeRegistry("db", meters, Clock.systemUTC()),
                    meters); DbRouter router = DbRouter.start(cfg, WriterSource.of(topology), meters)) {
                writerName = topology.writer().name();
                int writerPort = galera.port(Integer.parseInt(writerName.substring("galera-".length())));
                try (Haproxy haproxy = Haproxy.start(work, new PortAllocator().allocate(), writerPort)) {
                    Map<String, Integer> ports = Map.of("direct", writerPort, "haproxy", haproxy.port(),
                            "router writer", router.port(0), "router split", router.port(1));
                    sysbench(work, "oltp_read_write", "prepare", writerPort, galera, threads, seconds, "prepare", psMode);
                    // loading the tables makes the readers send flow control, which keeps them out of the
                    // reader set for monitor.settle: the first run must not start with one reader only
                    Thread.sleep(GaleraMonitorConfig.DEFAULT_SETTLE.toMillis() + 1000);
                    for (int r = 0; r < rounds; r++) {
                        for (String test : TESTS) {
                            for (int k = 0; k < TARGETS.size(); k++) {
                                String target = TARGETS.get((k + r) % TARGETS.size());
                                System.out.println("round " + (r + 1) + ": " + test + " " + seconds + " s, " + target
                                        + "...");
                                long[] before = cpu(galera);
                                String out = sysbench(work, test, "run", ports.get(target), galera, threads, seconds,
                                        test + "-" + target.replace(' ', '-') + "-" + r, psMode);
                                long[] after = cpu(galera);
                                if (target.equals("router split")) {
                                    System.out.printf("  split transactions so far: %s%n", splitCounts(meters));
                                }
                                double[] q = new double[6];
                                q[0] = qps(out);
                                double[] pct = percentiles(out);
                                q[1] = pct[0];
                                q[2] = pct[1];
                                for (int i = 0; i < 3; i++) {
                                    q[3 + i] = (after[i] - before[i]) / (double) TICKS;
                                }
                                runs.computeIfAbsent(test, t -> new LinkedHashMap<>())
                                        .computeIfAbsent(target, t -> new ArrayList<>()).add(q);
                                System.out.printf("  %.1f qps, p95 %.2f ms, p99 %.2f ms, node CPU s %.1f/%.1f/%.1f%n",
                                        q[0], q[1], q[2], q[3], q[4], q[5]);
                            }
                        }
                    }
                }
            }
        }
        String report = report(runs, seconds, threads, rounds, writerName, psMode);
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static String sysbench(Path work, String test, String command, int port, GaleraCluster g, int threads,
                                   int seconds, String label, String psMode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sysbench", test, "--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + port, "--mysql-user=" + g.user(), "--mysql-password=" + g.password(),
                "--mysql-db=sbtest", "--tables=4", "--table-size=10000", "--threads=" + threads,
                "--time=" + seconds, "--report-interval=0", "--histogram=on", "--db-ps-mode=" + psMode,
                "--mysql-ssl=off", command));
        return BenchProcess.run(cmd, Duration.ofSeconds(seconds + 300), work.resolve("sysbench-" + label + ".log"));
    }

    private static String splitCounts(SimpleMeterRegistry meters) {
        StringBuilder b = new StringBuilder();
        for (String outcome : List.of("stayed_on_reader", "moved_clean", "moved_conflict", "move_failed")) {
            var c = meters.find("sidecar.db.split.transactions").tag("outcome", outcome).counter();
            b.append(outcome).append('=').append(c == null ? 0 : (long) c.count()).append(' ');
        }
        var starts = meters.find("sidecar.db.split.writer.starts").counter();
        var causal = meters.find("sidecar.db.split.causal.reads").counter();
        return b.append("writer_starts=").append(starts == null ? 0 : (long) starts.count()).append(" causal_reads=")
                .append(causal == null ? 0 : (long) causal.count()).toString();
    }

    /** utime + stime of each node's processes (mariadbd and any helper), in clock ticks. */
    private static long[] cpu(GaleraCluster g) throws Exception {
        long[] out = new long[3];
        for (int i = 1; i <= 3; i++) {
            for (ProcessHandle h : g.node(i).process().processTree()) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out[i - 1] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.io.IOException gone) {
                    // a helper that ended meanwhile
                }
            }
        }
        return out;
    }

    private static double qps(String out) {
        Matcher q = QPS.matcher(out);
        if (!q.find()) {
            throw new IllegalStateException("sysbench printed no qps:\n" + out);
        }
        return Double.parseDouble(q.group(1));
    }

    /** p95 and p99 in ms from sysbench's latency histogram (bucket value, count). */
    static double[] percentiles(String out) {
        List<double[]> buckets = new ArrayList<>();
        Matcher m = BUCKET.matcher(out);
        long total = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(2));
            buckets.add(new double[] {Double.parseDouble(m.group(1)), n});
            total += n;
        }
        if (total == 0) {
            throw new IllegalStateException("sysbench printed no histogram:\n" + out);
        }
        double[] result = new double[2];
        double[] at = {0.95, 0.99};
        for (int k = 0; k < 2; k++) {
            long seen = 0;
            for (double[] b : buckets) {
                seen += (long) b[1];
                if (seen >= at[k] * total) {
                    result[k] = b[0];
                    break;
                }
            }
        }
        return result;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[] column(List<double[]> runs, int c) {
        return runs.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static String report(Map<String, Map<String, List<double[]>>> runs, int seconds, int threads, int rounds,
                                 String writer, String psMode) {
        StringBuilder b = new StringBuilder("# DB router: read/write splitting\n\n");
        b.append("Run ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" by `bench/db-split.sh`: sysbench 1.0.20 (Debian), ").append(seconds).append(" s per run, ")
                .append(threads).append(" threads, 4 tables of 10,000 rows, `--db-ps-mode=").append(psMode).append("`, ")
                .append(rounds)
                .append(" rounds, the order of the targets rotating each round; a 3-node MariaDB 10.11 Galera cluster ")
                .append("from the harness (writer ").append(writer).append("), ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by the three nodes, the router, HAProxy and sysbench. `direct` and `haproxy` ")
                .append("go to the writer; `router split` sends reads to the two other nodes. Node CPU: seconds of ")
                .append("CPU each mariadbd used during the run (utime+stime), medians.\n\n");
        b.append("| test | target | median qps | qps min-max | p95 ms | p99 ms | qps / direct | qps / haproxy | "
                + "node CPU s (galera-1/2/3) |\n|---|---|---|---|---|---|---|---|---|\n");
        runs.forEach((test, targets) -> {
            double direct = median(column(targets.get("direct"), 0));
            double haproxy = median(column(targets.get("haproxy"), 0));
            targets.forEach((target, list) -> {
                double[] qps = column(list, 0);
                b.append(String.format("| %s | %s | %.1f | %.1f-%.1f | %.2f | %.2f | %.3f | %.3f | %.1f / %.1f / %.1f |%n",
                        test, target, median(qps), Arrays.stream(qps).min().orElse(0),
                        Arrays.stream(qps).max().orElse(0), median(column(list, 1)), median(column(list, 2)),
                        median(qps) / direct, median(qps) / haproxy, median(column(list, 3)),
                        median(column(list, 4)), median(column(list, 5))));
            });
        });
        return b.toString();
    }
}

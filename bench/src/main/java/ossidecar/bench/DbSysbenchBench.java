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
 * sysbench oltp_point_select, oltp_read_only and oltp_read_write for a fixed time against the
 * writer node directly, through HAProxy and through the sidecar's DB router, in one run, on one
 * machine. Writes a markdown table of qps, p95 latency and ratios to the file given first.
 */
public final class DbSysbenchBench {
    private static final Pattern QPS = Pattern.compile("queries:\\s+\\d+\\s+\\(([\\d.]+) per sec\\.\\)");
    private static final Pattern P95 = Pattern.compile("95th percentile:\\s+([\\d.]+)");
    private static final List<String> TESTS = List.of("oltp_point_select", "oltp_read_only", "oltp_read_write");

    private DbSysbenchBench() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "results/db-sysbench.md");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int threads = 4;
        Path work = Files.createTempDirectory("db-bench");
        Map<String, Map<String, double[]>> byTest = new LinkedHashMap<>();
        try (GaleraCluster galera = GaleraCluster.start(3)) {
            try (Connection c = galera.connect(1); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS sbtest");
            }
            List<BackendNode> nodes = IntStream.rangeClosed(1, 3)
                    .mapToObj(i -> new BackendNode("galera-" + i, new Endpoint("127.0.0.1", galera.port(i)))).toList();
            DbRouterConfig cfg = new DbRouterConfig(true, List.of(new DbListener(DbRole.WRITER, new Endpoint("127.0.0.1", 0))),
                    nodes, List.of(new DbUser(galera.user(), new Secret(galera.password()), null)),
                    new GaleraMonitorConfig(galera.user(), new Secret(galera.password()), Duration.ofMillis(500),
                            Duration.ofSeconds(1), 100), Duration.ofSeconds(3));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (GaleraTopology topology = GaleraTopology.start(cfg, new NodeRegistry("db", meters, Clock.systemUTC()), meters);
                 DbRouter router = DbRouter.start(cfg, WriterSource.of(topology), meters)) {
                int writerPort = galera.port(Integer.parseInt(topology.writer().name().substring("galera-".length())));
                try (Haproxy haproxy = Haproxy.start(work, new PortAllocator().allocate(), writerPort)) {
                    Map<String, Integer> targets = new LinkedHashMap<>();
                    targets.put("direct", writerPort);
                    targets.put("haproxy", haproxy.port());
                    targets.put("sidecar", router.port(0));
                    sysbench(work, "oltp_read_write", "prepare", writerPort, galera, threads, seconds, "prepare");
                    for (String test : TESTS) {
                        for (Map.Entry<String, Integer> t : targets.entrySet()) {
                            System.out.println("sysbench " + test + " " + seconds + " s against " + t.getKey() + "...");
                            String out = sysbench(work, test, "run", t.getValue(), galera, threads, seconds, t.getKey());
                            double[] r = parse(out);
                            byTest.computeIfAbsent(test, k -> new LinkedHashMap<>()).put(t.getKey(), r);
                            System.out.printf("  %s: %.1f qps, p95 %.2f ms%n", t.getKey(), r[0], r[1]);
                        }
                    }
                }
            }
        }
        String report = report(byTest, seconds, threads);
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    static String sysbench(Path work, String test, String command, int port, GaleraCluster g, int threads,
                                   int seconds, String label) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sysbench", test, "--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + port, "--mysql-user=" + g.user(), "--mysql-password=" + g.password(),
                "--mysql-db=sbtest", "--tables=4", "--table-size=10000", "--threads=" + threads,
                "--time=" + seconds, "--report-interval=0", "--percentile=95", "--mysql-ssl=off"));
        cmd.add(command);
        return BenchProcess.run(cmd, Duration.ofSeconds(seconds + 300), work.resolve("sysbench-" + test + "-" + label + ".log"));
    }

    static double[] parse(String out) {
        Matcher q = QPS.matcher(out);
        Matcher p = P95.matcher(out);
        if (!q.find() || !p.find()) {
            throw new IllegalStateException("sysbench printed no qps/p95:\n" + out);
        }
        return new double[] {Double.parseDouble(q.group(1)), Double.parseDouble(p.group(1))};
    }

    private static String report(Map<String, Map<String, double[]>> byTest, int seconds, int threads) {
        StringBuilder b = new StringBuilder("# DB throughput: direct vs HAProxy vs sidecar DB router\n\n");
        b.append("Run ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" by `bench/db-sysbench.sh`: sysbench 1.0.20 (Debian), ").append(seconds).append(" s per test and target, ")
                .append(threads).append(" threads, 4 tables of 10,000 rows, against the writer of a 3-node MariaDB 10.11 Galera ")
                .append("cluster started by the harness; ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by the three nodes, the router, HAProxy and sysbench.\n\n");
        b.append("| test | target | qps | p95 ms | qps / direct | qps / haproxy |\n|---|---|---|---|---|---|\n");
        byTest.forEach((test, targets) -> targets.forEach((t, r) -> b.append(String.format(
                "| %s | %s | %.1f | %.2f | %.3f | %.3f |%n", test, t, r[0], r[1], r[0] / targets.get("direct")[0],
                r[0] / targets.get("haproxy")[0]))));
        return b.toString();
    }
}

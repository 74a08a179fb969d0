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
import java.util.stream.IntStream;
import ossidecar.chaos.harness.GaleraCluster;
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
 * What the commit markers cost: sysbench (oltp_read_write, or the test named fourth) through two DB routers over the same
 * cluster, one with {@code commit-markers} on and one with it off, interleaved over several
 * rounds (the order alternates each round) so that the machine's drift hits both alike.
 * Writes medians, spread and the ratio to the file given first.
 */
public final class DbCommitMarkerBench {
    private DbCommitMarkerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "results/db-commit-markers.md");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String test = args.length > 3 ? args[3] : "oltp_read_write";
        int threads = 4;
        Path work = Files.createTempDirectory("db-marker-bench");
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        runs.put("markers on", new ArrayList<>());
        runs.put("markers off", new ArrayList<>());
        try (GaleraCluster galera = GaleraCluster.start(3)) {
            try (Connection c = galera.connect(1); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS sbtest");
            }
            List<BackendNode> nodes = IntStream.rangeClosed(1, 3)
                    .mapToObj(i -> new BackendNode("galera-" + i, new Endpoint("127.0.0.1", galera.port(i)))).toList();
            DbRouterConfig on = config(galera, nodes, true);
            DbRouterConfig off = config(galera, nodes, false);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (GaleraTopology topology = GaleraTopology.start(on, new NodeRegistry("db", meters, Clock.systemUTC()), meters);
                 DbRouter withMarkers = DbRouter.start(on, WriterSource.of(topology), new SimpleMeterRegistry());
                 DbRouter withoutMarkers = DbRouter.start(off, WriterSource.of(topology), new SimpleMeterRegistry())) {
                int writerPort = galera.port(Integer.parseInt(topology.writer().name().substring("galera-".length())));
                DbSysbenchBench.sysbench(work, test, "prepare", writerPort, galera, threads, seconds, "prepare");
                for (int r = 0; r < rounds; r++) {
                    List<String> order = r % 2 == 0 ? List.of("markers on", "markers off") : List.of("markers off", "markers on");
                    for (String target : order) {
                        int port = target.equals("markers on") ? withMarkers.port(0) : withoutMarkers.port(0);
                        System.out.println("round " + (r + 1) + ": " + test + " " + seconds + " s, " + target + "...");
                        double[] q = DbSysbenchBench.parse(DbSysbenchBench.sysbench(work, test, "run", port,
                                galera, threads, seconds, target.replace(' ', '-') + "-" + r));
                        runs.get(target).add(q);
                        System.out.printf("  %.1f qps, p95 %.2f ms%n", q[0], q[1]);
                    }
                }
            }
        }
        String report = report(runs, seconds, threads, rounds, test);
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static DbRouterConfig config(GaleraCluster galera, List<BackendNode> nodes, boolean markers) {
        return new DbRouterConfig(true, List.of(new DbListener(DbRole.WRITER, new Endpoint("127.0.0.1", 0))),
                nodes, List.of(new DbUser(galera.user(), new Secret(galera.password()), null)),
                new GaleraMonitorConfig(galera.user(), new Secret(galera.password()), Duration.ofMillis(500),
                        Duration.ofSeconds(1), 100), Duration.ofSeconds(3), DbRouterConfig.DEFAULT_WRITER_WAIT, markers);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String report(Map<String, List<double[]>> runs, int seconds, int threads, int rounds, String test) {
        StringBuilder b = new StringBuilder("# DB router: the cost of commit markers\n\n");
        b.append("Run ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" by `bench/db-commit-markers.sh`: sysbench 1.0.20 (Debian) ").append(test).append(", ").append(seconds)
                .append(" s per run, ").append(threads).append(" threads, 4 tables of 10,000 rows, through two DB routers ")
                .append("(commit markers on / off) over the same 3-node MariaDB 10.11 Galera cluster, ").append(rounds)
                .append(" rounds, order alternating each round; ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by the three nodes, both routers and sysbench. With markers on, every COMMIT of a ")
                .append("transaction that wrote is preceded by one INSERT into `sidecar.commit_markers`, and every ")
                .append("autocommit INSERT/UPDATE/DELETE/REPLACE runs as BEGIN, the write, the marker, COMMIT.\n\n");
        b.append("| routers | median qps | qps min-max | median p95 ms | qps each round |\n|---|---|---|---|---|\n");
        Map<String, Double> medians = new LinkedHashMap<>();
        runs.forEach((target, list) -> {
            double[] qps = list.stream().mapToDouble(r -> r[0]).toArray();
            double[] p95 = list.stream().mapToDouble(r -> r[1]).toArray();
            medians.put(target, median(qps));
            b.append(String.format("| %s | %.1f | %.1f-%.1f | %.2f | %s |%n", target, median(qps),
                    Arrays.stream(qps).min().orElse(0), Arrays.stream(qps).max().orElse(0), median(p95),
                    Arrays.toString(Arrays.stream(qps).map(q -> Math.round(q * 10) / 10.0).toArray())));
        });
        b.append(String.format("%nMedian qps with markers / without: %.3f.%n",
                medians.get("markers on") / medians.get("markers off")));
        return b.toString();
    }
}

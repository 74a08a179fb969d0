package ossidecar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ossidecar.chaos.harness.GaleraCluster;

/**
 * What 1,000 mostly idle sessions cost: memory of the proxy process and backend connections on
 * the writer, through the DB router (multiplexing, in a JVM of its own) and through HAProxy in
 * TCP mode (one backend connection per session), interleaved over rounds (the order alternates).
 * Each round opens the sessions (half with autocommit off, as PyMySQL under SQLAlchemy), runs
 * one small transaction on each, measures while all are open, and closes them. Writes medians
 * and spread to the file given first.
 */
public final class DbMultiplexBench {
    private static final int THREADS = 32;

    private DbMultiplexBench() {
    }

    /** Memory in bytes before the sessions opened and while they were open; backend connections while open. */
    private record Sample(long rssBefore, long rssOpen, long heapBefore, long heapOpen, long backendConnections,
                          long openMs) {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "results/db-multiplex.md");
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = Files.createTempDirectory("db-mux-bench");
        Map<String, List<Sample>> runs = new LinkedHashMap<>();
        runs.put("sidecar DB router", new ArrayList<>());
        runs.put("HAProxy (TCP)", new ArrayList<>());
        try (GaleraCluster galera = GaleraCluster.start(3)) {
            for (int i = 1; i <= 3; i++) {
                try (Connection c = galera.connect(i); Statement s = c.createStatement()) {
                    s.execute("SET GLOBAL max_connections = " + (sessions + 200)); // HAProxy needs one per session
                }
            }
            try (Connection c = galera.connect(1); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS muxbench");
                s.execute("USE muxbench");
                s.execute("CREATE OR REPLACE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL)");
                s.execute("INSERT INTO counters SELECT seq, 0 FROM seq_0_to_" + (sessions - 1));
            }
            List<String> cmd = new ArrayList<>(List.of(galera.user(), galera.password()));
            for (int i = 1; i <= 3; i++) {
                cmd.add(Integer.toString(galera.port(i)));
            }
            Process child = new ProcessBuilder(BenchProcess.java("ossidecar.bench.DbRouterChild", cmd))
                    .redirectError(work.resolve("router.log").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
                String[] hello = out.readLine().split(" ");
                int routerPort = Integer.parseInt(hello[1]);
                int writer = Integer.parseInt(hello[3].substring("galera-".length()));
                try (Haproxy haproxy = Haproxy.start(work, freePort(), galera.port(writer));
                     Connection probe = galera.connect(writer)) {
                    for (int r = 0; r < rounds; r++) {
                        List<String> order = new ArrayList<>(runs.keySet());
                        if (r % 2 == 1) {
                            Collections.reverse(order);
                        }
                        for (String target : order) {
                            boolean router = target.startsWith("sidecar");
                            int port = router ? routerPort : haproxy.port();
                            long[] before = router ? routerMem(in, out) : new long[] {0, DbRouterChild.rss(haproxy.pid()), 0};
                            int threadsBefore = threadsConnected(probe);
                            long started = System.nanoTime();
                            List<Connection> open = openAndWork(galera, port, sessions);
                            long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                            long[] after = router ? routerMem(in, out) : new long[] {0, DbRouterChild.rss(haproxy.pid()), 0};
                            // the router's own count (its pool keeps connections between rounds); HAProxy's on the node
                            long backends = router ? after[2] : threadsConnected(probe) - threadsBefore;
                            for (Connection c : open) {
                                c.close();
                            }
                            Sample s = new Sample(before[1], after[1], before[0], after[0], backends, openMs);
                            runs.get(target).add(s);
                            System.out.printf("round %d, %s: RSS %d -> %d MiB, heap %d -> %d MiB, %d backend connections, "
                                    + "%d ms%n", r + 1, target, before[1] >> 20, after[1] >> 20, before[0] >> 20,
                                    after[0] >> 20, backends, openMs);
                            Thread.sleep(2_000); // let the closes reach the servers
                        }
                    }
                }
                in.println("quit");
                child.waitFor(10, TimeUnit.SECONDS);
            } finally {
                child.destroyForcibly();
            }
        }
        String report = report(runs, sessions, rounds);
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    /** {heap used after GC, RSS, backend connections to the writer} of the router process. */
    private static long[] routerMem(PrintWriter in, BufferedReader out) throws IOException {
        in.println("mem");
        String[] m = out.readLine().split(" ");
        return new long[] {Long.parseLong(m[1]), Long.parseLong(m[2]), Long.parseLong(m[3])};
    }

    private static List<Connection> openAndWork(GaleraCluster galera, int port, int sessions) throws Exception {
        List<Connection> open = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                fs.add(pool.submit(() -> {
                    for (int i = first; i < sessions; i += THREADS) {
                        Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/muxbench",
                                galera.user(), galera.password());
                        open.add(c);
                        c.setAutoCommit(i % 2 == 0);
                        try (Statement s = c.createStatement()) {
                            try (ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = " + i)) {
                                rs.next();
                            }
                            s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + i);
                        }
                        if (!c.getAutoCommit()) {
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return open;
    }

    private static int threadsConnected(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_connected'")) {
            rs.next();
            return rs.getInt(2);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String report(Map<String, List<Sample>> runs, int sessions, int rounds) {
        StringBuilder b = new StringBuilder("# DB router: what 1,000 mostly idle sessions cost\n\n");
        b.append("Run ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" by `bench/db-multiplex.sh`: ").append(sessions).append(" Connector/J sessions opened from ")
                .append(THREADS).append(" threads, half with autocommit off, each running one SELECT and one UPDATE ")
                .append("(and a COMMIT), all held open while measured, through the sidecar DB router (its own JVM, ")
                .append("defaults: multiplexing on, 50 backend connections per node) and through HAProxy in TCP mode in ")
                .append("front of the same writer, ").append(rounds).append(" rounds, order alternating; 3-node MariaDB ")
                .append("10.11 Galera cluster on the same ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores. Memory: growth of the proxy's resident set (VmRSS) from before the sessions opened to ")
                .append("while they were open, and for the router its heap used after a full GC. Backend connections ")
                .append("while the sessions were open: the router's own count of its connections to the writer (its ")
                .append("pool keeps them between rounds; `DbMultiplexIT` checks the same cap against the node's ")
                .append("`Threads_connected`), and for HAProxy the growth of the writer's `Threads_connected`. A direct ")
                .append("connection holds one backend connection per session, as HAProxy does.\n\n");
        b.append("| through | RSS before, round 1 MiB | RSS with the sessions open, median MiB (min-max) | ")
                .append("growth in round 1 MiB | heap after GC before -> open, median MiB | backend connections ")
                .append("(median) | open+work ms (median) |\n|---|---|---|---|---|---|---|\n");
        runs.forEach((target, list) -> {
            long[] rssOpen = list.stream().mapToLong(Sample::rssOpen).toArray();
            long[] heapBefore = list.stream().mapToLong(Sample::heapBefore).toArray();
            long[] heapOpen = list.stream().mapToLong(Sample::heapOpen).toArray();
            long[] conns = list.stream().mapToLong(Sample::backendConnections).toArray();
            long[] ms = list.stream().mapToLong(Sample::openMs).toArray();
            Sample first = list.get(0);
            boolean router = target.startsWith("sidecar");
            b.append(String.format("| %s | %.1f | %.1f (%.1f-%.1f) | %.1f | %s | %d | %d |%n", target,
                    first.rssBefore() / 1048576.0, median(rssOpen) / 1048576.0,
                    Arrays.stream(rssOpen).min().orElse(0) / 1048576.0, Arrays.stream(rssOpen).max().orElse(0) / 1048576.0,
                    (first.rssOpen() - first.rssBefore()) / 1048576.0,
                    router ? String.format("%.1f -> %.1f", median(heapBefore) / 1048576.0, median(heapOpen) / 1048576.0)
                            : "-", median(conns), median(ms)));
        });
        b.append("\nRound 1 starts from a router (and HAProxy) that served nothing yet; later rounds find the memory ")
                .append("and the router's pooled backend connections of the earlier ones, so their growth is near zero.\n");
        return b.toString();
    }
}

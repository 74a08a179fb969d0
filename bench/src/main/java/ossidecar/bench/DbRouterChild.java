package ossidecar.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A DB router in a JVM of its own, so that its memory is measured apart from the clients:
 * prints {@code PORT <n>}, then answers {@code mem} on stdin with {@code MEM <heap used after
 * GC> <RSS>} in bytes, until {@code quit}. Args: user, password, then each Galera node's port.
 */
public final class DbRouterChild {
    private DbRouterChild() {
    }

    public static void main(String[] args) throws Exception {
        ProductDefaults.apply();
        String user = args[0];
        String password = args[1];
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            nodes.add(new BackendNode("galera-" + (i - 1), new Endpoint("127.0.0.1", Integer.parseInt(args[i]))));
        }
        DbRouterConfig config = new DbRouterConfig(true, List.of(new DbListener(DbRole.WRITER, new Endpoint("127.0.0.1", 0))),
                nodes, List.of(new DbUser(user, new Secret(password), null)),
                new GaleraMonitorConfig(user, new Secret(password), Duration.ofMillis(500), Duration.ofSeconds(1), 100),
                Duration.ofSeconds(3), DbRouterConfig.DEFAULT_WRITER_WAIT, true);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (GaleraTopology topology = GaleraTopology.start(config, new NodeRegistry("db", meters, Clock.systemUTC()), meters);
             DbRouter router = DbRouter.start(config, WriterSource.of(topology), meters)) {
            System.out.println("PORT " + router.port(0) + " WRITER " + topology.writer().name());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                if (line.equals("mem")) {
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    System.out.println("MEM " + (rt.totalMemory() - rt.freeMemory()) + " " + rss(ProcessHandle.current().pid())
                            + " " + router.backendConnections(topology.writer().name()));
                    System.out.flush();
                }
            }
        }
    }

    /** Resident set size of a process, from /proc. */
    static long rss(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}

package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.core.admin.AdminRoutes;
import ossidecar.core.admin.AdminServer;
import ossidecar.core.admin.HealthChecks;
import ossidecar.core.admin.StatusReports;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;
import ossidecar.core.logging.LogControl;
import ossidecar.core.metrics.SidecarMetrics;

/**
 * A broker node that is back takes new clients again without any client having to try it
 * (issue #10, section 2): after SIGKILL and restart, the proxy's probe finds the node, so
 * {@code /status} shows it UP and {@code sidecar_node_available} is 1 within two probe
 * intervals, and the next client connections are spread over all three nodes by round-robin.
 * Everything is read the way an operator reads it: over the admin HTTP endpoints.
 */
class AmqpNodeReturnIT {
    private static final int VICTIM = 3;
    private static final List<Integer> NODES = List.of(1, 2, 3);
    private static final Duration PROBE_INTERVAL = AmqpProxyConfig.DEFAULT_PROBE_INTERVAL;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRestartedNodeIsUpWithinTwoProbeIntervalsAndTakesNewClientsAgain() throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        List<Connection> clients = new ArrayList<>();
        boolean killed = false;
        try (Sidecar sidecar = Sidecar.start(cluster)) {
            try {
                // one client per node (round-robin from a fresh pool): one of them sits on the victim
                for (int i = 0; i < NODES.size(); i++) {
                    clients.add(sidecar.factory().newConnection());
                }
                Map<String, Integer> onePerNode = Map.of("rabbit-1", 1, "rabbit-2", 1, "rabbit-3", 1);
                Await.until(Duration.ofSeconds(10), () -> sidecar.upstreams().equals(onePerNode),
                        () -> "one upstream connection per node: " + sidecar.upstreams());

                cluster.node(VICTIM).kill();
                killed = true;
                Await.until(Duration.ofSeconds(30), () -> sidecar.state(VICTIM).equals("DOWN")
                        && sidecar.available(VICTIM) == 0.0, "/status and /metrics show the killed node DOWN");
                // the victim's client was moved to another node by the proxy's own failover
                Await.until(Duration.ofSeconds(30), () -> sidecar.upstreams().get("rabbit-3") == 0
                        && total(sidecar.upstreams()) == 3,
                        () -> "the victim's client rebuilt elsewhere: " + sidecar.upstreams());
                Await.until(Duration.ofSeconds(30), () -> sidecar.failedProbes(VICTIM) >= 2,
                        "the DOWN node probed (and refusing) while it is down");

                cluster.restart(VICTIM);
                killed = false;
                long ready = System.nanoTime();
                Await.until(PROBE_INTERVAL.multipliedBy(2), () -> sidecar.state(VICTIM).equals("UP")
                        && sidecar.available(VICTIM) == 1.0,
                        "/status UP and sidecar_node_available 1 within two probe intervals of the node being ready");
                long upMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ready);
                System.out.printf("node %d UP %d ms after it was ready again (probe interval %d ms, %.0f probes failed"
                        + " while it was down)%n", VICTIM, upMs, PROBE_INTERVAL.toMillis(), sidecar.failedProbes(VICTIM));

                // one DOWN and one UP logged and counted for the outage (the first UP is the first connect)
                assertEquals(1.0, sidecar.transitions(VICTIM, "DOWN"), "one DOWN transition");
                assertEquals(2.0, sidecar.transitions(VICTIM, "UP"), "UNKNOWN -> UP, then one DOWN -> UP");

                Map<String, Integer> before = sidecar.upstreams();
                assertEquals(0, before.get("rabbit-3"), "existing connections are not moved back");
                for (int i = 0; i < 6; i++) {
                    clients.add(sidecar.factory().newConnection());
                }
                Await.until(Duration.ofSeconds(10), () -> total(sidecar.upstreams()) == total(before) + 6,
                        () -> "6 more upstream connections: " + sidecar.upstreams());
                Map<String, Integer> after = sidecar.upstreams();
                System.out.printf("upstream connections per node before %s, after 6 new clients %s%n", before, after);
                for (String node : List.of("rabbit-1", "rabbit-2", "rabbit-3")) {
                    assertEquals(2, after.get(node) - before.get(node),
                            "round-robin gives each node 2 of 6 new clients: before " + before + ", after " + after);
                }
            } finally {
                for (Connection c : clients) {
                    closeQuietly(c);
                }
                if (killed) {
                    cluster.restart(VICTIM);
                }
            }
        }
        Await.until(Duration.ofSeconds(60), () -> cluster.clusterRunningNodes(1).size() == cluster.size(),
                "every node a running member of the cluster again");
    }

    private static int total(Map<String, Integer> perNode) {
        return perNode.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close(5_000);
        } catch (IOException | RuntimeException e) {
            // the test's outcome is decided; a close that fails changes nothing
        }
    }

    /**
     * The proxy with the admin endpoints as {@code sidecar run} wires them (one Prometheus
     * registry, {@code /status} with the pool's nodes and the proxy's connections), on port-0
     * listeners in front of the harness cluster.
     */
    private static final class Sidecar implements AutoCloseable {
        private final SidecarMetrics metrics;
        private final AmqpProxy proxy;
        private final AdminServer admin;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Sidecar(SidecarMetrics metrics, AmqpProxy proxy, AdminServer admin) {
            this.metrics = metrics;
            this.proxy = proxy;
            this.admin = admin;
        }

        static Sidecar start(RabbitCluster cluster) throws InterruptedException {
            List<BackendNode> backends = NODES.stream()
                    .map(i -> new BackendNode(ProxyUnderTest.backendName(i), new Endpoint("127.0.0.1", cluster.amqpPort(i))))
                    .toList();
            AmqpProxyConfig config = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0), backends,
                    ConnectStrategy.ROUND_ROBIN, Duration.ofSeconds(2), Duration.ofSeconds(2),
                    AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT, AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET,
                    (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20, PROBE_INTERVAL);
            SidecarMetrics metrics = new SidecarMetrics();
            NodeRegistry nodes = new NodeRegistry("amqp", metrics.registry(), Clock.systemUTC());
            AmqpProxy proxy = AmqpProxy.start(config, nodes, metrics.registry());
            try {
                HealthChecks health = new HealthChecks();
                health.register("amqp", nodes::health);
                StatusReports status = new StatusReports();
                status.register("amqp", () -> Map.of("nodes", nodes.status(), "clients", proxy.status()));
                AdminServer admin = AdminServer.start(new Endpoint("127.0.0.1", 0),
                        new AdminRoutes(metrics, health, status, new LogControl()));
                return new Sidecar(metrics, proxy, admin);
            } catch (RuntimeException | InterruptedException e) {
                proxy.close();
                metrics.close();
                throw e;
            }
        }

        ConnectionFactory factory() {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("127.0.0.1");
            f.setPort(proxy.port());
            f.setUsername(RabbitCluster.USER);
            f.setPassword(RabbitCluster.PASSWORD);
            f.setAutomaticRecoveryEnabled(false);
            f.setTopologyRecoveryEnabled(false);
            f.setConnectionTimeout(10_000);
            return f;
        }

        /** The node's state in {@code GET /status}. */
        String state(int node) {
            for (JsonNode n : status().path("amqp").path("nodes")) {
                if (n.path("node").asText().equals(ProxyUnderTest.backendName(node))) {
                    return n.path("state").asText();
                }
            }
            throw new AssertionError("no node " + node + " in /status: " + status());
        }

        /** Open upstream connections per node in {@code GET /status}. */
        Map<String, Integer> upstreams() {
            Map<String, Integer> out = new java.util.TreeMap<>();
            status().path("amqp").path("clients").path("upstream_connections").properties()
                    .forEach(e -> out.put(e.getKey(), e.getValue().asInt()));
            return out;
        }

        /** {@code sidecar_node_available} for the node in {@code GET /metrics}. */
        double available(int node) {
            return sample("sidecar_node_available", "node=\"" + ProxyUnderTest.backendName(node) + "\"");
        }

        /** {@code sidecar_node_transitions_total} of the node into state {@code to}. */
        double transitions(int node, String to) {
            return sample("sidecar_node_transitions_total", "node=\"" + ProxyUnderTest.backendName(node) + "\"",
                    "to=\"" + to + "\"");
        }

        /** {@code sidecar_node_probes_total{outcome="failed"}} for the node, 0 before the first. */
        double failedProbes(int node) {
            try {
                return sample("sidecar_node_probes_total", "node=\"" + ProxyUnderTest.backendName(node) + "\"",
                        "outcome=\"failed\"");
            } catch (AssertionError none) {
                return 0;
            }
        }

        private double sample(String name, String... labels) {
            for (String line : get("/metrics").split("\n")) {
                if (!line.startsWith(name + "{")) {
                    continue;
                }
                String labelText = line.substring(0, line.lastIndexOf('}') + 1);
                boolean all = true;
                for (String l : labels) {
                    all &= labelText.contains(l);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError("no sample " + name + " " + List.of(labels) + " in /metrics");
        }

        private JsonNode status() {
            try {
                return JSON.readTree(get("/status"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String get(String path) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + admin.port() + path))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            admin.close();
            proxy.close();
            metrics.close();
        }
    }
}

package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * Debian's python3-kombu (what oslo.messaging uses) and python3-pika, unchanged and with their
 * own retries unused, publish and consume through the proxy while the node under them is
 * SIGKILLed: the scripts must finish without an exception and with every message received.
 */
class AmqpPythonFailoverIT {
    private static final int VICTIM = 3;
    private static final int MESSAGES = 2000;

    @TempDir
    Path dir;

    @Test
    void kombuWithConfirmsAndAQuorumQueueSurvivesASigkill() throws Exception {
        runThroughKill("kombu_failover.py", "/", "kombu-failover-" + Long.toString(System.nanoTime(), 36));
    }

    @Test
    void pikaWithAServerNamedExclusiveQueueSurvivesASigkill() throws Exception {
        runThroughKill("pika_failover.py", "/%2F");
    }

    private void runThroughKill(String script, String vhostPath, String... extraArgs) throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(VICTIM, 1, 2), Duration.ofSeconds(2))) {
            Path file = dir.resolve(script);
            try (InputStream in = getClass().getResourceAsStream("/python/" + script)) {
                Files.copy(in, file);
            }
            List<String> cmd = new ArrayList<>(List.of(AmqpPythonClientsIT.PYTHON, file.toString(),
                    "amqp://sidecar:sidecar@127.0.0.1:" + proxy.proxy.port() + vhostPath, Integer.toString(MESSAGES)));
            cmd.addAll(List.of(extraArgs));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            CompletableFuture<Void> half = new CompletableFuture<>();
            Thread reader = new Thread(() -> readLines(p, output, half), script + "-output");
            reader.setDaemon(true);
            reader.start();
            try {
                half.get(60, TimeUnit.SECONDS);
                assertEquals(1, proxy.upstreamConnections(VICTIM), "the client's upstream is on the victim");
                cluster.node(VICTIM).kill();
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), script + " finished within 120 s: " + output);
                reader.join(5_000);
                String last;
                synchronized (output) {
                    last = output.isEmpty() ? "" : output.get(output.size() - 1);
                }
                System.out.printf("%s through a SIGKILL of the node under it: %s; proxy recoveries %s%n", script, last,
                        proxy.meters.get("sidecar.amqp.recoveries").tag("outcome", "recovered").counter().count());
                assertEquals(0, p.exitValue(), script + " output: " + output);
                assertTrue(last.startsWith("OK " + MESSAGES + " "), "every message received: " + last);
                assertEquals(1.0, proxy.meters.get("sidecar.amqp.recoveries").tag("outcome", "recovered").counter().count());
            } finally {
                p.destroyForcibly();
                if (!cluster.node(VICTIM).isRunning()) {
                    cluster.restart(VICTIM);
                }
                Await.until(Duration.ofSeconds(60), () -> cluster.clusterRunningNodes(1).size() == cluster.size(),
                        "every node a running member of the cluster again");
            }
        }
    }

    private static void readLines(Process p, List<String> output, CompletableFuture<Void> half) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.equals("HALF")) {
                    half.complete(null);
                }
            }
        } catch (java.io.IOException e) {
            half.completeExceptionally(e);
        }
        half.completeExceptionally(new IllegalStateException("script ended before half its messages: " + output));
    }
}

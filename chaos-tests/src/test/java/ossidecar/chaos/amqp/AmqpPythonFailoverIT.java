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
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ossidecar.amqp.proxy.RecoveryStats;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.RabbitCluster;

/**
 * Debian's python3-kombu, python3-oslo.messaging and python3-pika, unchanged and with their
 * own retries unused, publish and consume through the proxy while the node under them fails:
 * the scripts must finish without an exception, a nack or a failed call, and with every
 * message received. For kombu and oslo.messaging the node under them also holds the leader of
 * the quorum queue they use (it is declared through the proxy, so on that node), the case in
 * which RabbitMQ nacks publishes until a new leader is elected.
 */
class AmqpPythonFailoverIT {
    private static final int VICTIM = 3;
    private static final int SURVIVOR = 1;
    private static final int MESSAGES = 2000;
    private static final int RPC_CALLS = 2000;
    private static final int RPC_THREADS = 4;

    enum Fault { KILL, STOP }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} of the node under kombu that holds the queue leader")
    @EnumSource(Fault.class)
    void kombuWithConfirmsAndAQuorumQueueSeesNoNackWhenTheLeaderNodeFails(Fault fault) throws Exception {
        String queue = "kombu-failover-" + Long.toString(System.nanoTime(), 36);
        String last = runThrough(fault, "kombu_failover.py", "/", queue, Integer.toString(MESSAGES), queue);
        assertTrue(last.startsWith("OK " + MESSAGES + " "), "every message received: " + last);
    }

    @ParameterizedTest(name = "{0} of the node under an RPC client and server that holds the topic queue leader")
    @EnumSource(Fault.class)
    void osloMessagingRpcOverQuorumQueuesHasNoFailedCallWhenTheLeaderNodeFails(Fault fault) throws Exception {
        String topic = "rpc-failover-" + Long.toString(System.nanoTime(), 36);
        String last;
        try {
            last = runThrough(fault, "oslo_rpc_failover.py", "/", topic, topic, Integer.toString(RPC_CALLS),
                    Integer.toString(RPC_THREADS));
        } finally {
            // the server's durable quorum queues outlive the script
            try (var c = SharedClusters.rabbit().connectionFactory(SURVIVOR).newConnection("rpc-failover-cleanup")) {
                var ch = c.createChannel();
                ch.queueDelete(topic);
                ch.queueDelete(topic + ".server-1");
            }
        }
        assertTrue(last.startsWith("OK " + RPC_CALLS + " 0 "), "every call answered, none failed: " + last);
    }

    @Test
    void pikaWithAServerNamedExclusiveQueueSurvivesASigkill() throws Exception {
        String last = runThrough(Fault.KILL, "pika_failover.py", "/%2F", null, Integer.toString(MESSAGES));
        assertTrue(last.startsWith("OK " + MESSAGES + " "), "every message received: " + last);
    }

    /**
     * Runs {@code script URL args...}, applies {@code fault} to the victim once the script
     * prints HALF (after checking that the victim leads {@code leaderOf}, when given), and
     * returns the script's last line once it exited 0 with the proxy having recovered once and
     * passed no nack on.
     */
    private String runThrough(Fault fault, String script, String vhostPath, String leaderOf, String... args)
            throws Exception {
        RabbitCluster cluster = SharedClusters.rabbit();
        try (ProxyUnderTest proxy = ProxyUnderTest.start(cluster, List.of(VICTIM, 1, 2), Duration.ofSeconds(2))) {
            Path file = dir.resolve(script);
            try (InputStream in = getClass().getResourceAsStream("/python/" + script)) {
                Files.copy(in, file);
            }
            List<String> cmd = new ArrayList<>(List.of(AmqpPythonClientsIT.PYTHON, file.toString(),
                    // oslo.messaging takes amqp:// for its AMQP 1.0 driver; rabbit:// is the same URL to kombu
                    (script.startsWith("oslo") ? "rabbit" : "amqp") + "://sidecar:sidecar@127.0.0.1:" + proxy.proxy.port()
                            + vhostPath));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            CompletableFuture<Void> half = new CompletableFuture<>();
            Thread reader = new Thread(() -> readLines(p, output, half), script + "-output");
            reader.setDaemon(true);
            reader.start();
            try {
                half.get(120, TimeUnit.SECONDS);
                assertTrue(proxy.upstreamConnections(VICTIM) >= 1, "the client's upstream is on the victim");
                if (leaderOf != null) {
                    assertEquals(OptionalInt.of(VICTIM), cluster.quorumLeader(SURVIVOR, leaderOf), "leader of " + leaderOf);
                }
                if (fault == Fault.KILL) {
                    cluster.node(VICTIM).kill();
                } else {
                    cluster.node(VICTIM).stop();
                }
                assertTrue(p.waitFor(180, TimeUnit.SECONDS), script + " finished within 180 s: " + output);
                reader.join(5_000);
                String last;
                synchronized (output) {
                    last = output.isEmpty() ? "" : output.get(output.size() - 1);
                }
                RecoveryStats stats = proxy.proxy.recoveryStats();
                System.out.printf("%s through a %s of the node under it: %s%n  proxy: %s%n", script, fault, last, stats);
                assertEquals(0, p.exitValue(), script + " output: " + output);
                assertTrue(stats.recovered() >= 1, "the proxy recovered the client: " + stats);
                assertEquals(0, stats.gaveUp(), "the proxy gave up on no client: " + stats);
                assertEquals(0, stats.nacksPassedOn(), "no nack passed on to the client: " + stats);
                return last;
            } finally {
                p.destroyForcibly();
                cluster.bringAllBack(SURVIVOR);
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

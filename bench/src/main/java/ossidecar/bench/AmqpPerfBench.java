package ossidecar.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.chaos.harness.PortAllocator;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

/**
 * RabbitMQ PerfTest for a fixed time against one broker node directly, through HAProxy and
 * through the sidecar's AMQP proxy, in one run, in that order, on one machine. Writes a
 * markdown table of msg/s and the ratios to the results file given as the first argument.
 */
public final class AmqpPerfBench {
    private static final Pattern RATE = Pattern.compile("(sending|receiving) rate avg: (\\d+) msg/s");

    private AmqpPerfBench() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "results/amqp-perftest.md");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<String> perfArgs = List.of("-x", "1", "-y", "1", "-s", "1000", "-z", Integer.toString(seconds),
                "-c", "100", "-q", "100", "-u", "bench-perftest", "-ad", "false", "-f", "persistent");
        Path work = Files.createTempDirectory("amqp-bench");
        Map<String, int[]> rates = new LinkedHashMap<>();
        try (RabbitCluster rabbit = RabbitCluster.start(1)) {
            int brokerPort = rabbit.amqpPort(1);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            AmqpProxyConfig cfg = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0),
                    List.of(new BackendNode("rabbit-1", new Endpoint("127.0.0.1", brokerPort))),
                    ConnectStrategy.PRIORITY, AmqpProxyConfig.DEFAULT_HEARTBEAT, AmqpProxyConfig.DEFAULT_CONNECT_TIMEOUT,
                    AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT, AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET,
                    (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
            try (AmqpProxy proxy = AmqpProxy.start(cfg, new NodeRegistry("amqp", meters, Clock.systemUTC()), meters);
                 Haproxy haproxy = Haproxy.start(work, new PortAllocator().allocate(), brokerPort)) {
                Map<String, Integer> targets = new LinkedHashMap<>();
                targets.put("direct", brokerPort);
                targets.put("haproxy", haproxy.port());
                targets.put("sidecar", proxy.port());
                for (Map.Entry<String, Integer> t : targets.entrySet()) {
                    List<String> a = new ArrayList<>(List.of("-h", "amqp://" + rabbit.user() + ":" + rabbit.password()
                            + "@127.0.0.1:" + t.getValue()));
                    a.addAll(perfArgs);
                    System.out.println("PerfTest " + seconds + " s against " + t.getKey() + " (port " + t.getValue() + ")...");
                    String out = BenchProcess.run(BenchProcess.java("com.rabbitmq.perf.PerfTest", a),
                            Duration.ofSeconds(seconds + 60), work.resolve("perftest-" + t.getKey() + ".log"));
                    rates.put(t.getKey(), parse(out));
                    System.out.printf("  %s: sending %d msg/s, receiving %d msg/s%n", t.getKey(),
                            rates.get(t.getKey())[0], rates.get(t.getKey())[1]);
                }
            }
        }
        String report = report(rates, seconds, perfArgs);
        Files.createDirectories(results.toAbsolutePath().getParent());
        Files.writeString(results, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static int[] parse(String out) {
        int[] r = {-1, -1};
        Matcher m = RATE.matcher(out);
        while (m.find()) {
            r[m.group(1).equals("sending") ? 0 : 1] = Integer.parseInt(m.group(2));
        }
        if (r[0] < 0 || r[1] < 0) {
            throw new IllegalStateException("PerfTest printed no summary rates:\n" + out);
        }
        return r;
    }

    private static String report(Map<String, int[]> rates, int seconds, List<String> perfArgs) {
        int[] direct = rates.get("direct");
        StringBuilder b = new StringBuilder();
        b.append("# AMQP throughput: direct vs HAProxy vs sidecar proxy\n\n");
        b.append("Run ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append(" by `bench/amqp-perftest.sh`: RabbitMQ PerfTest 2.22.1, ").append(seconds)
                .append(" s per target, one after the other, against one RabbitMQ 3.10 node started by the harness, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores shared by broker, proxy and load generator.\n\n");
        b.append("PerfTest arguments: `").append(String.join(" ", perfArgs)).append("`\n\n");
        b.append("| target | sending msg/s | receiving msg/s | receiving / direct |\n|---|---|---|---|\n");
        rates.forEach((k, v) -> b.append(String.format("| %s | %d | %d | %.3f |%n", k, v[0], v[1], v[1] / (double) direct[1])));
        b.append(String.format("%nTarget: sidecar at least 0.95 of direct. Measured: %.3f of direct, %.3f of HAProxy.%n",
                rates.get("sidecar")[1] / (double) direct[1],
                rates.get("sidecar")[1] / (double) rates.get("haproxy")[1]));
        return b.toString();
    }
}

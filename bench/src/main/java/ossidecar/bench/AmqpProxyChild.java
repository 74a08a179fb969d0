package ossidecar.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

/**
 * The AMQP proxy in a JVM of its own, so that its CPU time and memory are measured apart from
 * the load generator (and a profiler sees only it): prints {@code PORT <n>}, then runs until
 * {@code quit} or the end of stdin. Args: each broker node's AMQP port, in priority order.
 */
public final class AmqpProxyChild {
    private AmqpProxyChild() {
    }

    public static void main(String[] args) throws Exception {
        ProductDefaults.apply();
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            nodes.add(new BackendNode("rabbit-" + (i + 1), new Endpoint("127.0.0.1", Integer.parseInt(args[i]))));
        }
        AmqpProxyConfig cfg = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0), nodes, ConnectStrategy.PRIORITY,
                AmqpProxyConfig.DEFAULT_HEARTBEAT, AmqpProxyConfig.DEFAULT_CONNECT_TIMEOUT,
                AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT, AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET,
                (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AmqpProxy proxy = AmqpProxy.start(cfg, new NodeRegistry("amqp", meters, Clock.systemUTC()), meters)) {
            System.out.println("PORT " + proxy.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                // only quit is understood; anything else is ignored
            }
        }
        System.exit(0); // a flight recording asked for on the command line is written on exit
    }
}

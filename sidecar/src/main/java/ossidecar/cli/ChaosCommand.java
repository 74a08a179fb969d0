package ossidecar.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.proxy.AmqpProxy;
import ossidecar.amqp.proxy.RecoveryStats;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.chaos.harness.RabbitNode;
import ossidecar.cli.demo.AmqpWorkload;
import ossidecar.cli.demo.AmqpWorkloadResult;
import ossidecar.cli.demo.DemoClock;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ConnectStrategy;
import ossidecar.core.config.Endpoint;
import ossidecar.core.health.NodeRegistry;

/**
 * {@code sidecar chaos}: node faults under a workload through the proxy, against local
 * clusters, with the invariants checked after each (no confirmed message lost, no publish nacked
 * or left unanswered, no connection loss seen by the client) and the client-visible cost
 * recorded. Exit 1 when an invariant fails.
 */
final class ChaosCommand implements Command {
    private static final Duration BOUND = Duration.ofSeconds(120);

    /**
     * @param healOnDetection heal as soon as the proxy dropped the client's upstream, before
     *                        waiting for the workload: a node paused by SIGSTOP stalls the whole
     *                        RabbitMQ cluster (Mnesia, quorum queue leaders) until Erlang's
     *                        net_ticktime (60 s) declares it down, which is not the proxy's fault
     */
    private record Fault(String name, Consumer<RabbitNode> inject, Consumer<RabbitNode> heal, boolean healOnDetection) {
    }

    private record Outcome(String fault, AmqpWorkloadResult result, long recoveryMs) {
    }

    @Override
    public boolean needsConfig() {
        return false;
    }

    @Override
    public int execute(Path config, PrintStream out, PrintStream err) throws InterruptedException {
        if (config != null) {
            err.println("sidecar chaos -c: running against a real deployment (node faults as shell commands from "
                    + "the config) is not in this build yet; run `sidecar chaos` without -c for the local clusters");
            return 2;
        }
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("ossidecar.amqp")).setLevel(Level.INFO);
        DemoClock clock = new DemoClock(out);
        List<Fault> faults = List.of(
                new Fault("SIGKILL", RabbitNode::kill, n -> n.startAndAwaitReady(BOUND), false),
                new Fault("SIGSTOP", RabbitNode::pause, RabbitNode::resume, true),
                new Fault("clean stop", RabbitNode::stop, n -> n.startAndAwaitReady(BOUND), false));
        List<Outcome> outcomes = new ArrayList<>();
        clock.say("starting a 3-node RabbitMQ cluster on loopback...");
        try (RabbitCluster rabbit = RabbitCluster.start(3)) {
            for (Fault f : faults) {
                outcomes.add(run(rabbit, f, clock));
            }
        } catch (RuntimeException e) {
            err.println("sidecar chaos failed: " + e.getMessage());
            return 1;
        }
        out.println();
        out.printf("%-12s %10s %10s %7s %11s %6s %10s %13s %12s%n", "fault", "published", "confirmed", "nacked",
                "unanswered", "lost", "duplicates", "client errors", "recovery ms");
        List<String> broken = new ArrayList<>();
        for (Outcome o : outcomes) {
            AmqpWorkloadResult r = o.result();
            out.printf("%-12s %10d %10d %7d %11d %6d %10d %13d %12d%n", o.fault(), r.published(), r.confirmed(),
                    r.nacked(), r.unanswered(), r.lost(), r.duplicates(), r.connectionLosses(), o.recoveryMs());
            r.brokenInvariants().forEach(b -> broken.add(o.fault() + ": " + b));
        }
        if (broken.isEmpty()) {
            out.println("invariants held: no confirmed message lost, no publish nacked or unanswered, "
                    + "no connection loss seen by the client");
            return 0;
        }
        out.println("INVARIANT BROKEN: " + String.join("; ", broken));
        return 1;
    }

    private static Outcome run(RabbitCluster rabbit, Fault fault, DemoClock clock) throws InterruptedException {
        List<BackendNode> nodes = List.of(1, 2, 3).stream()
                .map(i -> new BackendNode("rabbit-" + i, new Endpoint("127.0.0.1", rabbit.amqpPort(i)))).toList();
        AmqpProxyConfig cfg = new AmqpProxyConfig(true, new Endpoint("127.0.0.1", 0), nodes, ConnectStrategy.PRIORITY,
                Duration.ofSeconds(2), Duration.ofSeconds(2), AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT,
                AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET,
                (long) AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AmqpProxy proxy = AmqpProxy.start(cfg, new NodeRegistry("amqp", meters, Clock.systemUTC()), meters)) {
            ConnectionFactory f = new ConnectionFactory();
            f.setPort(proxy.port());
            f.setUsername(rabbit.user());
            f.setPassword(rabbit.password());
            f.setAutomaticRecoveryEnabled(false);
            AmqpWorkload w = new AmqpWorkload(f, "sidecar-chaos-" + fault.name().replace(' ', '-'), clock);
            RabbitNode victim = rabbit.node(1);
            try {
                Await.until(BOUND, () -> w.received() > 200, "workload running");
                clock.say("%s on %s", fault.name(), victim.name());
                fault.inject().accept(victim);
                if (fault.healOnDetection()) {
                    Await.until(BOUND, () -> proxy.recoveryStats().started() > 0, "the proxy to detect " + fault.name());
                    fault.heal().accept(victim);
                }
                int before = w.received();
                Await.until(BOUND, () -> w.received() > before + 200, "workload recovered after " + fault.name());
                if (!fault.healOnDetection()) {
                    fault.heal().accept(victim);
                }
                victim.awaitReady(BOUND);
                w.close();
                Await.until(BOUND, () -> w.confirmedNotReceived() == 0, "confirmed messages delivered");
                RecoveryStats recovery = proxy.recoveryStats();
                clock.say("%s: %d connection losses the client saw; proxy: %s", fault.name(), w.connectionLosses(),
                        recovery);
                return new Outcome(fault.name(), w.result(), recovery.longestMillis());
            } catch (Await.TimeoutException e) {
                clock.say("%s: %s", fault.name(), e.getMessage());
                w.close();
                return new Outcome(fault.name(), w.result().unfinished(), -1);
            } finally {
                w.close();
                // leave the node running for the next scenario, whatever happened
                if (victim.isPaused()) {
                    victim.resume();
                }
                if (!victim.isRunning()) {
                    victim.startAndAwaitReady(BOUND);
                }
            }
        }
    }
}

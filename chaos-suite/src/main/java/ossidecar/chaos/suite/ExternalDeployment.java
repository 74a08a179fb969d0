package ossidecar.chaos.suite;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.chaos.harness.Await;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.ChaosConfig;
import ossidecar.core.config.ChaosConfig.ChaosNode;
import ossidecar.core.config.DbUser;
import ossidecar.core.config.SidecarConfig;

/**
 * A real deployment, as a config file describes it: the sidecar's own sections, and a
 * {@code chaos:} section with the Toxiproxy server in front of the nodes (optional) and each
 * node's kill, pause, resume, stop and start as shell commands (run with {@code sh -c}, e.g.
 * over ssh). A fault whose command or proxy is missing is skipped by the runner, with the reason.
 */
public final class ExternalDeployment implements Deployment {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalDeployment.class);
    private final SidecarConfig config;
    private final ChaosConfig chaos;
    private final ToxiproxyClient toxiproxy;

    public ExternalDeployment(SidecarConfig config) {
        this.config = config;
        this.chaos = config.chaos();
        if (chaos.toxiproxy() == null) {
            this.toxiproxy = null;
        } else {
            URI u = URI.create(chaos.toxiproxy().contains("://") ? chaos.toxiproxy() : "http://" + chaos.toxiproxy());
            this.toxiproxy = new ToxiproxyClient(u.getHost(), u.getPort() < 0 ? 8474 : u.getPort());
        }
    }

    @Override
    public SidecarConfig sidecarConfig() {
        return config;
    }

    @Override
    public Optional<String> cannot(NodeAction action, String node) {
        return command(action, node) == null
                ? Optional.of("no " + action.name().toLowerCase() + " command for " + node + " in chaos.nodes")
                : Optional.empty();
    }

    private String command(NodeAction action, String node) {
        Optional<ChaosNode> n = chaos.node(node);
        if (n.isEmpty()) {
            return null;
        }
        return switch (action) {
            case KILL -> n.get().kill();
            case PAUSE -> n.get().pause();
            case RESUME -> n.get().resume();
            case STOP -> n.get().stop();
            case START -> n.get().start();
        };
    }

    /** Runs the node's command for {@code action}; its output goes to the log, a failure is an exception. */
    @Override
    public void act(NodeAction action, String node) throws IOException, InterruptedException {
        String command = command(action, node);
        if (command == null) {
            throw new IllegalStateException(cannot(action, node).orElseThrow());
        }
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        boolean done = p.waitFor(chaos.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String output = done ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip() : "";
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // an ssh under the shell, say
            p.destroyForcibly();
            throw new IOException(action.name().toLowerCase() + " " + node + ": '" + command + "' still running after "
                    + chaos.commandTimeout().toSeconds() + " s (chaos.command-timeout)");
        }
        LOG.info("chaos: {} {}: '{}' exited {}{}", action.name().toLowerCase(), node, command, p.exitValue(),
                output.isEmpty() ? "" : ": " + output);
        if (p.exitValue() != 0) {
            throw new IOException(action.name().toLowerCase() + " " + node + ": '" + command + "' exited "
                    + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
        }
    }

    @Override
    public Optional<Proxy> toxiproxy(String node) {
        if (toxiproxy == null) {
            return Optional.empty();
        }
        String name = chaos.node(node).map(ChaosNode::toxiproxyProxy).orElse(node);
        try {
            return Optional.of(toxiproxy.getProxy(name));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String jdbcUrlOf(String node) {
        BackendNode n = config.db().nodes().stream().filter(b -> b.name().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no db node named " + node));
        return "jdbc:mariadb://" + n.address().host() + ":" + n.address().port() + "/";
    }

    @Override
    public String amqpUser() {
        return chaos.amqpUser();
    }

    @Override
    public String amqpPassword() {
        return chaos.amqpPassword().reveal();
    }

    @Override
    public String amqpVhost() {
        return chaos.amqpVhost();
    }

    @Override
    public String dbUser() {
        if (chaos.dbUser() != null) {
            return chaos.dbUser();
        }
        return config.db().users().stream().filter(u -> u.password() != null).map(DbUser::name).findFirst()
                .orElse(null);
    }

    @Override
    public String dbPassword() {
        if (chaos.dbPassword() != null) {
            return chaos.dbPassword().reveal();
        }
        return config.db().users().stream().filter(u -> u.name().equals(dbUser()) && u.password() != null)
                .map(u -> u.password().reveal()).findFirst().orElse(null);
    }

    @Override
    public Duration recoveryBound() {
        return chaos.commandTimeout();
    }

    /**
     * Removes every toxic the suite may have left, and brings back each node the sidecar does
     * not see usable: resume, then start when that is not enough, waiting for the sidecar's view.
     */
    @Override
    public void restoreAll(SystemUnderTest sut) throws Exception {
        List<String> nodes = new ArrayList<>();
        config.amqp().nodes().forEach(n -> nodes.add(n.name()));
        config.db().nodes().forEach(n -> nodes.add(n.name()));
        for (String n : nodes) {
            Optional<Proxy> p = toxiproxy(n);
            if (p.isPresent()) {
                Faults.clearToxics(p.get());
            }
        }
        for (String n : nodes) {
            if (sut.seesUp(n) || seenWithin(sut, n, Duration.ofSeconds(5))) {
                continue;
            }
            for (NodeAction a : List.of(NodeAction.RESUME, NodeAction.START)) {
                if (command(a, n) != null) {
                    act(a, n);
                    if (seenWithin(sut, n, recoveryBound())) {
                        break;
                    }
                }
            }
            if (!sut.seesUp(n)) {
                throw new IllegalStateException("the sidecar does not see " + n + " usable, and its resume/start "
                        + "commands did not bring it back: put the deployment right before running the suite again");
            }
        }
    }

    private static boolean seenWithin(SystemUnderTest sut, String node, Duration bound) {
        try {
            Await.until(bound, () -> sut.seesUp(node), node + " usable in the sidecar's view");
            return true;
        } catch (Await.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // nothing of the deployment belongs to the suite
    }
}

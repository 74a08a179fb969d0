package ossidecar.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code chaos:} section: what {@code sidecar chaos -c FILE} needs beyond the sidecar's own
 * config to break a real deployment on purpose. The proxies and their nodes come from the rest
 * of the file; this says how to reach the Toxiproxy server in front of the nodes (optional),
 * which accounts the suite's client workloads use, and how to kill, pause, resume, stop and
 * start each node (shell commands, e.g. over ssh). A fault whose command or proxy is missing
 * is not run: its scenarios are reported as skipped with the reason.
 *
 * @param toxiproxy       the Toxiproxy server's API URL, or null when there is none
 * @param amqpUser        the AMQP account the workloads log in with through the proxy
 * @param dbUser          the DB account the workloads log in with through the router, or null
 *                        for the first of {@code db.users} with a plain password
 * @param commandTimeout  how long a fault command may run, and a started node may take to be
 *                        seen again by the sidecar
 */
public record ChaosConfig(boolean present, String toxiproxy, String amqpUser, Secret amqpPassword, String amqpVhost,
                          String dbUser, Secret dbPassword, Duration commandTimeout, List<ChaosNode> nodes) {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(120);

    public static ChaosConfig absent() {
        return new ChaosConfig(false, null, "guest", new Secret("guest"), "/", null, null, DEFAULT_COMMAND_TIMEOUT,
                List.of());
    }

    public Optional<ChaosNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /**
     * One node's fault commands (each null when not given) and the name of its proxy on the
     * Toxiproxy server (the node's own name unless set).
     */
    public record ChaosNode(String name, String toxiproxyProxy, String kill, String pause, String resume, String stop,
                            String start) {
    }
}

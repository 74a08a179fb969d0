package ossidecar.chaos.harness;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ cluster of nodes on 127.0.0.1, run from the installed {@code rabbitmq-server}
 * package, each node in its own directory of one {@link Sandbox}, with its own {@code epmd}.
 *
 * <p>Formation: node 1 boots alone; then nodes 2..n boot together and join node 1 through
 * {@code classic_config} peer discovery (they list node 1 only, so two fresh nodes never
 * pick each other). A restarted node keeps its database directory and rejoins by itself.
 * Users: {@code guest/guest} (loopback only, RabbitMQ's default) and {@link #USER}/{@link
 * #PASSWORD} (administrator, all permissions on {@code /}), added with rabbitmqctl.
 */
public final class RabbitCluster implements AutoCloseable {

    public static final String USER = "sidecar";
    public static final String PASSWORD = "sidecar";

    private static final Logger LOG = LoggerFactory.getLogger(RabbitCluster.class);
    private static final Path RABBIT_BIN = Path.of("/usr/lib/rabbitmq/bin");
    private static final Duration NODE_READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CTL_TIMEOUT = Duration.ofSeconds(30);
    private static final int CTL_DIST_PORTS = 10;
    private static final String ERL_ARGS = "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}";
    private static final Pattern RUNNING_NODES = Pattern.compile("\"running_nodes\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private final Sandbox sandbox;
    private final Map<String, String> baseEnv;
    private final NodeProcess epmd;
    private final List<RabbitNode> nodes = new ArrayList<>();

    private RabbitCluster(Sandbox sandbox, Map<String, String> baseEnv, NodeProcess epmd) {
        this.sandbox = sandbox;
        this.baseEnv = baseEnv;
        this.epmd = epmd;
    }

    /** Starts a cluster of {@code size} nodes and returns once all are running members. */
    public static RabbitCluster start(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1");
        }
        long started = System.nanoTime();
        Sandbox sandbox = Sandbox.create("rabbit-cluster-");
        RabbitCluster cluster = null;
        try {
            PortAllocator ports = new PortAllocator();
            cluster = prepare(sandbox, ports, size);
            cluster.form();
            LOG.info("rabbit cluster of {} nodes up in {} ms ({})", size,
                    (System.nanoTime() - started) / 1_000_000, sandbox.dir());
            return cluster;
        } catch (RuntimeException | Error e) {
            if (cluster != null) {
                cluster.close();
            } else {
                sandbox.close();
            }
            throw e;
        }
    }

    private static RabbitCluster prepare(Sandbox sandbox, PortAllocator ports, int size) {
        Path root = sandbox.dir();
        String clusterId = randomString("abcdefghijklmnopqrstuvwxyz0123456789", 6);
        int epmdPort = ports.allocate();
        int ctlDistMin = ports.allocateRange(CTL_DIST_PORTS);
        Path home = root.resolve("home");
        Path pluginsFile = root.resolve("enabled_plugins");
        try {
            Files.createDirectories(home);
            Path cookie = home.resolve(".erlang.cookie");
            Files.writeString(cookie, randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
            Files.writeString(pluginsFile, "[].\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        // Keep the package's /etc/rabbitmq/rabbitmq-env.conf out: point at a file that does not exist.
        env.put("RABBITMQ_CONF_ENV_FILE", root.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile.toString());
        env.put("RABBITMQ_CTL_DIST_PORT_MIN", Integer.toString(ctlDistMin));
        env.put("RABBITMQ_CTL_DIST_PORT_MAX", Integer.toString(ctlDistMin + CTL_DIST_PORTS - 1));
        env.put("RABBITMQ_CTL_ERL_ARGS", ERL_ARGS);
        Map<String, String> baseEnv = Map.copyOf(env);

        NodeProcess epmd = sandbox.process("epmd",
                List.of("epmd", "-port", Integer.toString(epmdPort), "-address", "127.0.0.1"),
                baseEnv, root.resolve("epmd.log"));
        RabbitCluster cluster = new RabbitCluster(sandbox, baseEnv, epmd);

        String firstNodeName = "rabbit-" + clusterId + "-1@localhost";
        for (int i = 1; i <= size; i++) {
            String nodeName = "rabbit-" + clusterId + "-" + i + "@localhost";
            int amqpPort = ports.allocate();
            int distPort = ports.allocate();
            Path dir = root.resolve("node" + i);
            StringBuilder conf = new StringBuilder()
                    .append("listeners.tcp.1 = 127.0.0.1:").append(amqpPort).append('\n')
                    .append("log.console = true\n")
                    .append("log.console.level = info\n")
                    .append("log.file = false\n")
                    .append("disk_free_limit.absolute = 10MB\n");
            if (i > 1) {
                conf.append("cluster_formation.peer_discovery_backend = classic_config\n")
                        .append("cluster_formation.classic_config.nodes.1 = ").append(firstNodeName).append('\n');
            }
            try {
                Files.createDirectories(dir.resolve("mnesia"));
                Files.createDirectories(dir.resolve("log"));
                Files.writeString(dir.resolve("rabbitmq.conf"), conf, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> nodeEnv = new HashMap<>(baseEnv);
            nodeEnv.put("RABBITMQ_NODENAME", nodeName);
            nodeEnv.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
            nodeEnv.put("RABBITMQ_NODE_PORT", Integer.toString(amqpPort));
            nodeEnv.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
            nodeEnv.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
            nodeEnv.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
            nodeEnv.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
            nodeEnv.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
            nodeEnv.put("RABBITMQ_PID_FILE", dir.resolve("rabbit.pid").toString());
            nodeEnv.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", ERL_ARGS);
            String name = "rabbit-" + i;
            NodeProcess process = sandbox.process(name,
                    List.of(RABBIT_BIN.resolve("rabbitmq-server").toString()), nodeEnv, dir.resolve("node.log"));
            cluster.nodes.add(new RabbitNode(name, nodeName, amqpPort, distPort, dir, process));
        }
        return cluster;
    }

    private void form() {
        epmd.start();
        Await.until(Duration.ofSeconds(10), () -> accepts(epmdPort()), "epmd to listen on " + epmdPort());
        RabbitNode first = nodes.get(0);
        first.start();
        first.awaitReady(NODE_READY_TIMEOUT);
        List<RabbitNode> joiners = nodes.subList(1, nodes.size());
        joiners.forEach(RabbitNode::start);
        // While the joiners boot (CPU-bound, ~10 s), add the user through node 1: user records
        // are cluster-wide, the joiners get them when they sync.
        rabbitmqctl(1, "add_user", USER, PASSWORD);
        rabbitmqctl(1, "set_permissions", "-p", "/", USER, ".*", ".*", ".*");
        rabbitmqctl(1, "set_user_tags", USER, "administrator");
        joiners.forEach(n -> n.awaitReady(NODE_READY_TIMEOUT));
        List<String> expected = nodes.stream().map(RabbitNode::nodeName).sorted().toList();
        List<String> running = clusterRunningNodes(nodes.size()).stream().sorted().toList();
        if (!running.equals(expected)) {
            throw new IllegalStateException("cluster did not form: running nodes " + running
                    + ", expected " + expected);
        }
    }

    private int epmdPort() {
        return Integer.parseInt(baseEnv.get("ERL_EPMD_PORT"));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int size() {
        return nodes.size();
    }

    /** Node {@code i}, 1-based. */
    public RabbitNode node(int i) {
        return Nodes.oneBased(nodes, i);
    }

    public List<RabbitNode> nodes() {
        return List.copyOf(nodes);
    }

    public int amqpPort(int i) {
        return node(i).amqpPort();
    }

    public String nodeName(int i) {
        return node(i).nodeName();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A connection factory for node {@code i} with {@link #USER}, short timeouts, no auto-recovery. */
    public ConnectionFactory connectionFactory(int i) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(amqpPort(i));
        factory.setUsername(USER);
        factory.setPassword(PASSWORD);
        factory.setVirtualHost("/");
        factory.setConnectionTimeout(3000);
        factory.setHandshakeTimeout(5000);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /** Running nodes as seen by the first node that is running and not paused. */
    public List<String> clusterRunningNodes() {
        for (int i = 1; i <= nodes.size(); i++) {
            if (node(i).isRunning() && !node(i).isPaused()) {
                return clusterRunningNodes(i);
            }
        }
        throw new IllegalStateException("no node is running");
    }

    /** {@code running_nodes} of {@code rabbitmqctl -n <node i> cluster_status --formatter json}. */
    public List<String> clusterRunningNodes(int via) {
        String json = rabbitmqctl(via, "cluster_status", "--formatter", "json");
        Matcher m = RUNNING_NODES.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no running_nodes in cluster_status output: " + json);
        }
        List<String> result = new ArrayList<>();
        Matcher q = QUOTED.matcher(m.group(1));
        while (q.find()) {
            result.add(q.group(1));
        }
        return result;
    }

    /**
     * The 1-based node holding quorum queue {@code queue}'s leader, asked of node {@code via}
     * ({@code rabbitmqctl list_queues name leader}); empty when it has none now or is not listed.
     */
    public OptionalInt quorumLeader(int via, String queue) {
        for (String line : rabbitmqctl(via, "list_queues", "--quiet", "--no-table-headers", "name", "leader")
                .lines().toList()) {
            String[] cols = line.split("\t");
            if (cols.length == 2 && cols[0].equals(queue)) {
                for (int i = 1; i <= nodes.size(); i++) {
                    if (cols[1].trim().equals(nodeName(i))) {
                        return OptionalInt.of(i);
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Resumes paused nodes, starts stopped or killed ones, and waits until every node is a
     * running member of the cluster again (asked of node {@code via}, which must be up).
     */
    public void bringAllBack(int via) {
        for (int i = 1; i <= nodes.size(); i++) {
            RabbitNode node = node(i);
            if (node.isPaused()) {
                node.resume();
            }
            if (node.isRunning()) {
                node.awaitReady(NODE_READY_TIMEOUT);
            } else {
                restart(i);
            }
        }
        Await.until(Duration.ofSeconds(60), () -> clusterRunningNodes(via).size() == nodes.size(),
                "every node a running member of the cluster again");
    }

    /** Runs {@code rabbitmqctl -n <node i> args...}; returns its output, throws when it fails. */
    public String rabbitmqctl(int via, String... args) {
        return rabbitmqctl(via, CTL_TIMEOUT, args).orThrow().output();
    }

    /** Runs {@code rabbitmqctl -n <node i> args...} with a deadline; the result may be a failure. */
    public Sandbox.CommandResult rabbitmqctl(int via, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(RABBIT_BIN.resolve("rabbitmqctl").toString());
        command.add("-n");
        command.add(nodeName(via));
        command.addAll(List.of(args));
        return sandbox.run("rabbitmqctl", command, baseEnv, timeout);
    }

    /** Starts node {@code i} again (after kill or stop) and waits until it is ready. */
    public void restart(int i) {
        node(i).startAndAwaitReady(NODE_READY_TIMEOUT);
    }

    /** The cluster's temporary directory (deleted by {@link #close()}). */
    public Path workDir() {
        return sandbox.dir();
    }

    /** Every process of this cluster running now: nodes with their helpers, epmd, watchdog. */
    public List<ProcessHandle> liveProcesses() {
        return sandbox.liveProcesses();
    }

    /** Stops all nodes (in parallel, bounded), then epmd, then deletes the directory. */
    @Override
    public void close() {
        if (sandbox.isClosed()) {
            return;
        }
        long started = System.nanoTime();
        Nodes.stopAll(nodes);
        epmd.stop(Duration.ofSeconds(5));
        sandbox.close();
        LOG.info("rabbit cluster closed in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static String randomString(String alphabet, int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

package ossidecar.chaos.suite;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ossidecar.chaos.harness.Await;
import ossidecar.chaos.harness.GaleraCluster;
import ossidecar.chaos.harness.PortAllocator;
import ossidecar.chaos.harness.ProcessNode;
import ossidecar.chaos.harness.RabbitCluster;
import ossidecar.chaos.toxiproxy.ToxiproxyEndpoint;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.SidecarConfig;

/**
 * Three RabbitMQ nodes and three Galera nodes started by the harness on loopback, a Toxiproxy
 * proxy in front of each node (the embedded server, or the one {@code toxiproxy.url} /
 * {@code TOXIPROXY_URL} names), and the sidecar's config generated to reach the nodes through
 * those proxies: the same YAML an operator writes, parsed by the same loader.
 */
public final class LocalDeployment implements Deployment {
    private static final Duration BOUND = Duration.ofSeconds(150);
    private final RabbitCluster rabbit;
    private final GaleraCluster galera;
    private final ToxiproxyEndpoint toxiproxy;
    private final Map<String, Proxy> proxies;
    private final SidecarConfig config;
    private final String yaml;
    private final boolean ownsClusters;

    private LocalDeployment(RabbitCluster rabbit, GaleraCluster galera, ToxiproxyEndpoint toxiproxy,
                            Map<String, Proxy> proxies, String yaml, boolean ownsClusters) {
        this.ownsClusters = ownsClusters;
        this.rabbit = rabbit;
        this.galera = galera;
        this.toxiproxy = toxiproxy;
        this.proxies = proxies;
        this.yaml = yaml;
        this.config = ConfigLoader.parse(yaml, "generated config");
    }

    /**
     * Starts what {@code amqp} and {@code db} ask for; {@code narrator} hears of each step (a
     * cluster takes 20-30 s here). Everything started is stopped again if a later step fails.
     */
    public static LocalDeployment start(boolean amqp, boolean db, Narrator narrator) throws IOException {
        RabbitCluster rabbit = null;
        GaleraCluster galera = null;
        try {
            if (amqp) {
                narrator.say("starting a 3-node RabbitMQ cluster on loopback (rabbitmq-server from the Debian package)...");
                rabbit = RabbitCluster.start(3);
                narrator.say("RabbitMQ up: running nodes %s", rabbit.clusterRunningNodes());
            }
            if (db) {
                narrator.say("starting a 3-node MariaDB Galera cluster on loopback (mariadbd + galera-4)...");
                galera = GaleraCluster.start(3);
                narrator.say("Galera up: wsrep_cluster_size %d", galera.clusterSize(1));
            }
            return around(rabbit, galera, true, narrator);
        } catch (IOException | RuntimeException e) {
            closeAll(rabbit, galera, null, Map.of());
            throw e;
        }
    }

    /**
     * Over clusters started elsewhere (a test JVM's shared ones): closing removes the proxies
     * and leaves the clusters running, every node back.
     */
    public static LocalDeployment on(RabbitCluster rabbit, GaleraCluster galera, Narrator narrator)
            throws IOException {
        return around(rabbit, galera, false, narrator);
    }

    private static LocalDeployment around(RabbitCluster rabbit, GaleraCluster galera, boolean owns, Narrator narrator)
            throws IOException {
        ToxiproxyEndpoint toxiproxy = null;
        Map<String, Proxy> proxies = new LinkedHashMap<>();
        try {
            toxiproxy = ToxiproxyEndpoint.start();
            narrator.say("Toxiproxy server %s (%s) in front of every node", toxiproxy.url(),
                    toxiproxy.isEmbedded() ? "embedded" : "external");
            for (int i = 1; rabbit != null && i <= 3; i++) {
                proxies.put("rabbit-" + i, create(toxiproxy, "rabbit-" + i, rabbit.amqpPort(i)));
            }
            for (int i = 1; galera != null && i <= 3; i++) {
                proxies.put("galera-" + i, create(toxiproxy, "galera-" + i, galera.port(i)));
            }
            return new LocalDeployment(rabbit, galera, toxiproxy, proxies, yaml(rabbit, galera, proxies), owns);
        } catch (IOException | RuntimeException e) {
            closeAll(null, null, toxiproxy, proxies);
            throw e;
        }
    }

    private static Proxy create(ToxiproxyClient client, String name, int port) throws IOException {
        Proxy stale = null;
        try {
            stale = client.getProxy(name);
        } catch (IOException absent) {
            // the usual case
        }
        if (stale != null) {
            // left by an earlier run against the same (external) server
            stale.delete();
        }
        return client.createProxy(name, "127.0.0.1:0", "127.0.0.1:" + port);
    }

    /** The sidecar's config for these clusters, as YAML: the file an operator would write. */
    static String yaml(RabbitCluster rabbit, GaleraCluster galera, Map<String, Proxy> proxies) {
        PortAllocator ports = new PortAllocator();
        StringBuilder y = new StringBuilder();
        y.append("admin:\n  listen: 127.0.0.1:").append(ports.allocate()).append('\n');
        y.append("logging:\n  level: warn\n");
        if (rabbit != null) {
            y.append("amqp:\n  listen: 127.0.0.1:").append(ports.allocate()).append('\n')
                    .append("  strategy: priority\n  heartbeat: 2s\n  connect-timeout: 2s\n  outage-limit: 15s\n")
                    .append("  probe-interval: 1s\n  nodes:\n");
            for (int i = 1; i <= 3; i++) {
                y.append("    - name: rabbit-").append(i).append("\n      address: ")
                        .append(proxies.get("rabbit-" + i).getListen()).append('\n');
            }
        }
        if (galera != null) {
            y.append("db:\n  listeners:\n    - role: split\n      listen: 127.0.0.1:").append(ports.allocate())
                    .append("\n  connect-timeout: 3s\n  writer-wait: 20s\n  nodes:\n");
            for (int i = 1; i <= 3; i++) {
                y.append("    - name: galera-").append(i).append("\n      address: ")
                        .append(proxies.get("galera-" + i).getListen()).append('\n');
            }
            y.append("  users:\n    - name: ").append(galera.user()).append("\n      password: ")
                    .append(galera.password()).append('\n')
                    .append("  monitor:\n    user: ").append(galera.user()).append("\n    password: ")
                    .append(galera.password()).append("\n    interval: 500ms\n    query-timeout: 1s\n");
        }
        return y.toString();
    }

    /** The generated config's YAML (for the demo to show and keep beside its report). */
    public String configYaml() {
        return yaml;
    }

    /** The Toxiproxy server's API URL. */
    public String toxiproxyUrl() {
        return toxiproxy.url();
    }

    public RabbitCluster rabbit() {
        return rabbit;
    }

    public GaleraCluster galera() {
        return galera;
    }

    @Override
    public SidecarConfig sidecarConfig() {
        return config;
    }

    @Override
    public Optional<String> cannot(NodeAction action, String node) {
        return node(node) == null ? Optional.of("no local node named " + node) : Optional.empty();
    }

    @Override
    public void act(NodeAction action, String node) {
        ProcessNode n = node(node);
        int i = index(node);
        switch (action) {
            case KILL -> n.kill();
            case PAUSE -> n.pause();
            case RESUME -> n.resume();
            case STOP -> n.stop();
            case START -> {
                if (node.startsWith("rabbit-")) {
                    rabbit.restart(i);
                } else {
                    awaitEvicted(i);
                    galera.restart(i);
                }
            }
        }
    }

    /**
     * Waits until the running Galera nodes have evicted node {@code i}'s dead incarnation (their
     * cluster size counts only themselves), as an operator's restart a few seconds later would.
     * A node started 2 s after its kill joins a view that still holds its old self (seen: the
     * clients' commits failed with 1180 "Not connected to Primary Component" while it rejoined).
     */
    private void awaitEvicted(int i) {
        List<Integer> others = new ArrayList<>();
        for (int j = 1; j <= galera.size(); j++) {
            if (j != i && galera.node(j).isRunning() && !galera.node(j).isPaused()) {
                others.add(j);
            }
        }
        Await.until(Duration.ofSeconds(60), () -> others.stream().allMatch(j -> {
            try {
                return galera.clusterSize(j) == others.size();
            } catch (RuntimeException e) {
                return false;
            }
        }), () -> "galera-" + i + " evicted by " + others + " before it starts again");
    }

    private ProcessNode node(String name) {
        int i = index(name);
        if (i < 1 || i > 3) {
            return null;
        }
        if (name.startsWith("rabbit-") && rabbit != null) {
            return rabbit.node(i);
        }
        if (name.startsWith("galera-") && galera != null) {
            return galera.node(i);
        }
        return null;
    }

    private static int index(String name) {
        try {
            return Integer.parseInt(name.substring(name.indexOf('-') + 1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public Optional<Proxy> toxiproxy(String node) {
        if (!proxies.containsKey(node)) {
            return Optional.empty();
        }
        try {
            // fresh: a kept Proxy's enabled flag is what it was when fetched
            return Optional.of(toxiproxy.getProxy(node));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Toxiproxy proxy " + node, e);
        }
    }

    @Override
    public String jdbcUrlOf(String node) {
        return galera.node(index(node)).jdbcUrl();
    }

    @Override
    public String amqpUser() {
        return rabbit == null ? "guest" : rabbit.user();
    }

    @Override
    public String amqpPassword() {
        return rabbit == null ? "guest" : rabbit.password();
    }

    @Override
    public String amqpVhost() {
        return "/";
    }

    @Override
    public String dbUser() {
        return galera == null ? null : galera.user();
    }

    @Override
    public String dbPassword() {
        return galera == null ? null : galera.password();
    }

    @Override
    public Duration recoveryBound() {
        return BOUND;
    }

    @Override
    public void restoreAll(SystemUnderTest sut) throws IOException {
        for (String name : proxies.keySet()) {
            Faults.clearToxics(toxiproxy(name).orElseThrow());
        }
        if (rabbit != null) {
            rabbit.bringAllBack(firstRunning(rabbit.nodes()));
        }
        if (galera != null) {
            galera.heal(BOUND);
        }
        Await.until(BOUND, () -> proxies.keySet().stream().allMatch(sut::seesUp),
                () -> "the sidecar to see every node usable again; not yet: " + proxies.keySet()
                        .stream().filter(n -> !sut.seesUp(n)).toList());
    }

    private static int firstRunning(List<? extends ProcessNode> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).isRunning() && !nodes.get(i).isPaused()) {
                return i + 1;
            }
        }
        return 1;
    }

    @Override
    public void close() {
        closeAll(ownsClusters ? rabbit : null, ownsClusters ? galera : null, toxiproxy, proxies);
    }

    private static void closeAll(RabbitCluster rabbit, GaleraCluster galera, ToxiproxyEndpoint toxiproxy,
                                 Map<String, Proxy> proxies) {
        List<AutoCloseable> all = new ArrayList<>();
        for (Proxy p : proxies.values()) {
            all.add(p::delete);
        }
        if (toxiproxy != null) {
            all.add(toxiproxy);
        }
        if (rabbit != null) {
            all.add(rabbit);
        }
        if (galera != null) {
            all.add(galera);
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // the rest must still go
            }
        }
    }
}

package ossidecar.chaos.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB Galera cluster of nodes on 127.0.0.1, run from the installed {@code mariadb-server}
 * and {@code galera-4} packages, each node in its own directory of one {@link Sandbox}.
 *
 * <p>Node 1 is initialised with {@code mariadb-install-db} (creating the users) and bootstraps
 * the cluster with {@code --wsrep-new-cluster}. How the other nodes get their first copy of the
 * data depends on {@link JoinMode}. SST uses {@code mariabackup} over {@code socat}; a node
 * restarted after a crash rejoins without {@code --wsrep-new-cluster}, by IST or SST.
 *
 * <p>User {@link #USER}/{@link #PASSWORD} ({@code @'%'}, ALL with GRANT OPTION; the server runs
 * with skip-name-resolve, so 127.0.0.1 TCP logins match it). A private {@code sst@localhost}
 * user serves {@code wsrep_sst_auth}.
 */
public final class GaleraCluster implements AutoCloseable {

    public static final String USER = "sidecar";
    public static final String PASSWORD = "sidecar";

    /** How nodes 2..n get their initial copy of the data. */
    public enum JoinMode {
        /**
         * Default, fast: node 1 is bootstrapped once and stopped cleanly, its data directory is
         * copied to the other nodes, node 1 bootstraps again and the others join by IST (a few
         * writesets). About 15 s for 3 nodes.
         */
        CLONE_THEN_IST,
        /**
         * Nodes 2..n start empty and join by a full mariabackup SST, one after the other. Slow:
         * Debian's wsrep_sst_mariabackup sleeps 10 s on the donor per transfer, so about 15-20 s
         * per joining node.
         */
        SST
    }

    private static final Logger LOG = LoggerFactory.getLogger(GaleraCluster.class);
    private static final String PROVIDER = "/usr/lib/galera/libgalera_smm.so";
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(180);
    /** Files of a data directory that must not be copied to another node. */
    private static final Set<String> NOT_CLONED = Set.of("galera.cache", "gvwstate.dat", "mysqld.pid",
            "sst_in_progress", "wsrep_sst.pid", "mariabackup.prepare.log", "mariabackup.move.log",
            "mariabackup.backup.log");

    private final Sandbox sandbox;
    private final List<GaleraNode> nodes = new ArrayList<>();

    private GaleraCluster(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** Starts a cluster of {@code size} nodes ({@link JoinMode#CLONE_THEN_IST}); returns once all are Synced. */
    public static GaleraCluster start(int size) {
        return start(size, JoinMode.CLONE_THEN_IST);
    }

    /** Starts a cluster of {@code size} nodes; returns once all are Synced and the cluster has them all. */
    public static GaleraCluster start(int size, JoinMode mode) {
        return start(size, mode, "");
    }

    /**
     * As {@link #start(int, JoinMode)}, with {@code extraProviderOptions} appended to every
     * node's {@code wsrep_provider_options}, for settings that cannot be changed at run time,
     * e.g. {@code "evs.suspect_timeout=PT1S;evs.inactive_timeout=PT2S;evs.inactive_check_period=PT0.2S"}
     * for faster failure detection (Galera's defaults take about 5-6 s to evict a killed node).
     */
    public static GaleraCluster start(int size, JoinMode mode, String extraProviderOptions) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1");
        }
        if (!extraProviderOptions.matches("[A-Za-z0-9_.=;:/-]*")) {
            throw new IllegalArgumentException("unexpected characters in provider options: " + extraProviderOptions);
        }
        long started = System.nanoTime();
        Sandbox sandbox = Sandbox.create("galera-cluster-");
        GaleraCluster cluster = new GaleraCluster(sandbox);
        try {
            cluster.prepare(new PortAllocator(), size, extraProviderOptions);
            cluster.form(mode);
            LOG.info("galera cluster of {} nodes up in {} ms ({}, {})", size,
                    (System.nanoTime() - started) / 1_000_000, mode, sandbox.dir());
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void prepare(PortAllocator ports, int size, String extraProviderOptions) {
        String extraOptions = extraProviderOptions.isEmpty() ? "" : ";" + extraProviderOptions;
        String sstPassword = randomPassword();
        int[] sqlPorts = new int[size];
        int[] gcommPorts = new int[size];
        for (int i = 0; i < size; i++) {
            sqlPorts[i] = ports.allocate();
            gcommPorts[i] = ports.allocate();
        }
        String gcomm = "gcomm://" + Arrays.stream(gcommPorts)
                .mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        // gcomm limits the group name to 32 bytes.
        String clusterName = "harness-" + randomPassword().substring(0, 8);
        for (int i = 1; i <= size; i++) {
            int sqlPort = sqlPorts[i - 1];
            int gcommPort = gcommPorts[i - 1];
            int istPort = ports.allocate();
            int sstPort = ports.allocate();
            Path dir = sandbox.dir().resolve("node" + i);
            Path cnf = dir.resolve("my.cnf");
            if (dir.resolve("mysqld.sock").toString().getBytes(StandardCharsets.UTF_8).length > 100) {
                throw new IllegalStateException("unix socket path too long, use a shorter java.io.tmpdir: " + dir);
            }
            // gcache 256M: a full test run writes more than 32M of writesets, and a donor whose
            // gcache has wrapped refuses a rejoining node's transfer with ENOMSG (the cert index
            // preload of an SST reads from the gcache too), and the joiner aborts.
            String config = """
                    [mysqld]
                    user = root
                    datadir = %1$s/data
                    tmpdir = %1$s/tmp
                    socket = %1$s/mysqld.sock
                    pid-file = %1$s/mysqld.pid
                    port = %2$d
                    bind-address = 127.0.0.1
                    skip-name-resolve
                    character-set-server = utf8mb4
                    collation-server = utf8mb4_general_ci
                    performance_schema = OFF
                    innodb_buffer_pool_size = 64M
                    innodb_log_file_size = 16M
                    innodb_flush_log_at_trx_commit = 2
                    innodb_doublewrite = 0
                    binlog_format = ROW
                    default_storage_engine = InnoDB
                    innodb_autoinc_lock_mode = 2
                    wsrep_on = ON
                    wsrep_provider = %3$s
                    wsrep_cluster_name = %4$s
                    wsrep_cluster_address = %5$s
                    wsrep_node_name = node%6$d
                    wsrep_node_address = 127.0.0.1:%7$d
                    wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:%7$d;ist.recv_addr=127.0.0.1:%8$d;gcache.size=256M%11$s"
                    wsrep_sst_method = mariabackup
                    wsrep_sst_receive_address = 127.0.0.1:%9$d
                    wsrep_sst_auth = sst:%10$s

                    [sst]
                    sst-log-archive = 0
                    sockopt = bind=127.0.0.1
                    """.formatted(dir, sqlPort, PROVIDER, clusterName, gcomm, i, gcommPort, istPort, sstPort,
                    sstPassword, extraOptions);
            try {
                Files.createDirectories(dir.resolve("data"));
                Files.createDirectories(dir.resolve("tmp"));
                Files.writeString(cnf, config, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String name = "galera-" + i;
            NodeProcess process = sandbox.process(name,
                    List.of("mariadbd", "--defaults-file=" + cnf, "--user=root"), Map.of(), dir.resolve("node.log"));
            nodes.add(new GaleraNode(name, sqlPort, gcommPort, dir, cnf, USER, PASSWORD, sandbox, process));
        }
        // mariadb-install-db runs this in bootstrap mode, where grant tables are off until the
        // FLUSH PRIVILEGES at the top loads them.
        try {
            Files.writeString(sandbox.dir().resolve("users.sql"), """
                    FLUSH PRIVILEGES;
                    DROP USER IF EXISTS ''@'localhost';
                    CREATE USER '%1$s'@'%%' IDENTIFIED BY '%2$s';
                    GRANT ALL PRIVILEGES ON *.* TO '%1$s'@'%%' WITH GRANT OPTION;
                    CREATE USER 'sst'@'localhost' IDENTIFIED BY '%3$s';
                    GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, REPLICA MONITOR ON *.* TO 'sst'@'localhost';
                    """.formatted(USER, PASSWORD, sstPassword), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void form(JoinMode mode) {
        GaleraNode first = nodes.get(0);
        long installStarted = System.nanoTime();
        sandbox.run("mariadb-install-db", List.of("mariadb-install-db", "--defaults-file=" + first.defaultsFile(),
                "--user=root", "--auth-root-authentication-method=socket", "--skip-test-db",
                "--extra-file=" + sandbox.dir().resolve("users.sql")), Map.of(), INSTALL_TIMEOUT).orThrow();
        LOG.info("{}: data directory initialised in {} ms", first.name(), (System.nanoTime() - installStarted) / 1_000_000);
        first.startNewCluster();
        first.awaitReady(BOOTSTRAP_TIMEOUT);
        List<GaleraNode> joiners = nodes.subList(1, nodes.size());
        if (mode == JoinMode.CLONE_THEN_IST && !joiners.isEmpty()) {
            first.stop(); // a clean shutdown records the position in grastate.dat and InnoDB
            for (GaleraNode joiner : joiners) {
                cloneDataDir(first.dataDir(), joiner.dataDir());
            }
            first.startNewCluster();
            first.awaitReady(BOOTSTRAP_TIMEOUT);
        }
        // One at a time: Galera handles one joiner per donor, and simultaneous joins can stall.
        for (GaleraNode joiner : joiners) {
            joiner.start();
            joiner.awaitReady(JOIN_TIMEOUT);
        }
        Await.until(Duration.ofSeconds(30), () -> clusterSize(1) == nodes.size(),
                () -> "wsrep_cluster_size " + nodes.size() + " on node 1");
    }

    private static void cloneDataDir(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path relative = from.relativize(source);
                if (relative.getNameCount() > 0 && NOT_CLONED.contains(relative.getFileName().toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path grastate = to.resolve("grastate.dat");
            Files.writeString(grastate, Files.readString(grastate, StandardCharsets.UTF_8)
                    .replaceAll("safe_to_bootstrap:\\s*1", "safe_to_bootstrap: 0"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    public int size() {
        return nodes.size();
    }

    /** Node {@code i}, 1-based. */
    public GaleraNode node(int i) {
        return Nodes.oneBased(nodes, i);
    }

    public List<GaleraNode> nodes() {
        return List.copyOf(nodes);
    }

    /** SQL port of node {@code i} on 127.0.0.1. */
    public int port(int i) {
        return node(i).port();
    }

    /** {@code jdbc:mariadb://127.0.0.1:<port>/}; use with {@link #user()}/{@link #password()}. */
    public String jdbcUrl(int i) {
        return node(i).jdbcUrl();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A new JDBC connection to node {@code i} (2 s connect, 10 s socket timeout). */
    public Connection connect(int i) throws SQLException {
        return node(i).connect();
    }

    /**
     * Resumes paused nodes, restarts stopped ones, and waits until every node is Synced in one
     * Primary view with every member in it.
     */
    public void heal(Duration timeout) {
        GaleraCluster cluster = this;
        for (int i = 1; i <= cluster.size(); i++) {
            if (cluster.node(i).isPaused()) {
                cluster.node(i).resume();
            }
        }
        for (int i = 1; i <= cluster.size(); i++) {
            if (!cluster.node(i).isRunning()) {
                cluster.restart(i);
            } else {
                cluster.node(i).awaitReady(timeout);
            }
        }
        // A node just resumed from SIGSTOP still reports its old view (Synced, Primary, all
        // members) until it notices it was evicted, then goes non-primary and rejoins: only one
        // view shared by every node, with every member in it, means the cluster is whole.
        Await.until(timeout, () -> oneFullView(cluster), () -> "one Primary view of " + cluster.size()
                + " Synced members on every node: " + views(cluster));
    }

    private static final String[] VIEW = {"wsrep_cluster_conf_id", "wsrep_cluster_size", "wsrep_cluster_status",
        "wsrep_local_state_comment", "wsrep_ready"};

    private static boolean oneFullView(GaleraCluster cluster) {
        String confId = null;
        for (int i = 1; i <= cluster.size(); i++) {
            Map<String, String> s = status(cluster, i);
            if (!String.valueOf(cluster.size()).equals(s.get("wsrep_cluster_size"))
                    || !"Primary".equals(s.get("wsrep_cluster_status"))
                    || !"Synced".equals(s.get("wsrep_local_state_comment")) || !"ON".equals(s.get("wsrep_ready"))) {
                return false;
            }
            if (confId == null) {
                confId = s.get("wsrep_cluster_conf_id");
            } else if (!confId.equals(s.get("wsrep_cluster_conf_id"))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> status(GaleraCluster cluster, int i) {
        try {
            return cluster.node(i).globalStatus(VIEW);
        } catch (SQLException e) {
            throw new IllegalStateException("galera-" + i + ": " + e.getMessage(), e);
        }
    }

    private static String views(GaleraCluster cluster) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= cluster.size(); i++) {
            String s;
            try {
                s = cluster.node(i).globalStatus(VIEW).toString();
            } catch (SQLException e) {
                s = e.getMessage();
            }
            sb.append(i == 1 ? "" : "; ").append("galera-").append(i).append(' ').append(s);
        }
        return sb.toString();
    }

    /** {@code wsrep_cluster_size} as node {@code i} sees it. */
    public int clusterSize(int i) {
        try {
            String size = node(i).globalStatus("wsrep_cluster_size").get("wsrep_cluster_size");
            if (size == null) {
                throw new IllegalStateException(node(i).name() + " reports no wsrep_cluster_size");
            }
            return Integer.parseInt(size);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read wsrep_cluster_size from " + node(i).name(), e);
        }
    }

    /** Starts node {@code i} again (after kill or stop), joining the cluster, and waits until Synced. */
    public void restart(int i) {
        try {
            node(i).startAndAwaitReady(JOIN_TIMEOUT);
        } catch (IllegalStateException e) {
            if (node(i).isRunning()) {
                throw e;
            }
            // A joiner aborts when its donor cannot serve the state transfer at that moment
            // ("State transfer ... failed: No message of desired type ... Will never receive
            // state. Need to abort", seen once after a run of failovers); a second start asks again.
            LOG.warn("galera-{} exited while rejoining; starting it once more: {}", i, firstLine(e.getMessage()));
            LOG.warn("galera-{}: what the other nodes said about its state transfer: {}", i, donorSide(i));
            // its state-transfer script outlives it and would make the next start wait for it
            node(i).process().killLeftoverGroup();
            for (String f : List.of("sst_in_progress", "wsrep_sst.pid")) {
                try {
                    Files.deleteIfExists(node(i).dataDir().resolve(f));
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
            // a donor stays desynced until its transfer script ends (Debian's sleeps 10 s): wait for it
            Await.until(JOIN_TIMEOUT, () -> othersSynced(i), () -> "the nodes other than galera-" + i + " Synced");
            // and ask another donor than the one that failed (seen: a node resumed from SIGSTOP a
            // moment before could not donate)
            int donor = otherDonor(i, failedDonor(e.getMessage()));
            LOG.warn("galera-{}: asking node{} for its state this time", i, donor);
            restartWithDonor(i, donor);
        }
    }

    /** Starts node {@code i} again taking its state from node {@code donor} (1-based) when it can, and waits until it is ready. */
    public void restartWithDonor(int i, int donor) {
        GaleraNode n = node(i);
        n.startWithDonor("node" + donor);
        n.awaitReady(JOIN_TIMEOUT);
    }

    private static final java.util.regex.Pattern DONOR = java.util.regex.Pattern.compile(
            "Selected \\d+\\.\\d+ \\(node(\\d+)\\)");

    /** The node Galera picked as donor in a joiner's log, 0 when it does not say. */
    static int failedDonor(String log) {
        java.util.regex.Matcher m = DONOR.matcher(log == null ? "" : log);
        int found = 0;
        while (m.find()) {
            found = Integer.parseInt(m.group(1));
        }
        return found;
    }

    private int otherDonor(int joiner, int failed) {
        for (int n = 1; n <= nodes.size(); n++) {
            if (n != joiner && n != failed) {
                return n;
            }
        }
        return failed;
    }

    private boolean othersSynced(int except) {
        for (int n = 1; n <= nodes.size(); n++) {
            if (n == except) {
                continue;
            }
            try {
                if (!"Synced".equals(node(n).globalStatus("wsrep_local_state_comment").get("wsrep_local_state_comment"))) {
                    return false;
                }
            } catch (SQLException e) {
                return false;
            }
        }
        return true;
    }

    // A donor refuses a state transfer with ENOMSG when its gcache no longer holds the writesets
    // the joiner needs ("IST first seqno ... not found from cache", "Cert index preload first
    // seqno ... not found from gcache"): these lines say whether that was the cause.
    private static final Pattern DONOR_SIDE = Pattern.compile(
            "not found from (g)?cache|Cert index preload|falling back to SST|State transfer to .* failed");

    private String donorSide(int joiner) {
        List<String> said = new ArrayList<>();
        for (int n = 1; n <= nodes.size(); n++) {
            if (n == joiner) {
                continue;
            }
            int donor = n;
            Path log = node(n).dir().resolve("node.log");
            try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
                lines.filter(l -> DONOR_SIDE.matcher(l).find()).forEach(l -> said.add("galera-" + donor + ": " + l));
            } catch (IOException | UncheckedIOException ex) {
                said.add("galera-" + n + ": cannot read " + log + ": " + ex.getMessage());
            }
        }
        return said.isEmpty() ? "nothing" : String.join(" | ", said.subList(Math.max(0, said.size() - 6), said.size()));
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    /** The cluster's temporary directory (deleted by {@link #close()}). */
    public Path workDir() {
        return sandbox.dir();
    }

    /** Every process of this cluster running now: nodes with their helpers, commands, watchdog. */
    public List<ProcessHandle> liveProcesses() {
        return sandbox.liveProcesses();
    }

    /** Stops all nodes (in parallel, bounded), then deletes the directory. */
    @Override
    public void close() {
        if (sandbox.isClosed()) {
            return;
        }
        long started = System.nanoTime();
        Nodes.stopAll(nodes);
        sandbox.close();
        LOG.info("galera cluster closed in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

package ossidecar.chaos.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MariaDB Galera node of a {@link GaleraCluster}: {@code mariadbd --defaults-file=<dir>/my.cnf
 * --user=root}, error log on stderr, which goes to {@code <dir>/node.log}.
 *
 * <p>{@link #start()} always joins the running cluster (never {@code --wsrep-new-cluster}).
 * After a crash ({@code grastate.dat} says seqno -1) it first recovers the last committed
 * position with {@code mariadbd --wsrep-recover}, as the Debian service does, and passes it as
 * {@code --wsrep_start_position}, so the node can catch up by IST instead of a full SST.
 */
public final class GaleraNode extends ProcessNode {

    private static final Logger LOG = LoggerFactory.getLogger(GaleraNode.class);
    private static final Duration RECOVER_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern RECOVERED = Pattern.compile("WSREP: Recovered position: ([0-9a-f-]{36}:(-?\\d+))");
    private static final Pattern SEQNO = Pattern.compile("(?m)^seqno:\\s*(-?\\d+)");

    private final int port;
    private final int gcommPort;
    private final Path dir;
    private final Path defaultsFile;
    private final String user;
    private final String password;
    private final Sandbox sandbox;

    GaleraNode(String name, int port, int gcommPort, Path dir, Path defaultsFile, String user, String password,
            Sandbox sandbox, NodeProcess process) {
        super(name, process);
        this.port = port;
        this.gcommPort = gcommPort;
        this.dir = dir;
        this.defaultsFile = defaultsFile;
        this.user = user;
        this.password = password;
        this.sandbox = sandbox;
    }

    /** SQL port on 127.0.0.1. */
    @Override
    public int port() {
        return port;
    }

    /** Galera group communication port (gmcast.listen_addr). */
    public int gcommPort() {
        return gcommPort;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    public Path dir() {
        return dir;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path defaultsFile() {
        return defaultsFile;
    }

    /** Joins the running cluster; see the class comment. */
    @Override
    public void start() {
        start(List.of());
    }

    /**
     * Joins the running cluster taking its state from {@code donor} ({@code wsrep_node_name},
     * e.g. {@code node3}) when that node can serve it, else from any: a donor is Donor/Desynced
     * while it serves, which the DB router treats as not writable.
     */
    public void startWithDonor(String donor) {
        start(List.of("--wsrep_sst_donor=" + donor + ","));
    }

    private void start(List<String> extra) {
        requireStopped();
        Optional<String> position = recoverPositionAfterCrash();
        List<String> args = new ArrayList<>(extra);
        position.ifPresent(p -> args.add("--wsrep_start_position=" + p));
        LOG.info("{}: starting, joining the cluster{} (SQL port {})", name,
                position.map(p -> " from recovered position " + p).orElse(""), port);
        started();
        process.start(args);
    }

    /**
     * Starts this node as the first of a new cluster ({@code --wsrep-new-cluster}), marking its
     * state safe to bootstrap. Only for forming a cluster, or re-forming one after every node
     * is down; never for bringing back a single node while others run.
     */
    public void startNewCluster() {
        requireStopped();
        Path grastate = dataDir().resolve("grastate.dat");
        try {
            if (Files.exists(grastate)) {
                String text = Files.readString(grastate, StandardCharsets.UTF_8);
                Files.writeString(grastate, text.replaceAll("safe_to_bootstrap:\\s*0", "safe_to_bootstrap: 1"),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("{}: starting, bootstrapping a new cluster (SQL port {})", name, port);
        started();
        process.start(List.of("--wsrep-new-cluster"));
    }

    private void requireStopped() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
    }

    /** The position to start from when the last run crashed, empty otherwise. */
    private Optional<String> recoverPositionAfterCrash() {
        Path grastate = dataDir().resolve("grastate.dat");
        if (!Files.exists(grastate) || !Files.exists(dataDir().resolve("ibdata1"))) {
            return Optional.empty(); // never initialised: the node gets a full state transfer
        }
        try {
            Matcher seqno = SEQNO.matcher(Files.readString(grastate, StandardCharsets.UTF_8));
            if (seqno.find() && !seqno.group(1).equals("-1")) {
                return Optional.empty(); // clean shutdown: Galera uses the saved state itself
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long started = System.nanoTime();
        Path recoverLog = dir.resolve("wsrep-recover.log");
        try {
            Files.deleteIfExists(recoverLog);
            Sandbox.CommandResult result = sandbox.run(name + "-recover", List.of("mariadbd",
                    "--defaults-file=" + defaultsFile, "--user=root", "--wsrep-recover",
                    "--log-error=" + recoverLog), Map.of(), RECOVER_TIMEOUT);
            String log = Files.exists(recoverLog) ? Files.readString(recoverLog, StandardCharsets.UTF_8) : "";
            Matcher m = RECOVERED.matcher(log);
            if (result.ok() && m.find() && !m.group(2).equals("-1")) {
                LOG.info("{}: recovered position {} in {} ms", name, m.group(1),
                        (System.nanoTime() - started) / 1_000_000);
                return Optional.of(m.group(1));
            }
            LOG.info("{}: no position recovered (exit {}), the node will need a full state transfer", name,
                    result.exitCode());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ready = a JDBC login works and the node reports {@code wsrep_local_state_comment=Synced},
     * {@code wsrep_ready=ON}. */
    @Override
    protected boolean readyNow() {
        return isSynced();
    }

    @Override
    protected String readiness() {
        return "to be Synced and ready (port " + port + ")";
    }

    private boolean isSynced() {
        try {
            Map<String, String> status = globalStatus("wsrep_local_state_comment", "wsrep_ready");
            return "Synced".equals(status.get("wsrep_local_state_comment")) && "ON".equals(status.get("wsrep_ready"));
        } catch (SQLException e) {
            return false;
        }
    }

    /** A new connection with the cluster's user, 2 s connect and 10 s socket timeouts. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2000");
        props.setProperty("socketTimeout", "10000");
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** Values of global status variables, by lower-case name (unknown names are absent). */
    public Map<String, String> globalStatus(String... variables) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (String v : variables) {
            if (!v.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("not a status variable name: " + v);
            }
            in.append(in.length() == 0 ? "'" : ",'").append(v).append('\'');
        }
        Map<String, String> result = new HashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN (" + in + ")")) {
            while (rs.next()) {
                result.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return name + "(sql " + port + ", gcomm " + gcommPort + ")";
    }
}

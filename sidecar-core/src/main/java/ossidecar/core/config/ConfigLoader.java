package ossidecar.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the one YAML file that configures the sidecar into an immutable {@link SidecarConfig}.
 * Every problem is collected with its key path and what is allowed, and all are reported at
 * once, so an operator fixes a file in one pass.
 */
public final class ConfigLoader {
    private static final Pattern PASSWORD_HASH = Pattern.compile("\\*[0-9A-Fa-f]{40}");
    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private ConfigLoader() {
    }

    public static SidecarConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("file not found (pass an existing file with -c)"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    public static SidecarConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(source, List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(source, List.of("the file is empty (configure amqp and/or db)"));
        }
        Section top = new Section("", root, problems);
        SidecarConfig config = new SidecarConfig(
                admin(top.section("admin")),
                amqp(top.section("amqp")),
                db(top.section("db")),
                logLevel(top.section("logging")),
                chaos(top.section("chaos")));
        top.finish();
        crossChecks(config, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return config;
    }

    private static ChaosConfig chaos(Section s) {
        if (!s.present()) {
            return ChaosConfig.absent();
        }
        String dbPassword = s.string("db-password", null);
        List<ChaosConfig.ChaosNode> nodes = s.list("nodes", item -> {
            Section n = item.section();
            String name = n.string("name", null);
            ChaosConfig.ChaosNode node = new ChaosConfig.ChaosNode(name, n.string("toxiproxy-proxy", name),
                    n.string("kill", null), n.string("pause", null), n.string("resume", null), n.string("stop", null),
                    n.string("start", null));
            n.finish();
            if (name == null || name.isBlank()) {
                n.problem(n.keyPath("name"), "missing: the node's name as in amqp.nodes or db.nodes");
                return null;
            }
            return node;
        });
        ChaosConfig c = new ChaosConfig(true, s.string("toxiproxy", null), s.string("amqp-user", "guest"),
                new Secret(s.string("amqp-password", "guest")), s.string("amqp-vhost", "/"), s.string("db-user", null),
                dbPassword == null ? null : new Secret(dbPassword),
                s.duration("command-timeout", ChaosConfig.DEFAULT_COMMAND_TIMEOUT, Duration.ofSeconds(1), HOUR), nodes);
        s.finish();
        return c;
    }

    private static AdminConfig admin(Section s) {
        AdminConfig c = new AdminConfig(s.bool("enabled", true), s.endpoint("listen", AdminConfig.DEFAULT_LISTEN));
        s.finish();
        return c;
    }

    private static String logLevel(Section s) {
        String level = s.string("level", "info").trim().toUpperCase(java.util.Locale.ROOT);
        if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
            s.problem(s.keyPath("level"), "'" + level.toLowerCase(java.util.Locale.ROOT)
                    + "' is not allowed (allowed: trace, debug, info, warn, error)");
            level = "INFO";
        }
        s.finish();
        return level;
    }

    private static AmqpProxyConfig amqp(Section s) {
        boolean enabled = s.present() && s.bool("enabled", true);
        AmqpProxyConfig c = new AmqpProxyConfig(
                enabled,
                s.endpoint("listen", AmqpProxyConfig.DEFAULT_LISTEN),
                nodes(s, enabled, "broker node", 5672),
                s.choice("strategy", ConnectStrategy.ROUND_ROBIN, ConnectStrategy.class),
                s.duration("heartbeat", AmqpProxyConfig.DEFAULT_HEARTBEAT, Duration.ofSeconds(1), HOUR),
                s.duration("connect-timeout", AmqpProxyConfig.DEFAULT_CONNECT_TIMEOUT, MS, HOUR),
                s.duration("outage-limit", AmqpProxyConfig.DEFAULT_OUTAGE_LIMIT, Duration.ZERO, Duration.ofHours(24)),
                s.duration("nack-retry-budget", AmqpProxyConfig.DEFAULT_NACK_RETRY_BUDGET, Duration.ZERO, HOUR),
                (long) s.integer("publish-buffer-mib", AmqpProxyConfig.DEFAULT_PUBLISH_BUFFER_MIB, 1, 65536) << 20,
                s.duration("probe-interval", AmqpProxyConfig.DEFAULT_PROBE_INTERVAL, Duration.ofMillis(100),
                        Duration.ofMinutes(1)));
        s.finish();
        return c;
    }

    private static DbRouterConfig db(Section s) {
        boolean enabled = s.present() && s.bool("enabled", true);
        List<DbListener> listeners = s.list("listeners", item -> {
            Section l = item.section();
            DbListener listener = new DbListener(
                    l.choice("role", DbRole.SPLIT, DbRole.class),
                    l.endpoint("listen", null));
            if (l.present() && !l.has("listen")) {
                l.problem(l.keyPath("listen"), "missing (write host:port, e.g. 127.0.0.1:3306)");
            }
            l.finish();
            return listener.listen() == null ? null : listener;
        });
        if (enabled && listeners.isEmpty() && !s.has("listeners")) {
            listeners = List.of(new DbListener(DbRole.SPLIT, new Endpoint("127.0.0.1", 3306)));
        } else if (enabled && listeners.isEmpty()) {
            s.problem(s.keyPath("listeners"), "empty: list at least one {role: writer|reader|split, listen: host:port}");
        }
        List<BackendNode> nodes = nodes(s, enabled, "Galera node", 3306);
        List<DbUser> users = s.list("users", ConfigLoader::user);
        if (enabled && users.isEmpty()) {
            s.problem(s.keyPath("users"), "empty: list the accounts clients log in with "
                    + "({name, password} or {name, password-hash: '*HEX'})");
        }
        GaleraMonitorConfig monitor = monitor(s.section("monitor"), enabled);
        DbRouterConfig c = new DbRouterConfig(enabled, listeners, nodes, users, monitor,
                s.duration("connect-timeout", DbRouterConfig.DEFAULT_CONNECT_TIMEOUT, MS, HOUR),
                s.duration("writer-wait", DbRouterConfig.DEFAULT_WRITER_WAIT, Duration.ZERO, HOUR),
                s.bool("commit-markers", true),
                s.integer("certification-retries", DbRouterConfig.DEFAULT_CERTIFICATION_RETRIES, 0, 20),
                new DbPoolConfig(s.bool("multiplex", true),
                        s.integer("max-backend-connections", DbPoolConfig.DEFAULT_MAX_BACKEND_CONNECTIONS, 1, 100_000),
                        s.integer("max-waiting", DbPoolConfig.DEFAULT_MAX_WAITING, 0, 1_000_000),
                        s.duration("pool-wait", DbPoolConfig.DEFAULT_POOL_WAIT, Duration.ZERO, HOUR)),
                s.bool("autocommit-markers", true),
                split(s.section("split")));
        s.finish();
        return c;
    }

    private static DbSplitConfig split(Section s) {
        DbSplitConfig d = DbSplitConfig.DEFAULTS;
        DbSplitConfig c = new DbSplitConfig(
                s.bool("writer-serves-reads", d.writerServesReads()),
                s.integer("max-replay-statements", d.maxReplayStatements(), 0, 100_000),
                (long) s.integer("max-replay-kib", (int) (d.maxReplayBytes() >> 10), 0, 1 << 20) << 10,
                s.choice("read-your-writes", d.readYourWrites(), ReadYourWrites.class),
                s.duration("writer-window", d.writerWindow(), Duration.ZERO, Duration.ofHours(1)),
                s.bool("global", d.global()));
        s.finish();
        return c;
    }

    private static DbUser user(Section.Item item) {
        Section u = item.section();
        String name = u.string("name", null);
        String password = u.string("password", null);
        String hash = u.string("password-hash", null);
        u.finish();
        if (name == null || name.isBlank()) {
            u.problem(u.keyPath("name"), "missing: the account name clients log in with");
            return null;
        }
        if ((password == null) == (hash == null)) {
            u.problem(u.path(), "give exactly one of password or password-hash for user '" + name + "'");
            return null;
        }
        if (hash != null && !PASSWORD_HASH.matcher(hash).matches()) {
            u.problem(u.keyPath("password-hash"), "expected '*' and 40 hex digits, as in mysql.user "
                    + "(SELECT PASSWORD('...') prints it)");
            return null;
        }
        return new DbUser(name, password == null ? null : new Secret(password),
                hash == null ? null : new Secret(hash.toUpperCase(java.util.Locale.ROOT)));
    }

    private static GaleraMonitorConfig monitor(Section m, boolean enabled) {
        String user = m.string("user", null);
        if (enabled && user == null) {
            m.problem(m.keyPath("user"), "missing: an account the router polls wsrep status with "
                    + "(needs only USAGE; and, for the writer table, INSERT/UPDATE on its schema)");
        }
        GaleraMonitorConfig c = new GaleraMonitorConfig(
                user,
                new Secret(m.string("password", "")),
                m.duration("interval", GaleraMonitorConfig.DEFAULT_INTERVAL, Duration.ofMillis(50), Duration.ofMinutes(1)),
                m.duration("query-timeout", GaleraMonitorConfig.DEFAULT_QUERY_TIMEOUT, Duration.ofMillis(50), Duration.ofMinutes(1)),
                m.integer("max-recv-queue", GaleraMonitorConfig.DEFAULT_MAX_RECV_QUEUE, 0, Integer.MAX_VALUE),
                m.duration("settle", GaleraMonitorConfig.DEFAULT_SETTLE, Duration.ZERO, Duration.ofMinutes(10)));
        m.finish();
        return c;
    }

    /** Nodes are written {@code host:port} or {@code {name: n1, address: host:port}}. */
    private static List<BackendNode> nodes(Section s, boolean required, String what, int examplePort) {
        List<BackendNode> nodes = s.list("nodes", item -> {
            if (item.isScalar()) {
                try {
                    Endpoint e = Endpoint.parse(item.text());
                    return new BackendNode(e.toString(), e);
                } catch (IllegalArgumentException e) {
                    item.problem(e.getMessage());
                    return null;
                }
            }
            Section n = item.section();
            Endpoint address = n.endpoint("address", null);
            String name = n.string("name", address == null ? null : address.toString());
            if (!n.has("address")) {
                n.problem(n.keyPath("address"), "missing (write host:port)");
            }
            n.finish();
            return address == null ? null : new BackendNode(name, address);
        });
        if (required && nodes.isEmpty() && s.problemsAbout(s.keyPath("nodes")) == 0) {
            s.problem(s.keyPath("nodes"), "empty: list at least one " + what + " as host:port (e.g. 127.0.0.1:"
                    + examplePort + ")");
        }
        Set<String> names = new HashSet<>();
        for (BackendNode n : nodes) {
            if (!names.add(n.name())) {
                s.problem(s.keyPath("nodes"), "node name '" + n.name() + "' appears twice (names must be unique)");
            }
        }
        return nodes;
    }

    private static void crossChecks(SidecarConfig c, List<String> problems) {
        if (!c.amqp().enabled() && !c.db().enabled()) {
            problems.add("amqp, db: neither proxy is enabled (configure amqp.nodes and/or db.nodes)");
        }
        Set<String> known = new HashSet<>();
        c.amqp().nodes().forEach(n -> known.add(n.name()));
        c.db().nodes().forEach(n -> known.add(n.name()));
        for (ChaosConfig.ChaosNode n : c.chaos().nodes()) {
            if (!known.contains(n.name())) {
                problems.add("chaos.nodes: '" + n.name() + "' is not a node of amqp.nodes or db.nodes (known: "
                        + known.stream().sorted().toList() + ")");
            }
        }
        Map<Endpoint, String> used = new HashMap<>();
        if (c.admin().enabled()) {
            used.put(c.admin().listen(), "admin.listen");
        }
        if (c.amqp().enabled()) {
            claim(used, c.amqp().listen(), "amqp.listen", problems);
        }
        if (c.db().enabled()) {
            for (int i = 0; i < c.db().listeners().size(); i++) {
                claim(used, c.db().listeners().get(i).listen(), "db.listeners[" + i + "].listen", problems);
            }
        }
    }

    private static void claim(Map<Endpoint, String> used, Endpoint e, String key, List<String> problems) {
        String other = used.putIfAbsent(e, key);
        if (other != null) {
            problems.add(key + ": " + e + " is already used by " + other + " (give each listener its own port)");
        }
    }
}

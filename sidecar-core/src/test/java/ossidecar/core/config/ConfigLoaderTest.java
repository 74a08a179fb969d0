package ossidecar.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final String VALID = """
            admin:
              listen: 127.0.0.1:9999
            logging:
              level: debug
            amqp:
              listen: 127.0.0.1:15672
              strategy: least-connections
              heartbeat: 2s
              outage-limit: 90s
              nack-retry-budget: 3s
              probe-interval: 500ms
              nodes:
                - 127.0.0.1:25672
                - name: rabbit-2
                  address: 127.0.0.1:25673
            db:
              listeners:
                - role: writer
                  listen: 127.0.0.1:13306
                - role: reader
                  listen: 127.0.0.1:13307
              nodes: [127.0.0.1:23306, 127.0.0.1:23307]
              users:
                - name: nova
                  password: secret-pw
                - name: glance
                  password-hash: "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"
              monitor:
                user: monitor
                password: mon-pw
                interval: 250ms
            """;

    @Test
    void readsEveryKeyOfAValidFile() {
        SidecarConfig c = ConfigLoader.parse(VALID, "test");
        assertEquals(new Endpoint("127.0.0.1", 9999), c.admin().listen());
        assertEquals("DEBUG", c.logLevel());
        assertTrue(c.amqp().enabled());
        assertEquals(ConnectStrategy.LEAST_CONNECTIONS, c.amqp().strategy());
        assertEquals(Duration.ofSeconds(2), c.amqp().heartbeat());
        assertEquals(Duration.ofSeconds(90), c.amqp().outageLimit());
        assertEquals(Duration.ofSeconds(3), c.amqp().nackRetryBudget());
        assertEquals(Duration.ofMillis(500), c.amqp().probeInterval());
        assertEquals(AmqpProxyConfig.DEFAULT_CONNECT_TIMEOUT, c.amqp().connectTimeout());
        assertEquals(List.of(new BackendNode("127.0.0.1:25672", new Endpoint("127.0.0.1", 25672)),
                new BackendNode("rabbit-2", new Endpoint("127.0.0.1", 25673))), c.amqp().nodes());
        assertEquals(2, c.db().listeners().size());
        assertEquals(DbRole.READER, c.db().listeners().get(1).role());
        assertEquals("secret-pw", c.db().users().get(0).password().reveal());
        assertNull(c.db().users().get(0).passwordHash());
        assertEquals("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", c.db().users().get(1).passwordHash().reveal());
        assertEquals(Duration.ofMillis(250), c.db().monitor().interval());
        assertEquals(GaleraMonitorConfig.DEFAULT_QUERY_TIMEOUT, c.db().monitor().queryTimeout());
    }

    @Test
    void theDbFailoverAndPoolKeysHaveTheirDefaultsAndCanBeSet() {
        SidecarConfig d = ConfigLoader.parse(VALID, "test");
        assertTrue(d.db().commitMarkers());
        assertTrue(d.db().wrapsAutocommitWrites());
        assertEquals(DbRouterConfig.DEFAULT_CERTIFICATION_RETRIES, d.db().certificationRetries());
        assertEquals(DbPoolConfig.DEFAULTS, d.db().pool());
        assertEquals(GaleraMonitorConfig.DEFAULT_SETTLE, d.db().monitor().settle());

        String set = VALID.replace("  monitor:\n", """
                  autocommit-markers: false
                  certification-retries: 0
                  multiplex: false
                  max-backend-connections: 8
                  max-waiting: 20
                  pool-wait: 2s
                  monitor:
                    settle: 0s
                """);
        SidecarConfig c = ConfigLoader.parse(set, "test");
        assertTrue(c.db().commitMarkers());
        assertFalse(c.db().wrapsAutocommitWrites(), "markers for transactions only");
        assertEquals(0, c.db().certificationRetries());
        assertEquals(new DbPoolConfig(false, 8, 20, Duration.ofSeconds(2)), c.db().pool());
        assertEquals(Duration.ZERO, c.db().monitor().settle());
        assertEquals(Duration.ofMillis(250), c.db().monitor().interval(), "the rest of the monitor section kept");
    }

    @Test
    void aListenerWithoutARoleSplitsAndSoDoesTheDefaultListener() {
        SidecarConfig c = ConfigLoader.parse(VALID.replace("- role: writer\n      listen: 127.0.0.1:13306\n",
                "- listen: 127.0.0.1:13306\n"), "test");
        assertEquals(DbRole.SPLIT, c.db().listeners().get(0).role());
        String none = VALID.substring(0, VALID.indexOf("  listeners:"))
                + VALID.substring(VALID.indexOf("  nodes: [127.0.0.1:23306"));
        assertEquals(List.of(new DbListener(DbRole.SPLIT, new Endpoint("127.0.0.1", 3306))),
                ConfigLoader.parse(none, "test").db().listeners());
    }

    @Test
    void theSplitKeysHaveTheirDefaultsAndCanBeSet() {
        assertEquals(DbSplitConfig.DEFAULTS, ConfigLoader.parse(VALID, "test").db().split());
        assertEquals(ReadYourWrites.SYNC_WAIT, DbSplitConfig.DEFAULTS.readYourWrites());
        String set = VALID.replace("  monitor:\n", """
                  split:
                    writer-serves-reads: true
                    max-replay-statements: 10
                    max-replay-kib: 64
                    read-your-writes: window
                    writer-window: 500ms
                    global: true
                  monitor:
                """);
        assertEquals(new DbSplitConfig(true, 10, 64 * 1024, ReadYourWrites.WINDOW, Duration.ofMillis(500), true),
                ConfigLoader.parse(set, "test").db().split());
        List<String> p = problems(VALID.replace("  monitor:\n", "  split:\n    read-your-writes: gtid\n  monitor:\n"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("db.split.read-your-writes"), p.get(0));
        assertTrue(p.get(0).contains("sync-wait, window, off"), p.get(0));
    }

    @Test
    void aMissingSectionDisablesThatProxy() {
        SidecarConfig c = ConfigLoader.parse("amqp:\n  nodes: [127.0.0.1:5673]\n", "test");
        assertTrue(c.amqp().enabled());
        assertFalse(c.db().enabled());
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheAllowedKeys() {
        List<String> p = problems("amqp:\n  nodes: [127.0.0.1:5673]\n  hartbeat: 5s\n");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("amqp.hartbeat: unknown key (allowed here: "), p.get(0));
        assertTrue(p.get(0).contains("heartbeat"), p.get(0));
    }

    @Test
    void unknownKeyInsideAListItemNamesTheIndex() {
        List<String> p = problems("amqp:\n  nodes:\n    - name: a\n      adress: 127.0.0.1:1\n");
        assertTrue(p.stream().anyMatch(s -> s.startsWith("amqp.nodes[0].adress: unknown key")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("amqp.nodes[0].address: missing")), p.toString());
    }

    @Test
    void badPortIsRejectedWithTheAllowedRange() {
        List<String> p = problems("amqp:\n  listen: 127.0.0.1:70000\n  nodes: [127.0.0.1:5673]\n");
        assertEquals(List.of("amqp.listen: port 70000 is out of range (allowed: 1 to 65535)"), p);
        p = problems("amqp:\n  nodes: [127.0.0.1:5673, 'localhost:x']\n");
        assertEquals(List.of("amqp.nodes[1]: port 'x' is not a number (allowed: 1 to 65535)"), p);
    }

    @Test
    void emptyNodeListIsRejected() {
        List<String> p = problems("amqp:\n  nodes: []\n");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("amqp.nodes: empty: list at least one broker node"), p.get(0));
    }

    @Test
    void badValuesNameTheirKeyAndTheChoices() {
        List<String> p = problems("""
                logging: {level: loud}
                amqp:
                  nodes: [127.0.0.1:5673]
                  strategy: random
                  heartbeat: 5 seconds
                  publish-buffer-mib: 0
                  probe-interval: 10ms
                """);
        assertTrue(p.contains("logging.level: 'loud' is not allowed (allowed: trace, debug, info, warn, error)"), p.toString());
        assertTrue(p.contains("amqp.strategy: 'random' is not allowed (allowed: round-robin, least-connections, priority)"), p.toString());
        assertTrue(p.contains("amqp.heartbeat: expected a duration like 500ms, 5s, 2m or 1h, found '5 seconds'"), p.toString());
        assertTrue(p.contains("amqp.publish-buffer-mib: 0 is out of range (allowed: 1 to 65536)"), p.toString());
        assertTrue(p.contains("amqp.probe-interval: 10ms is out of range (allowed: 100ms to 1m)"), p.toString());
    }

    @Test
    void dbUsersNeedExactlyOneCredentialAndAWellFormedHash() {
        List<String> p = problems("""
                db:
                  nodes: [127.0.0.1:3307]
                  monitor: {user: m}
                  users:
                    - {name: a}
                    - {name: b, password: x, password-hash: "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"}
                    - {name: c, password-hash: "2470C0C06DEE42FD"}
                """);
        assertTrue(p.contains("db.users[0]: give exactly one of password or password-hash for user 'a'"), p.toString());
        assertTrue(p.contains("db.users[1]: give exactly one of password or password-hash for user 'b'"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("db.users[2].password-hash: expected '*' and 40 hex digits")), p.toString());
    }

    @Test
    void listenersThatShareAPortAreRejected() {
        List<String> p = problems("""
                admin: {listen: 127.0.0.1:5672}
                amqp: {nodes: [127.0.0.1:5673]}
                """);
        assertEquals(List.of("amqp.listen: 127.0.0.1:5672 is already used by admin.listen (give each listener its own port)"), p);
    }

    @Test
    void theChaosSectionIsReadAndItsNodesMustBeKnown() {
        SidecarConfig c = ConfigLoader.parse("""
                amqp: {nodes: [{name: rabbit-1, address: 127.0.0.1:5673}]}
                chaos:
                  toxiproxy: http://127.0.0.1:8474
                  amqp-user: nova
                  amqp-password: s3cret
                  command-timeout: 30s
                  nodes:
                    - name: rabbit-1
                      toxiproxy-proxy: rmq1
                      kill: ssh rmq1 pkill -9 beam.smp
                      start: ssh rmq1 systemctl start rabbitmq-server
                """, "test");
        ChaosConfig chaos = c.chaos();
        assertTrue(chaos.present());
        assertEquals("http://127.0.0.1:8474", chaos.toxiproxy());
        assertEquals("s3cret", chaos.amqpPassword().reveal());
        assertEquals(Duration.ofSeconds(30), chaos.commandTimeout());
        assertEquals(new ChaosConfig.ChaosNode("rabbit-1", "rmq1", "ssh rmq1 pkill -9 beam.smp", null, null, null,
                "ssh rmq1 systemctl start rabbitmq-server"), chaos.node("rabbit-1").orElseThrow());
        assertFalse(ConfigPrinter.toYaml(c).contains("s3cret"));
        assertFalse(ConfigLoader.parse(VALID, "test").chaos().present());
        assertEquals(List.of("chaos.nodes: 'rabbit-9' is not a node of amqp.nodes or db.nodes (known: [rabbit-1])"),
                problems("amqp: {nodes: [{name: rabbit-1, address: 127.0.0.1:5673}]}\n"
                        + "chaos: {nodes: [{name: rabbit-9, kill: 'true'}]}\n"));
    }

    @Test
    void nothingEnabledIsAnError() {
        assertEquals(List.of("amqp, db: neither proxy is enabled (configure amqp.nodes and/or db.nodes)"),
                problems("admin: {listen: 127.0.0.1:9000}\n"));
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("amqp:\n  nodes: [a\n", "f.yaml"));
        assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        List<String> p = problems("amqp:\n  nodes: []\n  listen: x\n  bogus: 1\n");
        assertEquals(3, p.size(), p.toString());
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test")).problems();
    }
}

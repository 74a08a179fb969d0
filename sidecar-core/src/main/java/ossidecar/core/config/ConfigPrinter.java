package ossidecar.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the effective configuration (defaults filled in) as YAML in the file's own
 * spelling, with every secret masked, for {@code sidecar check}.
 */
public final class ConfigPrinter {
    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ConfigPrinter() {
    }

    public static String toYaml(SidecarConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("admin", map("enabled", c.admin().enabled(), "listen", c.admin().listen().toString()));
        root.put("logging", map("level", c.logLevel().toLowerCase(java.util.Locale.ROOT)));
        AmqpProxyConfig a = c.amqp();
        if (a.enabled()) {
            root.put("amqp", map(
                    "enabled", true,
                    "listen", a.listen().toString(),
                    "strategy", Choices.spelling(a.strategy()),
                    "heartbeat", Durations.format(a.heartbeat()),
                    "connect-timeout", Durations.format(a.connectTimeout()),
                    "outage-limit", Durations.format(a.outageLimit()),
                    "nack-retry-budget", Durations.format(a.nackRetryBudget()),
                    "publish-buffer-mib", a.publishBufferBytes() >> 20,
                    "probe-interval", Durations.format(a.probeInterval()),
                    "nodes", nodes(a.nodes())));
        } else {
            root.put("amqp", map("enabled", false));
        }
        DbRouterConfig d = c.db();
        if (d.enabled()) {
            root.put("db", map(
                    "enabled", true,
                    "listeners", d.listeners().stream()
                            .map(l -> map("role", Choices.spelling(l.role()), "listen", l.listen().toString())).toList(),
                    "connect-timeout", Durations.format(d.connectTimeout()),
                    "writer-wait", Durations.format(d.writerWait()),
                    "commit-markers", d.commitMarkers(),
                    "autocommit-markers", d.autocommitMarkers(),
                    "certification-retries", d.certificationRetries(),
                    "multiplex", d.pool().multiplex(),
                    "max-backend-connections", d.pool().maxBackendConnections(),
                    "max-waiting", d.pool().maxWaiting(),
                    "pool-wait", Durations.format(d.pool().poolWait()),
                    "split", map(
                            "writer-serves-reads", d.split().writerServesReads(),
                            "max-replay-statements", d.split().maxReplayStatements(),
                            "max-replay-kib", d.split().maxReplayBytes() >> 10,
                            "read-your-writes", Choices.spelling(d.split().readYourWrites()),
                            "writer-window", Durations.format(d.split().writerWindow()),
                            "global", d.split().global()),
                    "nodes", nodes(d.nodes()),
                    "users", d.users().stream().map(u -> u.password() != null
                            ? map("name", u.name(), "password", u.password().toString())
                            : map("name", u.name(), "password-hash", u.passwordHash().toString())).toList(),
                    "monitor", map(
                            "user", d.monitor().user(),
                            "password", d.monitor().password().toString(),
                            "interval", Durations.format(d.monitor().interval()),
                            "query-timeout", Durations.format(d.monitor().queryTimeout()),
                            "max-recv-queue", d.monitor().maxRecvQueue(),
                            "settle", Durations.format(d.monitor().settle()))));
        } else {
            root.put("db", map("enabled", false));
        }
        ChaosConfig ch = c.chaos();
        if (ch.present()) {
            Map<String, Object> chaos = map("amqp-user", ch.amqpUser(), "amqp-password", ch.amqpPassword().toString(),
                    "amqp-vhost", ch.amqpVhost(), "command-timeout", Durations.format(ch.commandTimeout()));
            if (ch.toxiproxy() != null) {
                chaos.put("toxiproxy", ch.toxiproxy());
            }
            if (ch.dbUser() != null) {
                chaos.put("db-user", ch.dbUser());
            }
            if (ch.dbPassword() != null) {
                chaos.put("db-password", ch.dbPassword().toString());
            }
            chaos.put("nodes", ch.nodes().stream().map(n -> {
                Map<String, Object> m = map("name", n.name(), "toxiproxy-proxy", n.toxiproxyProxy());
                for (String[] kv : new String[][] {{"kill", n.kill()}, {"pause", n.pause()}, {"resume", n.resume()},
                        {"stop", n.stop()}, {"start", n.start()}}) {
                    if (kv[1] != null) {
                        m.put(kv[0], kv[1]);
                    }
                }
                return m;
            }).toList());
            root.put("chaos", chaos);
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> nodes(List<BackendNode> nodes) {
        return nodes.stream().map(n -> map("name", n.name(), "address", n.address().toString())).toList();
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

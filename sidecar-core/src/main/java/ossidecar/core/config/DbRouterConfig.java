package ossidecar.core.config;

import java.time.Duration;
import java.util.List;

/** The MySQL-protocol router in front of a MariaDB Galera cluster. */
public record DbRouterConfig(
        boolean enabled,
        List<DbListener> listeners,
        List<BackendNode> nodes,
        List<DbUser> users,
        GaleraMonitorConfig monitor,
        Duration connectTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    public DbRouterConfig {
        listeners = List.copyOf(listeners);
        nodes = List.copyOf(nodes);
        users = List.copyOf(users);
    }
}

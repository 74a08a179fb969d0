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
        Duration connectTimeout,
        Duration writerWait,
        boolean commitMarkers) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long a statement waits for a writer while none is known (a failover in progress):
     * above Galera's eviction of a dead node (suspect timeout 5 s plus the view change) so that
     * a failover is a pause, not an error.
     */
    public static final Duration DEFAULT_WRITER_WAIT = Duration.ofSeconds(10);

    public DbRouterConfig {
        listeners = List.copyOf(listeners);
        nodes = List.copyOf(nodes);
        users = List.copyOf(users);
    }

    /** With the default writer wait. */
    public DbRouterConfig(boolean enabled, List<DbListener> listeners, List<BackendNode> nodes, List<DbUser> users,
                          GaleraMonitorConfig monitor, Duration connectTimeout) {
        this(enabled, listeners, nodes, users, monitor, connectTimeout, DEFAULT_WRITER_WAIT, true);
    }
}

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
        boolean commitMarkers,
        int certificationRetries,
        DbPoolConfig pool,
        boolean autocommitMarkers,
        DbSplitConfig split) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long a statement waits for a writer while none is known (a failover in progress):
     * above Galera's eviction of a dead node (suspect timeout 5 s plus the view change) so that
     * a failover is a pause, not an error.
     */
    public static final Duration DEFAULT_WRITER_WAIT = Duration.ofSeconds(10);

    /**
     * How many times an autocommit write refused with 1213 (a Galera certification conflict or
     * brute-force abort) is sent again, after MariaDB's own {@code wsrep_retry_autocommit}.
     */
    public static final int DEFAULT_CERTIFICATION_RETRIES = 3;

    public DbRouterConfig {
        listeners = List.copyOf(listeners);
        split = split == null ? DbSplitConfig.DEFAULTS : split;
        nodes = List.copyOf(nodes);
        users = List.copyOf(users);
    }

    /** With the default splitting settings. */
    public DbRouterConfig(boolean enabled, List<DbListener> listeners, List<BackendNode> nodes, List<DbUser> users,
                          GaleraMonitorConfig monitor, Duration connectTimeout, Duration writerWait,
                          boolean commitMarkers, int certificationRetries, DbPoolConfig pool,
                          boolean autocommitMarkers) {
        this(enabled, listeners, nodes, users, monitor, connectTimeout, writerWait, commitMarkers, certificationRetries,
                pool, autocommitMarkers, DbSplitConfig.DEFAULTS);
    }

    /** With the default writer wait. */
    public DbRouterConfig(boolean enabled, List<DbListener> listeners, List<BackendNode> nodes, List<DbUser> users,
                          GaleraMonitorConfig monitor, Duration connectTimeout) {
        this(enabled, listeners, nodes, users, monitor, connectTimeout, DEFAULT_WRITER_WAIT, true);
    }

    /** With the default certification retries. */
    public DbRouterConfig(boolean enabled, List<DbListener> listeners, List<BackendNode> nodes, List<DbUser> users,
                          GaleraMonitorConfig monitor, Duration connectTimeout, Duration writerWait,
                          boolean commitMarkers) {
        this(enabled, listeners, nodes, users, monitor, connectTimeout, writerWait, commitMarkers,
                DEFAULT_CERTIFICATION_RETRIES, DbPoolConfig.DEFAULTS, true);
    }

    /** The same with other listeners. */
    public DbRouterConfig withListeners(List<DbListener> other) {
        return new DbRouterConfig(enabled, other, nodes, users, monitor, connectTimeout, writerWait, commitMarkers,
                certificationRetries, pool, autocommitMarkers, split);
    }

    /** The same with another certification retry count. */
    public DbRouterConfig withCertificationRetries(int retries) {
        return new DbRouterConfig(enabled, listeners, nodes, users, monitor, connectTimeout, writerWait, commitMarkers,
                retries, pool, autocommitMarkers, split);
    }

    /** The same with other splitting settings. */
    public DbRouterConfig withSplit(DbSplitConfig other) {
        return new DbRouterConfig(enabled, listeners, nodes, users, monitor, connectTimeout, writerWait, commitMarkers,
                certificationRetries, pool, autocommitMarkers, other);
    }

    /** Whether autocommit writes are wrapped in a transaction with a commit marker (commit markers on, and this on). */
    public boolean wrapsAutocommitWrites() {
        return commitMarkers && autocommitMarkers;
    }
}

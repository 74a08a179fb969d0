package ossidecar.core.config;

import java.time.Duration;

/** How the DB router watches each Galera node's wsrep state. */
public record GaleraMonitorConfig(
        String user,
        Secret password,
        Duration interval,
        Duration queryTimeout,
        int maxRecvQueue) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_RECV_QUEUE = 100;
}

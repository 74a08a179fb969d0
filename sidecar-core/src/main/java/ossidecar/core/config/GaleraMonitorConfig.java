package ossidecar.core.config;

import java.time.Duration;

/** How the DB router watches each Galera node's wsrep state. */
public record GaleraMonitorConfig(
        String user,
        Secret password,
        Duration interval,
        Duration queryTimeout,
        int maxRecvQueue,
        Duration settle) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    /**
     * How long a node that came back (rejoined, resynced after being a donor, answered again)
     * must stay SYNCED before it may become the writer: a node that just finished its state
     * transfer is cold and may still flap.
     */
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_RECV_QUEUE = 100;

    /** With the default settle time. */
    public GaleraMonitorConfig(String user, Secret password, Duration interval, Duration queryTimeout, int maxRecvQueue) {
        this(user, password, interval, queryTimeout, maxRecvQueue, DEFAULT_SETTLE);
    }
}

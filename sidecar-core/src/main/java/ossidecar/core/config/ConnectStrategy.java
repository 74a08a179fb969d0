package ossidecar.core.config;

/** How a proxy picks the backend node for a new upstream connection. */
public enum ConnectStrategy {
    /** Each new connection goes to the next healthy node in turn. */
    ROUND_ROBIN,
    /** The healthy node with the fewest connections from this proxy. */
    LEAST_CONNECTIONS,
    /** The first healthy node in the configured order. */
    PRIORITY
}

package ossidecar.core.config;

import java.time.Duration;

/**
 * The DB router's backend connections: whether idle sessions share them, and how many each
 * node gets.
 *
 * @param multiplex             a session outside a transaction and without state that binds it to
 *                              one connection gives its backend connection back after each
 *                              transaction or autocommit statement
 * @param maxBackendConnections backend connections per node, across the router's event loops
 * @param maxWaiting            sessions that may wait for a backend connection per node
 * @param poolWait              how long a session waits for one before it gets 1040
 */
public record DbPoolConfig(boolean multiplex, int maxBackendConnections, int maxWaiting, Duration poolWait) {
    public static final int DEFAULT_MAX_BACKEND_CONNECTIONS = 50;
    public static final int DEFAULT_MAX_WAITING = 1000;
    public static final Duration DEFAULT_POOL_WAIT = Duration.ofSeconds(10);
    public static final DbPoolConfig DEFAULTS = new DbPoolConfig(true, DEFAULT_MAX_BACKEND_CONNECTIONS,
            DEFAULT_MAX_WAITING, DEFAULT_POOL_WAIT);

    public DbPoolConfig {
        if (maxBackendConnections < 1 || maxWaiting < 0 || poolWait.isNegative()) {
            throw new IllegalArgumentException("max-backend-connections " + maxBackendConnections + ", max-waiting "
                    + maxWaiting + ", pool-wait " + poolWait + " (expected: >= 1, >= 0, >= 0)");
        }
    }
}

package ossidecar.db.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The DB router's own meters (the Galera monitor and writer election have theirs). */
final class DbRouterMetrics {
    private final MeterRegistry registry;
    final AtomicInteger sessions = new AtomicInteger();
    final Counter authFailures;
    final Counter protocolErrors;

    DbRouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("sidecar.db.sessions", sessions, AtomicInteger::get)
                .description("open client sessions").register(registry);
        authFailures = Counter.builder("sidecar.db.auth.failures")
                .description("client logins refused (wrong user or password)").register(registry);
        protocolErrors = Counter.builder("sidecar.db.client.protocol.errors")
                .description("client connections closed for malformed or unknown packets").register(registry);
    }

    void statement(String command, String node) {
        Counter.builder("sidecar.db.statements").tags("command", command, "node", node)
                .description("commands relayed, by command and backend node").register(registry).increment();
    }
}

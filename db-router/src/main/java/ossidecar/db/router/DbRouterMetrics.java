package ossidecar.db.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import ossidecar.db.protocol.CommandType;

/** The DB router's own meters (the Galera monitor and writer election have theirs). */
final class DbRouterMetrics {
    private final MeterRegistry registry;
    final AtomicInteger sessions = new AtomicInteger();
    final Counter authFailures;
    final Counter protocolErrors;
    private final Map<StatementKey, Counter> statementCounters = new ConcurrentHashMap<>();

    private record StatementKey(CommandType command, String node) {
    }

    DbRouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("sidecar.db.sessions", sessions, AtomicInteger::get)
                .description("open client sessions").register(registry);
        authFailures = Counter.builder("sidecar.db.auth.failures")
                .description("client logins refused (wrong user or password)").register(registry);
        protocolErrors = Counter.builder("sidecar.db.client.protocol.errors")
                .description("client connections closed for malformed or unknown packets").register(registry);
    }

    /** Counted on every command: the counters are cached, since registering is a lookup with tag sorting. */
    void statement(CommandType command, String node) {
        statementCounters.computeIfAbsent(new StatementKey(command, node), k -> Counter.builder("sidecar.db.statements")
                        .tags("command", command.name(), "node", node)
                        .description("commands relayed, by command and backend node").register(registry))
                .increment();
    }
}

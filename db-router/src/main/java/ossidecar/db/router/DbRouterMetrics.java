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
    /** Sessions moved to another backend without the client noticing. */
    final Counter reconnects;
    /** Backend connections leased again by sessions that gave theirs back between transactions (multiplexing). */
    final Counter leases;
    /** Statements cut in flight and sent again on the new backend. */
    final Counter retried;
    /** Transactions that lost their node: answered 1213 at their next statement (or the one in flight). */
    final Counter cutTransactions;
    /** Sessions closed because a COMMIT or autocommit write in flight may or may not have committed. */
    final Counter unknownOutcomes;
    /** Sessions closed because the backend broke while part of a result had already gone to the client. */
    final Counter closedMidResult;
    /** Statements that found no writer and waited for one (answered an error when none came in time). */
    final Counter commitsResolvedCommitted;
    final Counter commitsResolvedRolledBack;
    final Counter writerWaits;
    final Counter writerWaitTimeouts;
    /** Autocommit writes sent again after Galera refused them with 1213 (one per sending). */
    final Counter certificationRetried;
    /** Autocommit writes refused with 1213 that succeeded when sent again. */
    final Counter certificationSucceeded;
    /** Autocommit writes refused with 1213 every time: the client got the 1213. */
    final Counter certificationExhausted;
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
        reconnects = failover("reconnected");
        leases = Counter.builder("sidecar.db.pool.leases")
                .description("backend connections leased by sessions that gave theirs back between transactions")
                .register(registry);
        retried = failover("retried");
        cutTransactions = failover("transaction_cut");
        unknownOutcomes = failover("unknown_outcome");
        closedMidResult = failover("closed_mid_result");
        commitsResolvedCommitted = resolved("committed");
        commitsResolvedRolledBack = resolved("rolled_back");
        writerWaits = Counter.builder("sidecar.db.writer.waits")
                .description("statements that found no writer and waited for one").register(registry);
        certificationRetried = Counter.builder("sidecar.db.certification.retries")
                .description("autocommit writes sent again after Galera refused them with 1213").register(registry);
        certificationSucceeded = certification("succeeded");
        certificationExhausted = certification("exhausted");
        writerWaitTimeouts = Counter.builder("sidecar.db.writer.wait.timeouts")
                .description("statements that found no writer within writer-wait and got an error").register(registry);
    }

    private Counter certification(String outcome) {
        return Counter.builder("sidecar.db.certification.conflicts").tag("outcome", outcome)
                .description("autocommit writes refused with 1213 by Galera, by how they ended: succeeded when "
                        + "sent again, or exhausted (the client got the 1213)").register(registry);
    }

    private Counter resolved(String outcome) {
        return Counter.builder("sidecar.db.commits.resolved").tag("outcome", outcome)
                .description("COMMITs whose answer was lost with the writer, resolved by their commit marker")
                .register(registry);
    }

    /** One name for Prometheus: reconnected, retried, transaction_cut, unknown_outcome, closed_mid_result. */
    private Counter failover(String outcome) {
        return Counter.builder("sidecar.db.failover.sessions").tag("outcome", outcome)
                .description("client sessions met by a backend loss or a writer change, by what they saw")
                .register(registry);
    }

    /** Counted on every command: the counters are cached, since registering is a lookup with tag sorting. */
    void statement(CommandType command, String node) {
        statementCounters.computeIfAbsent(new StatementKey(command, node), k -> Counter.builder("sidecar.db.statements")
                        .tags("command", command.name(), "node", node)
                        .description("commands relayed, by command and backend node").register(registry))
                .increment();
    }
}

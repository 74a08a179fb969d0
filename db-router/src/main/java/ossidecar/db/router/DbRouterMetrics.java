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
    /** Split transactions that began on a reader, by how they ended. */
    final Counter splitStayedOnReader;
    final Counter splitMovedClean;
    final Counter splitMovedConflict;
    final Counter splitMoveFailed;
    /** Reader transactions moved to the writer early because their reads reached the replay bound. */
    final Counter splitPinned;
    /** Transactions begun on the writer because the session's last ones all moved there. */
    final Counter splitWritesFollowReads;
    /** Reads on a reader that waited for the cluster's writes first (read-your-writes, wsrep_sync_wait). */
    final Counter causalReads;
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
        splitStayedOnReader = split("stayed_on_reader");
        splitMovedClean = split("moved_clean");
        splitMovedConflict = split("moved_conflict");
        splitMoveFailed = split("move_failed");
        splitPinned = Counter.builder("sidecar.db.split.pinned")
                .description("reader transactions moved to the writer before their first write because their reads "
                        + "reached max-replay-statements or max-replay-kib").register(registry);
        splitWritesFollowReads = Counter.builder("sidecar.db.split.writer.starts")
                .description("transactions begun on the writer because the session's last ones that began on a "
                        + "reader all moved there at their first write").register(registry);
        causalReads = Counter.builder("sidecar.db.split.causal.reads")
                .description("reads on a reader that first waited for the writes this router had acknowledged "
                        + "(read-your-writes)").register(registry);
        writerWaitTimeouts = Counter.builder("sidecar.db.writer.wait.timeouts")
                .description("statements that found no writer within writer-wait and got an error").register(registry);
    }

    private Counter split(String outcome) {
        return Counter.builder("sidecar.db.split.transactions").tag("outcome", outcome)
                .description("transactions that began on a reader, by how they ended: stayed_on_reader (committed or "
                        + "rolled back there), moved_clean (replayed on the writer with the same results), "
                        + "moved_conflict (results differed: the client got 1213), move_failed (the writer could not "
                        + "take it: the client got an error)").register(registry);
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

package ossidecar.db.sql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router needs to know about one query text, as decided by {@link StatementClassifier}.
 *
 * <p>{@link #route()} is the decision for a statement outside a transaction; inside one, the
 * caller keeps the transaction's node. The OK/EOF status flags stay the truth about transaction
 * state: {@link #startsTransaction()} and {@link #endsTransaction()} say what the statement is
 * meant to do, not what it did (it may fail, {@code SET autocommit=1} commits only if autocommit
 * was off). For a text with several statements the fields describe all of them: kind is the
 * first statement's, flags are true if any statement sets them, lists are concatenated in order
 * and {@code autocommitChange} is the last one.
 *
 * @param kind what the (first) statement is
 * @param route where it may run outside a transaction
 * @param reason why {@code route} was chosen
 * @param hint a routing hint from a comment, which the caller lets override {@code route}
 * @param startsTransaction opens a transaction: {@code BEGIN}, {@code START TRANSACTION},
 *     {@code XA START}, {@code COMMIT AND CHAIN}, {@code ROLLBACK AND CHAIN}
 * @param endsTransaction ends an open transaction, explicitly ({@code COMMIT}, {@code ROLLBACK},
 *     {@code XA COMMIT}) or by implicit commit (DDL, {@code LOCK TABLES}, {@code BEGIN} itself,
 *     {@code SET autocommit=1}... as listed in the manual, "SQL statements That Cause an
 *     Implicit Commit")
 * @param readOnlyTransaction {@code START TRANSACTION READ ONLY}
 * @param sessionChanges session state to record for replay, in statement order
 * @param autocommitChange the new value of session {@code autocommit}, if the text sets it to a
 *     literal
 * @param statementCount statements in the text, not counting empty ones; 0 for {@link StatementKind#EMPTY}
 * @param malformed the text has an unterminated string, identifier or comment
 * @param referencedTables tables a read names (after {@code FROM}, {@code JOIN}, {@code DESCRIBE},
 *     {@code SHOW ... FROM}); the router routes to the writer if one is a temporary table it
 *     remembers. Filled for reads ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code SHOW},
 *     {@code EXPLAIN}, {@code DESCRIBE}, {@code ANALYZE}); empty for writes, which go to the
 *     writer anyway.
 * @param createdTemporaryTables tables made by {@code CREATE TEMPORARY TABLE|SEQUENCE}
 * @param droppedTables tables named by {@code DROP [TEMPORARY] TABLE|SEQUENCE}: a temporary
 *     table of that name is gone (DROP TABLE drops a shadowing temporary table first)
 * @param nodeDependent a read whose answer may differ between nodes holding the same data (the
 *     clock, random values, {@code @@} variables): fine on a reader alone, but a transaction that
 *     read it there could not be checked against the writer, so the router moves it first
 */
public record Classification(
        StatementKind kind,
        Route route,
        RouteReason reason,
        RouteHint hint,
        boolean startsTransaction,
        boolean endsTransaction,
        boolean readOnlyTransaction,
        List<SessionChange> sessionChanges,
        Optional<Boolean> autocommitChange,
        int statementCount,
        boolean malformed,
        List<TableName> referencedTables,
        List<TableName> createdTemporaryTables,
        List<TableName> droppedTables,
        boolean nodeDependent) {

    public Classification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(autocommitChange, "autocommitChange");
        sessionChanges = List.copyOf(sessionChanges);
        referencedTables = List.copyOf(referencedTables);
        createdTemporaryTables = List.copyOf(createdTemporaryTables);
        droppedTables = List.copyOf(droppedTables);
        if (statementCount < 0) {
            throw new IllegalArgumentException("statementCount: " + statementCount + " (expected: >= 0)");
        }
    }

    /** Without {@code nodeDependent}: as before that field existed. */
    public Classification(StatementKind kind, Route route, RouteReason reason, RouteHint hint, boolean startsTransaction,
                          boolean endsTransaction, boolean readOnlyTransaction, List<SessionChange> sessionChanges,
                          Optional<Boolean> autocommitChange, int statementCount, boolean malformed,
                          List<TableName> referencedTables, List<TableName> createdTemporaryTables,
                          List<TableName> droppedTables) {
        this(kind, route, reason, hint, startsTransaction, endsTransaction, readOnlyTransaction, sessionChanges,
                autocommitChange, statementCount, malformed, referencedTables, createdTemporaryTables, droppedTables,
                false);
    }

    /** Whether the text holds more than one statement. */
    public boolean multiStatement() {
        return statementCount > 1;
    }

    /** Whether a reader may serve it outside a transaction, hints aside. */
    public boolean readerEligible() {
        return route == Route.ANY_READER;
    }
}

package ossidecar.db.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The mutable facts about one or more statements while they are being classified. */
final class ClassificationBuilder {
    private StatementKind kind = StatementKind.OTHER;
    private Route route = Route.WRITER;
    private RouteReason reason = RouteReason.UNRECOGNIZED;
    private boolean startsTransaction;
    private boolean endsTransaction;
    private boolean readOnlyTransaction;
    private boolean nodeDependent;
    private Boolean autocommit;
    private List<SessionChange> sessionChanges;
    private List<TableName> referencedTables;
    private List<TableName> createdTemporaryTables;
    private List<TableName> droppedTables;

    ClassificationBuilder writer(StatementKind kind, RouteReason reason) {
        this.kind = kind;
        this.route = Route.WRITER;
        this.reason = reason;
        return this;
    }

    ClassificationBuilder reader(StatementKind kind, RouteReason reason) {
        this.kind = kind;
        this.route = Route.ANY_READER;
        this.reason = reason;
        return this;
    }

    /** Keeps the kind, sends it to the writer. */
    ClassificationBuilder forceWriter(RouteReason reason) {
        this.route = Route.WRITER;
        this.reason = reason;
        return this;
    }

    ClassificationBuilder kind(StatementKind kind) {
        this.kind = kind;
        return this;
    }

    StatementKind kind() {
        return kind;
    }

    Route route() {
        return route;
    }

    RouteReason reason() {
        return reason;
    }

    ClassificationBuilder startsTransaction() {
        startsTransaction = true;
        return this;
    }

    ClassificationBuilder endsTransaction() {
        endsTransaction = true;
        return this;
    }

    ClassificationBuilder readOnlyTransaction() {
        readOnlyTransaction = true;
        return this;
    }

    ClassificationBuilder autocommit(boolean value) {
        autocommit = value;
        return this;
    }

    ClassificationBuilder sessionChange(SessionChange change) {
        sessionChanges = append(sessionChanges, change);
        return this;
    }

    ClassificationBuilder referencedTable(TableName table) {
        referencedTables = append(referencedTables, table);
        return this;
    }

    ClassificationBuilder referencedTables(List<TableName> tables) {
        for (TableName table : tables) {
            referencedTable(table);
        }
        return this;
    }

    ClassificationBuilder createdTemporaryTable(TableName table) {
        createdTemporaryTables = append(createdTemporaryTables, table);
        return this;
    }

    ClassificationBuilder nodeDependent() {
        nodeDependent = true;
        return this;
    }

    ClassificationBuilder droppedTable(TableName table) {
        droppedTables = append(droppedTables, table);
        return this;
    }

    /** Folds a later statement of the same text into this one; the first statement's kind stays. */
    ClassificationBuilder absorb(ClassificationBuilder later) {
        if (later.route == Route.WRITER && route != Route.WRITER) {
            route = Route.WRITER;
            reason = later.reason;
        }
        startsTransaction |= later.startsTransaction;
        endsTransaction |= later.endsTransaction;
        readOnlyTransaction |= later.readOnlyTransaction;
        nodeDependent |= later.nodeDependent;
        if (later.autocommit != null) {
            autocommit = later.autocommit;
        }
        sessionChanges = appendAll(sessionChanges, later.sessionChanges);
        referencedTables = appendAll(referencedTables, later.referencedTables);
        createdTemporaryTables = appendAll(createdTemporaryTables, later.createdTemporaryTables);
        droppedTables = appendAll(droppedTables, later.droppedTables);
        return this;
    }

    /** Copies everything but the kind from {@code inner}: for statements that wrap another. */
    ClassificationBuilder copyOf(ClassificationBuilder inner) {
        route = inner.route;
        reason = inner.reason;
        startsTransaction = inner.startsTransaction;
        endsTransaction = inner.endsTransaction;
        readOnlyTransaction = inner.readOnlyTransaction;
        nodeDependent = inner.nodeDependent;
        autocommit = inner.autocommit;
        sessionChanges = inner.sessionChanges;
        referencedTables = inner.referencedTables;
        createdTemporaryTables = inner.createdTemporaryTables;
        droppedTables = inner.droppedTables;
        return this;
    }

    Classification build(RouteHint hint, int statementCount, boolean malformed) {
        return new Classification(kind, route, reason, hint, startsTransaction, endsTransaction,
                readOnlyTransaction, orEmpty(sessionChanges), Optional.ofNullable(autocommit),
                statementCount, malformed, orEmpty(referencedTables), orEmpty(createdTemporaryTables),
                orEmpty(droppedTables), nodeDependent);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = list == null ? new ArrayList<>(2) : list;
        out.add(item);
        return out;
    }

    private static <T> List<T> appendAll(List<T> list, List<T> items) {
        if (items == null || items.isEmpty()) {
            return list;
        }
        List<T> out = list == null ? new ArrayList<>(items.size()) : list;
        out.addAll(items);
        return out;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

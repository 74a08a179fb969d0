package ossidecar.db.sql;

import static ossidecar.db.sql.RouteReason.DDL;
import static ossidecar.db.sql.RouteReason.TRANSACTION_CONTROL;
import static ossidecar.db.sql.RouteReason.UNRECOGNIZED;
import static ossidecar.db.sql.RouteReason.WRITE;

/**
 * {@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code ROLLBACK} and {@code XA}:
 * whether they open or end a transaction (MariaDB manual, "START TRANSACTION", "COMMIT",
 * "ROLLBACK", "XA Transactions"). Each method gets the token after the statement's verb.
 */
final class TransactionStatements {
    private TransactionStatements() {
    }

    /** {@code BEGIN [WORK]} starts a transaction; {@code BEGIN NOT ATOMIC} is a compound statement. */
    static ClassificationBuilder begin(SqlTokens t, ClassificationBuilder b, int i, int end) {
        if (i >= end || (t.isWord(i, "WORK") && i + 1 >= end)) {
            // BEGIN commits an open transaction, then opens one.
            return b.writer(StatementKind.BEGIN, TRANSACTION_CONTROL).startsTransaction().endsTransaction();
        }
        return b.writer(StatementKind.OTHER, WRITE); // BEGIN NOT ATOMIC ... END may do anything
    }

    /**
     * {@code START TRANSACTION [READ ONLY | READ WRITE | WITH CONSISTENT SNAPSHOT] [, ...]};
     * {@code START SLAVE|REPLICA|ALL SLAVES} is administrative and commits.
     */
    static ClassificationBuilder start(SqlTokens t, ClassificationBuilder b, int i, int end) {
        if (!t.isWord(i, "TRANSACTION")) {
            return t.isWord(i, "SLAVE") || t.isWord(i, "REPLICA") || t.isWord(i, "ALL")
                    ? b.writer(StatementKind.ADMIN, DDL).endsTransaction()
                    : b.writer(StatementKind.OTHER, UNRECOGNIZED);
        }
        boolean readOnly = false;
        for (int k = i + 1; k + 1 < end; k++) {
            if (t.isWord(k, "READ") && t.isWord(k + 1, "ONLY")) {
                readOnly = true;
            }
        }
        if (readOnly) {
            // The whole transaction only reads, so a reader may run all of it.
            return b.reader(StatementKind.BEGIN, RouteReason.READ_ONLY_TRANSACTION)
                    .startsTransaction().endsTransaction().readOnlyTransaction();
        }
        return b.writer(StatementKind.BEGIN, TRANSACTION_CONTROL).startsTransaction().endsTransaction();
    }

    /** {@code COMMIT [WORK] [AND [NO] CHAIN] [[NO] RELEASE]}. */
    static ClassificationBuilder commit(SqlTokens t, ClassificationBuilder b, int i, int end) {
        return chain(t, b.writer(StatementKind.COMMIT, TRANSACTION_CONTROL).endsTransaction(), i, end);
    }

    /** {@code ROLLBACK [WORK] TO [SAVEPOINT] name} keeps the transaction; other ROLLBACKs end it. */
    static ClassificationBuilder rollback(SqlTokens t, ClassificationBuilder b, int i, int end) {
        int k = t.isWord(i, "WORK") ? i + 1 : i;
        if (t.isWord(k, "TO")) {
            return b.writer(StatementKind.ROLLBACK_TO_SAVEPOINT, TRANSACTION_CONTROL);
        }
        return chain(t, b.writer(StatementKind.ROLLBACK, TRANSACTION_CONTROL).endsTransaction(), i, end);
    }

    /** {@code XA START|BEGIN} opens, {@code XA COMMIT|ROLLBACK} ends a transaction of this connection. */
    static ClassificationBuilder xa(SqlTokens t, ClassificationBuilder b, int i) {
        b.writer(StatementKind.XA, TRANSACTION_CONTROL);
        if (t.isWord(i, "START") || t.isWord(i, "BEGIN")) {
            b.startsTransaction();
        } else if (t.isWord(i, "COMMIT") || t.isWord(i, "ROLLBACK")) {
            b.endsTransaction();
        }
        return b;
    }

    /** {@code AND CHAIN} (not {@code AND NO CHAIN}) opens a new transaction right away. */
    private static ClassificationBuilder chain(SqlTokens t, ClassificationBuilder b, int i, int end) {
        for (int k = i; k + 1 < end; k++) {
            if (t.isWord(k, "AND") && t.isWord(k + 1, "CHAIN")) {
                b.startsTransaction();
            }
        }
        return b;
    }
}

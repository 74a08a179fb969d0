package ossidecar.db.sql;

import static ossidecar.db.sql.RouteReason.CONNECTION_STATE;
import static ossidecar.db.sql.RouteReason.DDL;
import static ossidecar.db.sql.RouteReason.READ;
import static ossidecar.db.sql.RouteReason.SESSION_BOUND;
import static ossidecar.db.sql.RouteReason.SESSION_STATE;
import static ossidecar.db.sql.RouteReason.TRANSACTION_CONTROL;
import static ossidecar.db.sql.RouteReason.UNRECOGNIZED;
import static ossidecar.db.sql.RouteReason.WRITE;

/**
 * Classifies one statement, a token range without separators, by its leading keywords.
 * Reads get a {@link ReadScanner} pass; {@code SET} goes to {@link SetStatementParser},
 * CREATE/DROP/accounts to {@link SchemaStatements}, transaction control to
 * {@link TransactionStatements}. Whatever it does not recognise goes to the writer.
 */
final class StatementAnalyzer {
    /** Statements that may follow a leading {@code WITH} clause, at parenthesis depth 0. */
    private static final KeywordSet WITH_BODIES = new KeywordSet(
            "SELECT", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE");
    /** Words after SHOW that report on the previous statement of this connection. */
    private static final KeywordSet SHOW_PREVIOUS_STATEMENT = new KeywordSet(
            "WARNINGS", "ERRORS", "COUNT", "PROFILE", "PROFILES");
    /** SHOW ... FROM|IN tbl: the statements of SHOW that take a table. */
    private static final KeywordSet SHOW_TABLE_TARGETS = new KeywordSet(
            "COLUMNS", "FIELDS", "INDEX", "INDEXES", "KEYS");
    /** Words between EXPLAIN and the statement it explains. */
    private static final KeywordSet EXPLAIN_OPTIONS = new KeywordSet("EXTENDED", "PARTITIONS");
    private static final KeywordSet EXPLAINABLE = new KeywordSet(
            "SELECT", "WITH", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE");
    /**
     * Administrative statements with their implicit commit (MariaDB manual, "SQL statements That
     * Cause an Implicit Commit"; sql_parse.cc, CF_AUTO_COMMIT_TRANS).
     */
    private static final KeywordSet ADMIN_COMMITTING = new KeywordSet(
            "FLUSH", "OPTIMIZE", "REPAIR", "CHECK", "RESET", "CACHE", "CHANGE", "STOP", "SHUTDOWN",
            "INSTALL", "UNINSTALL");
    private static final KeywordSet ADMIN_NOT_COMMITTING = new KeywordSet("CHECKSUM", "PURGE", "BINLOG");

    private final SqlTokens t;

    StatementAnalyzer(SqlTokens tokens) {
        this.t = tokens;
    }

    /** Classifies tokens {@code [start, end)}; {@code start < end}. */
    ClassificationBuilder analyze(int start, int end) {
        ClassificationBuilder b = new ClassificationBuilder();
        int first = start;
        while (first < end && t.isSymbol(first, '(')) {
            first++; // (SELECT ...) UNION (SELECT ...)
        }
        if (first >= end || !t.is(first, TokenType.WORD)) {
            return b.writer(StatementKind.OTHER, UNRECOGNIZED);
        }
        if (first > start) {
            return t.isWord(first, "SELECT") || t.isWord(first, "WITH") || t.isWord(first, "VALUES")
                    ? read(b, StatementKind.SELECT, start, end)
                    : b.writer(StatementKind.OTHER, UNRECOGNIZED);
        }
        int next = first + 1;
        return switch (t.upper(first)) {
            case "SELECT", "VALUES" -> read(b, StatementKind.SELECT, start, end);
            case "WITH" -> with(b, start, end);
            case "INSERT" -> b.writer(StatementKind.INSERT, WRITE);
            case "UPDATE" -> b.writer(StatementKind.UPDATE, WRITE);
            case "DELETE" -> b.writer(StatementKind.DELETE, WRITE);
            case "REPLACE" -> b.writer(StatementKind.REPLACE, WRITE);
            case "CREATE" -> SchemaStatements.create(t, b, next, end);
            case "DROP" -> SchemaStatements.drop(t, b, next, end);
            case "ALTER", "RENAME" -> t.isWord(next, "USER")
                    ? SchemaStatements.account(b)
                    : b.writer(StatementKind.DDL, DDL).endsTransaction();
            case "TRUNCATE" -> b.writer(StatementKind.DDL, DDL).endsTransaction();
            case "GRANT", "REVOKE" -> SchemaStatements.account(b);
            case "BEGIN" -> TransactionStatements.begin(t, b, next, end);
            case "START" -> TransactionStatements.start(t, b, next, end);
            case "COMMIT" -> TransactionStatements.commit(t, b, next, end);
            case "ROLLBACK" -> TransactionStatements.rollback(t, b, next, end);
            case "SAVEPOINT" -> b.writer(StatementKind.SAVEPOINT, TRANSACTION_CONTROL);
            case "RELEASE" -> t.isWord(next, "SAVEPOINT")
                    ? b.writer(StatementKind.RELEASE_SAVEPOINT, TRANSACTION_CONTROL)
                    : b.writer(StatementKind.OTHER, UNRECOGNIZED);
            case "XA" -> TransactionStatements.xa(t, b, next);
            case "SET" -> set(b, first, end);
            case "USE" -> use(b, next, end);
            case "SHOW" -> show(b, next, end);
            case "EXPLAIN", "DESCRIBE", "DESC" -> explain(b, next, end);
            case "ANALYZE" -> analyzeStatement(b, next, end);
            case "CALL" -> b.writer(StatementKind.CALL, WRITE); // a procedure may write
            case "DO" -> doStatement(b, next, end);
            case "LOCK" -> t.isWord(next, "TABLE") || t.isWord(next, "TABLES")
                    ? b.writer(StatementKind.LOCK_TABLES, CONNECTION_STATE).endsTransaction()
                    : b.writer(StatementKind.OTHER, UNRECOGNIZED);
            // UNLOCK TABLES commits only if LOCK TABLES was in effect: a "may end".
            case "UNLOCK" -> t.isWord(next, "TABLE") || t.isWord(next, "TABLES")
                    ? b.writer(StatementKind.UNLOCK_TABLES, CONNECTION_STATE).endsTransaction()
                    : b.writer(StatementKind.OTHER, UNRECOGNIZED);
            case "PREPARE" -> b.writer(StatementKind.PREPARE, CONNECTION_STATE);
            case "EXECUTE" -> b.writer(StatementKind.EXECUTE, CONNECTION_STATE);
            case "DEALLOCATE" -> b.writer(StatementKind.DEALLOCATE, CONNECTION_STATE);
            case "LOAD" -> load(b, next);
            case "HANDLER" -> b.writer(StatementKind.HANDLER, CONNECTION_STATE);
            case "KILL" -> b.writer(StatementKind.KILL, SESSION_BOUND); // thread ids are per node
            case "BACKUP" -> t.isWord(next, "LOCK")
                    ? b.writer(StatementKind.ADMIN, DDL)
                    : b.writer(StatementKind.ADMIN, DDL).endsTransaction(); // BACKUP STAGE
            default -> admin(b, first);
        };
    }

    private ClassificationBuilder admin(ClassificationBuilder b, int first) {
        if (ADMIN_COMMITTING.containsWord(t, first)) {
            return b.writer(StatementKind.ADMIN, DDL).endsTransaction();
        }
        if (ADMIN_NOT_COMMITTING.containsWord(t, first)) {
            return b.writer(StatementKind.ADMIN, DDL);
        }
        return b.writer(StatementKind.OTHER, UNRECOGNIZED);
    }

    /** A read: any reader may serve it unless the scan finds something that needs the writer. */
    private ClassificationBuilder read(ClassificationBuilder b, StatementKind kind, int start, int end) {
        ReadScanner scan = ReadScanner.scan(t, start, end);
        b.referencedTables(scan.tables());
        if (scan.nodeDependent()) {
            b.nodeDependent();
        }
        return scan.writerReason() == null ? b.reader(kind, READ) : b.writer(kind, scan.writerReason());
    }

    /** {@code WITH [RECURSIVE] cte AS (...) [, ...] SELECT|INSERT|UPDATE|DELETE|REPLACE ...}. */
    private ClassificationBuilder with(ClassificationBuilder b, int start, int end) {
        int depth = 0;
        for (int i = start + 1; i < end; i++) {
            if (t.isSymbol(i, '(')) {
                depth++;
            } else if (t.isSymbol(i, ')')) {
                depth--;
            } else if (depth == 0 && WITH_BODIES.containsWord(t, i)) {
                return switch (t.upper(i)) {
                    case "INSERT" -> b.writer(StatementKind.INSERT, WRITE);
                    case "UPDATE" -> b.writer(StatementKind.UPDATE, WRITE);
                    case "DELETE" -> b.writer(StatementKind.DELETE, WRITE);
                    case "REPLACE" -> b.writer(StatementKind.REPLACE, WRITE);
                    default -> read(b, StatementKind.SELECT, start, end);
                };
            }
        }
        // WITH cte AS (...) (SELECT ...): the body is parenthesized; MariaDB has no writing CTEs.
        return read(b, StatementKind.SELECT, start, end);
    }

    /**
     * {@code SET STATEMENT var=value [, ...] FOR statement} is the inner statement with
     * per-statement variables (manual, "SET STATEMENT"); {@code SET PASSWORD} and
     * {@code SET DEFAULT ROLE} change accounts; every other SET changes session state.
     */
    private ClassificationBuilder set(ClassificationBuilder b, int setToken, int end) {
        int next = setToken + 1;
        if (t.isWord(next, "STATEMENT")) {
            int depth = 0;
            for (int k = next + 1; k < end; k++) {
                if (t.isSymbol(k, '(')) {
                    depth++;
                } else if (t.isSymbol(k, ')')) {
                    depth--;
                } else if (depth == 0 && t.isWord(k, "FOR") && k + 1 < end) {
                    ClassificationBuilder inner = analyze(k + 1, end);
                    return b.kind(inner.kind()).copyOf(inner);
                }
            }
            return b.writer(StatementKind.OTHER, UNRECOGNIZED);
        }
        if (t.isWord(next, "PASSWORD") || (t.isWord(next, "DEFAULT") && t.isWord(next + 1, "ROLE"))) {
            return SchemaStatements.account(b);
        }
        b.writer(StatementKind.SET, SESSION_STATE);
        SetStatementParser.parse(t, setToken, end, b);
        return b;
    }

    private ClassificationBuilder use(ClassificationBuilder b, int i, int end) {
        if (i + 1 == end && TableNames.isName(t, i)) {
            b.sessionChange(new SessionChange.UseSchema(t.name(i)));
            return b.writer(StatementKind.USE, SESSION_STATE);
        }
        return b.writer(StatementKind.USE, UNRECOGNIZED);
    }

    /**
     * SHOW reads server metadata any reader has, except what describes this connection's
     * previous statement: {@code SHOW WARNINGS}, {@code SHOW ERRORS}, {@code SHOW COUNT(*)
     * WARNINGS}, {@code SHOW PROFILE(S)}.
     */
    private ClassificationBuilder show(ClassificationBuilder b, int i, int end) {
        if (SHOW_PREVIOUS_STATEMENT.containsWord(t, i)) {
            return b.writer(StatementKind.SHOW, SESSION_BOUND);
        }
        if (t.isWord(i, "CREATE") && (t.isWord(i + 1, "TABLE") || t.isWord(i + 1, "SEQUENCE"))) {
            addTableAt(b, i + 2, end); // SHOW CREATE TABLE of a temporary table needs its session
        } else {
            int k = t.isWord(i, "FULL") || t.isWord(i, "EXTENDED") ? i + 1 : i;
            if (t.isWord(k, "FULL")) {
                k++; // SHOW EXTENDED FULL COLUMNS
            }
            if (SHOW_TABLE_TARGETS.containsWord(t, k) && (t.isWord(k + 1, "FROM") || t.isWord(k + 1, "IN"))) {
                // SHOW COLUMNS FROM tbl [FROM db]
                int nameEnd = TableNames.end(t, k + 2, end);
                if (nameEnd > 0) {
                    TableName table = TableNames.at(t, k + 2, nameEnd);
                    if (table.schema() == null && (t.isWord(nameEnd, "FROM") || t.isWord(nameEnd, "IN"))
                            && TableNames.isName(t, nameEnd + 1)) {
                        table = new TableName(t.name(nameEnd + 1), table.name());
                    }
                    b.referencedTable(table);
                }
            }
        }
        return b.reader(StatementKind.SHOW, READ);
    }

    /**
     * {@code EXPLAIN [EXTENDED | PARTITIONS | FORMAT=JSON] statement} shows a plan without
     * running the statement; {@code DESCRIBE tbl} lists columns; {@code EXPLAIN FOR CONNECTION
     * id} looks at a thread of one node.
     */
    private ClassificationBuilder explain(ClassificationBuilder b, int i, int end) {
        int k = i;
        while (k < end) {
            if (EXPLAIN_OPTIONS.containsWord(t, k)) {
                k++;
            } else if (t.isWord(k, "FORMAT") && t.isSymbol(k + 1, '=')) {
                k += 3;
            } else {
                break;
            }
        }
        if (t.isWord(k, "FOR") && t.isWord(k + 1, "CONNECTION")) {
            return b.writer(StatementKind.EXPLAIN, SESSION_BOUND);
        }
        if (EXPLAINABLE.containsWord(t, k) || t.isSymbol(k, '(')) {
            b.referencedTables(ReadScanner.scan(t, k, end).tables());
        } else {
            addTableAt(b, k, end);
        }
        return b.reader(StatementKind.EXPLAIN, READ);
    }

    /**
     * {@code ANALYZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE ...} updates statistics;
     * {@code ANALYZE [FORMAT=JSON] statement} runs the statement, writes included (manual,
     * "ANALYZE Statement"), so it routes as that statement does.
     */
    private ClassificationBuilder analyzeStatement(ClassificationBuilder b, int i, int end) {
        int k = t.isWord(i, "NO_WRITE_TO_BINLOG") || t.isWord(i, "LOCAL") ? i + 1 : i;
        if (t.isWord(k, "TABLE") || t.isWord(k, "TABLES")) {
            return b.writer(StatementKind.ADMIN, DDL).endsTransaction();
        }
        if (t.isWord(k, "FORMAT") && t.isSymbol(k + 1, '=')) {
            k += 3;
        }
        if (k >= end) {
            return b.writer(StatementKind.OTHER, UNRECOGNIZED);
        }
        return b.kind(StatementKind.EXPLAIN).copyOf(analyze(k, end));
    }

    /** DO evaluates expressions only for their side effects (GET_LOCK, SLEEP, sequences...). */
    private ClassificationBuilder doStatement(ClassificationBuilder b, int i, int end) {
        RouteReason reason = ReadScanner.scan(t, i, end).writerReason();
        return b.writer(StatementKind.DO, reason == null ? WRITE : reason);
    }

    private ClassificationBuilder load(ClassificationBuilder b, int i) {
        if (t.isWord(i, "DATA") || t.isWord(i, "XML")) {
            return b.writer(StatementKind.LOAD_DATA, WRITE);
        }
        if (t.isWord(i, "INDEX")) {
            return b.writer(StatementKind.ADMIN, DDL).endsTransaction(); // LOAD INDEX INTO CACHE
        }
        return b.writer(StatementKind.OTHER, UNRECOGNIZED);
    }

    private void addTableAt(ClassificationBuilder b, int i, int end) {
        int nameEnd = TableNames.end(t, i, end);
        if (nameEnd > 0) {
            b.referencedTable(TableNames.at(t, i, nameEnd));
        }
    }
}

package ossidecar.db.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a read ({@code SELECT}, {@code WITH}, {@code VALUES}, the body of {@code DO},
 * an {@code EXPLAIN}ed statement): finds what keeps it on the writer even though it writes
 * nothing, and collects the tables it names.
 *
 * <p>Table references are those after {@code FROM}, {@code JOIN} and the commas of a
 * {@code FROM} list, at each parenthesis depth that holds a {@code SELECT}; so
 * {@code EXTRACT(YEAR FROM d)} names no table while {@code EXISTS (SELECT 1 FROM t)} does.
 * Depths past 63 are not tracked; their tables are missed, which only matters if one is a
 * temporary table.
 */
final class ReadScanner {
    /** Named locks live in one connection of one node (manual, "GET_LOCK"). */
    private static final KeywordSet LOCKING_FUNCTIONS = new KeywordSet(
            "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS", "IS_FREE_LOCK", "IS_USED_LOCK");
    /** Reading a sequence's next value changes it (manual, "Sequences"). */
    private static final KeywordSet SEQUENCE_FUNCTIONS = new KeywordSet("NEXTVAL", "LASTVAL", "SETVAL");
    /** {@code seq.nextval} and {@code seq.currval} in sql_mode=ORACLE. */
    private static final KeywordSet SEQUENCE_PSEUDO_COLUMNS = new KeywordSet("NEXTVAL", "CURRVAL", "LASTVAL");
    /**
     * Answers that belong to this connection or to the node that ran the previous statement:
     * the last insert id, row counts, the connection id, and replication/Galera position waits,
     * whose GTIDs only mean something on the node that produced them.
     */
    private static final KeywordSet SESSION_FUNCTIONS = new KeywordSet(
            "LAST_INSERT_ID", "FOUND_ROWS", "ROW_COUNT", "CONNECTION_ID",
            "MASTER_POS_WAIT", "MASTER_GTID_WAIT",
            "WSREP_LAST_WRITTEN_GTID", "WSREP_LAST_SEEN_GTID", "WSREP_SYNC_WAIT_UPTO_GTID");
    /** System variables whose session value describes this connection's last statement or state. */
    private static final KeywordSet SESSION_VARIABLES = new KeywordSet(
            "IDENTITY", "LAST_INSERT_ID", "INSERT_ID", "LAST_GTID", "WARNING_COUNT", "ERROR_COUNT",
            "IN_TRANSACTION", "PSEUDO_THREAD_ID");
    /**
     * Answers that differ between nodes or between two runs with the same data: the clock,
     * random values, and any {@code @@} variable (several name the node). A transaction that
     * read one on a reader cannot be shown, by running it again on the writer, to have read
     * what the writer would have given.
     */
    private static final KeywordSet VOLATILE_FUNCTIONS = new KeywordSet(
            "NOW", "SYSDATE", "CURDATE", "CURTIME", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
            "LOCALTIME", "LOCALTIMESTAMP", "UNIX_TIMESTAMP", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "RAND",
            "UUID", "UUID_SHORT", "SYS_GUID", "CONNECTION_ID");
    /** The clock without parentheses. */
    private static final KeywordSet VOLATILE_WORDS = new KeywordSet(
            "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP");
    /** Words that end a FROM list at their depth. */
    private static final KeywordSet FROM_LIST_END = new KeywordSet(
            "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "WINDOW", "UNION", "EXCEPT", "INTERSECT",
            "PROCEDURE", "RETURNING");
    /** Words that may follow FROM or JOIN without being a table. */
    private static final KeywordSet NOT_A_TABLE = new KeywordSet("SELECT", "WITH", "VALUES", "DUAL");
    private static final int MAX_TRACKED_DEPTH = 63;

    private final SqlTokens t;
    private RouteReason writerReason;
    private List<TableName> tables;
    private boolean nodeDependent;

    private ReadScanner(SqlTokens tokens) {
        this.t = tokens;
    }

    /** Scans tokens {@code [start, end)}. */
    static ReadScanner scan(SqlTokens tokens, int start, int end) {
        ReadScanner scanner = new ReadScanner(tokens);
        scanner.run(start, end);
        return scanner;
    }

    /** The first construct found that needs the writer, or {@code null} for a plain read. */
    RouteReason writerReason() {
        return writerReason;
    }

    /** Whether the answer may differ between nodes holding the same data: the clock, randomness, {@code @@} variables. */
    boolean nodeDependent() {
        return nodeDependent;
    }

    /** Tables named, in order of appearance, duplicates kept. */
    List<TableName> tables() {
        return tables == null ? List.of() : tables;
    }

    private void run(int start, int end) {
        int depth = 0;
        long selectDepths = 1L; // depth 0 always reads tables: SHOW ... FROM, DELETE FROM
        long fromDepths = 0L;
        boolean expectTable = false;
        for (int i = start; i < end; i++) {
            boolean expecting = expectTable;
            expectTable = false;
            TokenType type = t.type(i);
            if (expecting && type != TokenType.OPERATOR && !NOT_A_TABLE.containsWord(t, i)
                    && !t.isSymbol(i + 1, '(')) {
                int nameEnd = TableNames.end(t, i, end);
                if (nameEnd > 0) {
                    addTable(TableNames.at(t, i, nameEnd));
                    i = nameEnd - 1;
                    continue;
                }
            }
            switch (type) {
                case USER_VARIABLE -> need(RouteReason.USER_VARIABLE);
                case SYSTEM_VARIABLE -> {
                    nodeDependent = true;
                    if (isSessionBoundVariable(i)) {
                        need(RouteReason.SESSION_BOUND);
                    }
                }
                case OPERATOR -> {
                    if (t.isSymbol(i, '(')) {
                        depth++;
                        long bit = bit(depth);
                        selectDepths &= ~bit;
                        fromDepths &= ~bit;
                        if (expecting) {
                            // FROM (t1, t2) or JOIN (t2 JOIN t3): a nested table list.
                            selectDepths |= bit;
                            fromDepths |= bit;
                            expectTable = true;
                        }
                    } else if (t.isSymbol(i, ')')) {
                        if (depth > 0) {
                            long bit = bit(depth);
                            selectDepths &= ~bit;
                            fromDepths &= ~bit;
                            depth--;
                        }
                    } else if (t.isSymbol(i, ',')) {
                        expectTable = (fromDepths & bit(depth)) != 0;
                    } else if (t.isSymbol(i, ":=")) {
                        need(RouteReason.USER_VARIABLE);
                    }
                }
                case WORD -> {
                    long bit = bit(depth);
                    if (t.isWord(i, "SELECT")) {
                        selectDepths |= bit;
                        fromDepths &= ~bit;
                    } else if (t.isWord(i, "FROM")) {
                        if ((selectDepths & bit) != 0) {
                            fromDepths |= bit;
                            expectTable = true;
                        }
                    } else if (t.isWord(i, "JOIN") || t.isWord(i, "STRAIGHT_JOIN")) {
                        expectTable = (fromDepths & bit) != 0;
                    } else if (t.isWord(i, "FOR")) {
                        // FOR UPDATE / FOR SHARE [NOWAIT | SKIP LOCKED | WAIT n]; not FOR SYSTEM_TIME.
                        if (t.isWord(i + 1, "UPDATE") || t.isWord(i + 1, "SHARE")) {
                            need(RouteReason.LOCKING_READ);
                            fromDepths &= ~bit;
                        }
                    } else if (t.isWord(i, "LOCK")) {
                        if (t.isWord(i + 1, "IN")) { // LOCK IN SHARE MODE
                            need(RouteReason.LOCKING_READ);
                        }
                        fromDepths &= ~bit;
                    } else if (t.isWord(i, "INTO")) {
                        need(RouteReason.SELECT_INTO); // INTO OUTFILE | DUMPFILE | @var
                        fromDepths &= ~bit;
                    } else if (FROM_LIST_END.containsWord(t, i)) {
                        fromDepths &= ~bit;
                    } else if (t.isWord(i, "SQL_CALC_FOUND_ROWS")) {
                        need(RouteReason.SESSION_BOUND); // the FOUND_ROWS() that follows must run on the same connection
                    } else if ((t.isWord(i, "NEXT") || t.isWord(i, "PREVIOUS"))
                            && t.isWord(i + 1, "VALUE") && t.isWord(i + 2, "FOR")) {
                        need(RouteReason.SEQUENCE);
                    } else if (t.isSymbol(i + 1, '(')) {
                        function(i);
                    } else if (VOLATILE_WORDS.containsWord(t, i)) {
                        nodeDependent = true;
                    } else if (t.isSymbol(i - 1, '.') && SEQUENCE_PSEUDO_COLUMNS.containsWord(t, i)) {
                        need(RouteReason.SEQUENCE);
                    }
                }
                default -> {
                    // strings, numbers, placeholders: nothing to learn
                }
            }
        }
    }

    private void function(int i) {
        if (VOLATILE_FUNCTIONS.containsWord(t, i)) {
            nodeDependent = true;
        }
        if (LOCKING_FUNCTIONS.containsWord(t, i)) {
            need(RouteReason.LOCKING_FUNCTION);
        } else if (SEQUENCE_FUNCTIONS.containsWord(t, i)) {
            need(RouteReason.SEQUENCE);
        } else if (SESSION_FUNCTIONS.containsWord(t, i)) {
            need(RouteReason.SESSION_BOUND);
        }
    }

    /** {@code @@name}, {@code @@session.name}, {@code @@local.name} naming a session-bound variable. */
    private boolean isSessionBoundVariable(int i) {
        String source = t.source();
        int start = t.start(i) + 2;
        int end = t.end(i);
        int dot = source.indexOf('.', start);
        if (dot >= 0 && dot < end) {
            if (!SqlTokens.equalsUpper(source, start, dot, "SESSION")
                    && !SqlTokens.equalsUpper(source, start, dot, "LOCAL")) {
                return false; // @@global.x has no per-connection value
            }
            start = dot + 1;
        }
        return SESSION_VARIABLES.contains(source, start, end);
    }

    private void need(RouteReason reason) {
        if (writerReason == null) {
            writerReason = reason;
        }
    }

    private void addTable(TableName table) {
        if (tables == null) {
            tables = new ArrayList<>(4);
        }
        tables.add(table);
    }

    private static long bit(int depth) {
        return depth > MAX_TRACKED_DEPTH ? 0L : 1L << depth;
    }
}

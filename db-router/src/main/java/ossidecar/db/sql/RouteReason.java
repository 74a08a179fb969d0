package ossidecar.db.sql;

/** Why the classifier chose a {@link Route}: for tests, debug logs and metrics. */
public enum RouteReason {
    /** A read that any up-to-date node answers the same way. */
    READ,
    /** {@code START TRANSACTION READ ONLY}: the whole transaction may run on a reader. */
    READ_ONLY_TRANSACTION,
    /** Changes data: DML, {@code LOAD DATA}, {@code CALL}, {@code DO}. */
    WRITE,
    /** Changes schema, accounts or server state; most of these commit implicitly. */
    DDL,
    /** Creates or drops a temporary table, which exists only in the writer's session. */
    TEMPORARY_TABLE,
    /** {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, savepoints, {@code XA}. */
    TRANSACTION_CONTROL,
    /** {@code SET} and {@code USE}: applied on the writer, replayed elsewhere by the router. */
    SESSION_STATE,
    /** {@code FOR UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE}: row locks on the writer. */
    LOCKING_READ,
    /** {@code SELECT ... INTO OUTFILE|DUMPFILE|@var}. */
    SELECT_INTO,
    /** Reads or assigns a user variable, whose value lives in the writer's session. */
    USER_VARIABLE,
    /** {@code GET_LOCK} and friends: named locks belong to one connection on one node. */
    LOCKING_FUNCTION,
    /** {@code NEXTVAL}, {@code LASTVAL}, {@code SETVAL}, {@code NEXT VALUE FOR}: sequences are writes. */
    SEQUENCE,
    /**
     * The answer depends on this connection or on the node that ran the previous statement:
     * {@code LAST_INSERT_ID()}, {@code FOUND_ROWS()}, {@code SHOW WARNINGS}, GTID waits...
     */
    SESSION_BOUND,
    /** {@code LOCK TABLES}, SQL-level {@code PREPARE}/{@code EXECUTE}, {@code HANDLER}: state held by the connection. */
    CONNECTION_STATE,
    /** More than one statement in one text. */
    MULTI_STATEMENT,
    /** Unterminated string, identifier or comment. */
    MALFORMED,
    /** Not a statement the classifier knows, or nothing but comments. */
    UNRECOGNIZED
}

package ossidecar.db.sql;

/** What a statement is, by its leading keywords (MariaDB manual, "SQL Statements"). */
public enum StatementKind {
    /** {@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, parenthesized selects. */
    SELECT,
    INSERT,
    UPDATE,
    DELETE,
    REPLACE,
    /** {@code CREATE}, {@code ALTER}, {@code DROP}, {@code TRUNCATE}, {@code RENAME TABLE}. */
    DDL,
    /** {@code CREATE/ALTER/DROP/RENAME USER}, roles, {@code GRANT}, {@code REVOKE}, {@code SET PASSWORD}. */
    ACCOUNT,
    /** {@code BEGIN [WORK]}, {@code START TRANSACTION [...]}. */
    BEGIN,
    COMMIT,
    ROLLBACK,
    /** {@code ROLLBACK [WORK] TO [SAVEPOINT] name}: keeps the transaction open. */
    ROLLBACK_TO_SAVEPOINT,
    SAVEPOINT,
    RELEASE_SAVEPOINT,
    SET,
    USE,
    SHOW,
    /** {@code EXPLAIN}, {@code DESCRIBE}, {@code DESC}, and {@code ANALYZE <statement>}. */
    EXPLAIN,
    CALL,
    DO,
    LOCK_TABLES,
    UNLOCK_TABLES,
    XA,
    /** SQL-level {@code PREPARE name FROM ...}. */
    PREPARE,
    /** SQL-level {@code EXECUTE name} and {@code EXECUTE IMMEDIATE}. */
    EXECUTE,
    /** {@code DEALLOCATE PREPARE name}, {@code DROP PREPARE name}. */
    DEALLOCATE,
    /** {@code LOAD DATA}, {@code LOAD XML}. */
    LOAD_DATA,
    HANDLER,
    /** {@code ANALYZE TABLE}, {@code CHECK}, {@code OPTIMIZE}, {@code REPAIR}, {@code FLUSH}, {@code RESET}, replication control... */
    ADMIN,
    KILL,
    /** A statement the classifier does not know, including compound statements ({@code BEGIN NOT ATOMIC}). */
    OTHER,
    /** Only comments, whitespace or empty statements. */
    EMPTY
}

package ossidecar.db.sql;

/** Where a statement may run when no transaction is open. */
public enum Route {
    /** Only the writer may run it. */
    WRITER,
    /** A reader may serve it; so may the writer. */
    ANY_READER
}

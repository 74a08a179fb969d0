package ossidecar.core.config;

/** What a DB router listener does with the statements it receives. */
public enum DbRole {
    /** Every statement goes to the one agreed writer. */
    WRITER,
    /** Reads for oslo.db's slave_connection, spread over healthy readers. */
    READER,
    /** Reads to readers, a transaction moves to the writer at its first write. */
    SPLIT
}

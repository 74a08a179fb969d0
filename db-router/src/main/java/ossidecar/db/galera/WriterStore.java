package ossidecar.db.galera;

import java.sql.SQLException;

/**
 * The shared record of the agreed writer; {@code via} names the configured node whose
 * connection runs the statement. {@link WriterTable} is the real one.
 */
interface WriterStore {

    /** The row as {@code via} sees it, null when there is none; creates the table when missing. */
    WriterRow read(String via) throws SQLException;

    /** Makes {@code via} the first writer (epoch 1) unless a row exists already. */
    void initialize(String via) throws SQLException;

    /**
     * Makes {@code via} the writer, epoch + 1, if the epoch is still {@code expectedEpoch}.
     * True when this call made the change; false when the epoch had moved on.
     */
    boolean compareAndSet(String via, long expectedEpoch) throws SQLException;
}

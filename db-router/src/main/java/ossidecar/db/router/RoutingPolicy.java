package ossidecar.db.router;

import ossidecar.core.config.DbRole;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.sql.Classification;
import ossidecar.db.sql.RouteHint;
import ossidecar.db.sql.RouteReason;
import ossidecar.db.sql.StatementKind;

/**
 * Where a session's next command runs: a pure function of the listener's role, the command
 * and its classification, and where the session stands. No sockets, no clock: every case is a
 * unit test.
 *
 * <p>A transaction never spans two nodes. A transaction on a reader that reaches a statement
 * only the writer may run is <em>moved</em>: the session runs the transaction's statements so
 * far again on the writer and compares their results (see {@link TransactionReplay}).
 */
final class RoutingPolicy {

    private RoutingPolicy() {
    }

    /** Where the session's open transaction runs, if one is open. */
    enum Place {
        /** No transaction open. */
        NONE,
        /** On a reader, reads only so far: moves to the writer at its first write. */
        READER,
        /** {@code START TRANSACTION READ ONLY} on a reader: all of it stays there. */
        READER_READ_ONLY,
        /** On the writer (or a transaction of the {@code writer} role). */
        WRITER
    }

    /**
     * What the policy needs to know about the session.
     *
     * @param place             where its open transaction runs
     * @param autocommit        session autocommit (off: every statement opens a transaction, as PyMySQL does)
     * @param pinnedToWriter    it holds state only its writer connection has: a temporary table,
     *                          LOCK TABLES, a named lock, a user variable, SQL-level prepared statements
     * @param longData          COM_STMT_SEND_LONG_DATA went to the writer for the next execute
     * @param replayBudgetLeft  its reader transaction may still grow (statements and result bytes under the bound)
     * @param readsOnWriter     read-your-writes keeps its reads on the writer for now
     * @param writesFollowReads its last transactions that began on a reader all moved to the writer:
     *                          its next ones begin there (a read-then-write pattern, where starting
     *                          on a reader only doubles the reads)
     */
    record Session(Place place, boolean autocommit, boolean pinnedToWriter, boolean longData,
                   boolean replayBudgetLeft, boolean readsOnWriter, boolean writesFollowReads) {

        Session(Place place, boolean autocommit, boolean pinnedToWriter, boolean longData, boolean replayBudgetLeft,
                boolean readsOnWriter) {
            this(place, autocommit, pinnedToWriter, longData, replayBudgetLeft, readsOnWriter, false);
        }

        static Session idle(boolean autocommit) {
            return new Session(Place.NONE, autocommit, false, false, true, false, false);
        }
    }

    /** The decision. */
    enum Target {
        /** Runs on the writer. */
        WRITER,
        /** Runs on a reader (the session's reader while its transaction is there, else a chosen one). */
        READER,
        /** Runs where the session is (its reader transaction's node), else on the writer. */
        CURRENT,
        /** Ends the transaction's reader side, replays it on the writer, then runs there. */
        MOVE_TO_WRITER
    }

    /** Why: for debug logs and the split metrics. */
    enum Why {
        WRITER_ROLE, IN_WRITE_TRANSACTION, PINNED, LONG_DATA, HINT_WRITER, HINT_READER, READ, READ_ONLY_TRANSACTION,
        OPTIMISTIC, FIRST_WRITE, REPLAY_BUDGET, NODE_DEPENDENT, WRITES_FOLLOW_READS, READ_YOUR_WRITES, WRITE, SESSION_STATE, TRANSACTION_END, OTHER_COMMAND
    }

    record Decision(Target target, Why why) {
    }

    /** Every statement of a {@code writer} listener. */
    static final Decision WRITER_ROLE = new Decision(Target.WRITER, Why.WRITER_ROLE);

    /**
     * The decision for a COM_QUERY with classification {@code c}.
     */
    static Decision query(DbRole role, Classification c, Session s) {
        if (role == DbRole.WRITER) {
            return WRITER_ROLE;
        }
        switch (s.place()) {
            case WRITER -> {
                return new Decision(Target.WRITER, Why.IN_WRITE_TRANSACTION);
            }
            case READER_READ_ONLY -> {
                // a write there gets the server's own "read only transaction" error: the client asked for that
                return new Decision(Target.CURRENT, Why.READ_ONLY_TRANSACTION);
            }
            default -> {
            }
        }
        boolean onReader = s.place() == Place.READER;
        if (s.pinnedToWriter()) {
            return away(onReader, Why.PINNED);
        }
        if (c.hint() == RouteHint.WRITER) {
            return away(onReader, Why.HINT_WRITER);
        }
        if (c.kind() == StatementKind.COMMIT || c.kind() == StatementKind.ROLLBACK) {
            return new Decision(Target.CURRENT, Why.TRANSACTION_END);
        }
        if (c.reason() == RouteReason.SESSION_STATE) {
            // SET and USE run where the session is, and are replayed wherever it goes next
            // (SET autocommit=1 commits a transaction where it is, too)
            return new Decision(Target.CURRENT, Why.SESSION_STATE);
        }
        switch (c.kind()) {
            case SAVEPOINT, RELEASE_SAVEPOINT, ROLLBACK_TO_SAVEPOINT -> {
                // they belong to the transaction, wherever it runs
                return new Decision(Target.CURRENT, Why.TRANSACTION_END);
            }
            default -> {
            }
        }
        if (c.readOnlyTransaction()) {
            return onReader ? new Decision(Target.CURRENT, Why.READ_ONLY_TRANSACTION)
                    : new Decision(Target.READER, Why.READ_ONLY_TRANSACTION);
        }
        if (c.kind() == StatementKind.BEGIN && c.reason() == RouteReason.TRANSACTION_CONTROL && !onReader) {
            // BEGIN ... its reads run on a reader until the first write moves it
            return s.readsOnWriter() ? new Decision(Target.WRITER, Why.READ_YOUR_WRITES)
                    : s.writesFollowReads() ? new Decision(Target.WRITER, Why.WRITES_FOLLOW_READS)
                    : new Decision(Target.READER, Why.OPTIMISTIC);
        }
        boolean read = c.readerEligible() || (c.hint() == RouteHint.READER && hintMayRead(c));
        if (!read) {
            return away(onReader, onReader ? Why.FIRST_WRITE : Why.WRITE);
        }
        if (onReader) {
            if (c.nodeDependent() && c.hint() != RouteHint.READER) {
                // NOW(), RAND(), @@hostname: another answer on the writer would not mean the data changed
                return new Decision(Target.MOVE_TO_WRITER, Why.NODE_DEPENDENT);
            }
            return s.replayBudgetLeft() ? new Decision(Target.CURRENT, Why.READ)
                    : new Decision(Target.MOVE_TO_WRITER, Why.REPLAY_BUDGET);
        }
        if (s.readsOnWriter()) {
            return new Decision(Target.WRITER, Why.READ_YOUR_WRITES);
        }
        if (!s.autocommit() && c.nodeDependent() && c.hint() != RouteHint.READER) {
            // it would open a transaction on a reader that could never move clean
            return new Decision(Target.WRITER, Why.NODE_DEPENDENT);
        }
        if (!s.autocommit() && s.writesFollowReads() && c.hint() != RouteHint.READER) {
            return new Decision(Target.WRITER, Why.WRITES_FOLLOW_READS);
        }
        Why why = c.hint() == RouteHint.READER && !c.readerEligible() ? Why.HINT_READER
                : s.autocommit() ? Why.READ : Why.OPTIMISTIC;
        return new Decision(Target.READER, why);
    }

    /**
     * The decision for a COM_STMT_EXECUTE of a statement classified {@code c} at its prepare (null
     * when the router does not know the id: it runs where the session is, and the backend answers).
     * The same rules as for the statement's text, except after COM_STMT_SEND_LONG_DATA, which went
     * to the writer with the value this execute binds.
     */
    static Decision execute(DbRole role, Classification c, Session s) {
        if (role == DbRole.WRITER) {
            return WRITER_ROLE;
        }
        if (s.longData() && s.place() != Place.READER_READ_ONLY) {
            return away(s.place() == Place.READER, Why.LONG_DATA);
        }
        return c == null ? new Decision(Target.CURRENT, Why.OTHER_COMMAND) : query(role, c, s);
    }

    /**
     * The decision for a command other than COM_QUERY and COM_STMT_EXECUTE: a prepare runs where
     * the session is (each node the session uses gets its statements prepared); long data goes
     * to the writer, as blobs go with writes; the rest (COM_INIT_DB, COM_FIELD_LIST, fetch,
     * reset, close...) runs where the session is.
     */
    static Decision command(DbRole role, CommandType command, Session s) {
        if (role == DbRole.WRITER) {
            return WRITER_ROLE;
        }
        if (s.place() == Place.WRITER) {
            return new Decision(Target.WRITER, Why.IN_WRITE_TRANSACTION);
        }
        if (command == CommandType.COM_STMT_SEND_LONG_DATA && s.place() != Place.READER_READ_ONLY) {
            return away(s.place() == Place.READER, Why.LONG_DATA);
        }
        return new Decision(Target.CURRENT, Why.OTHER_COMMAND);
    }

    /** To the writer: a move if the session's transaction is on a reader. */
    private static Decision away(boolean onReader, Why why) {
        return new Decision(onReader ? Target.MOVE_TO_WRITER : Target.WRITER, why);
    }

    /**
     * A {@code sidecar:route=reader} hint sends a read the classifier kept on the writer (a
     * session-bound function, say) to a reader; it never sends a write, a lock, or state the
     * writer's connection holds there.
     */
    private static boolean hintMayRead(Classification c) {
        return switch (c.reason()) {
            case READ, SESSION_BOUND, UNRECOGNIZED -> switch (c.kind()) {
                case SELECT, SHOW, EXPLAIN -> !c.multiStatement();
                default -> false;
            };
            default -> false;
        };
    }
}

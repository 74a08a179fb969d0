package ossidecar.db.router;

import ossidecar.db.protocol.CommandType;
import ossidecar.db.sql.StatementKind;

/**
 * What a session does when its backend connection is lost (the node died, the socket broke) or
 * its node stopped being the writer: one policy for every such event, without sockets.
 *
 * <p>oslo.db retries a transaction that fails with 1213 (deadlock) and treats connection errors
 * as fatal for the request, so the answers are shaped for it: an idle session outside a
 * transaction never notices; a transaction that lost its node gets 1213 at its next statement;
 * a statement cut in flight is retried when that is safe, answered 1213 when its transaction
 * is gone anyway, and the connection is closed when the outcome is unknown (a COMMIT or an
 * autocommit write that may or may not have committed) or a result was half sent.
 */
final class LostBackend {
    private LostBackend() {
    }

    enum Action {
        /** Idle, no transaction: the next statement runs on the writer after the session state is replayed. */
        RECONNECT,
        /** Idle inside a transaction: the next statement is answered 1213, then the session goes on. */
        CUT_NEXT,
        /** The statement in flight had no effect that matters: send it again on the writer. */
        RETRY,
        /** The statement in flight belonged to a transaction that is gone: answer it 1213. */
        ANSWER_DEADLOCK,
        /** A ROLLBACK in flight: what it discards is gone anyway, so it succeeded. */
        ANSWER_OK,
        /** A COMMIT in flight whose transaction wrote a commit marker: ask the new writer, answer OK or 1213. */
        RESOLVE_COMMIT,
        /** A COMMIT or an autocommit write in flight: it may have committed. Close, never guess. */
        CLOSE_UNKNOWN_OUTCOME,
        /** Part of the result already reached the client: nothing can be answered cleanly. Close. */
        CLOSE_MID_RESULT
    }

    /**
     * @param inCommand       a command was sent to the lost backend and not fully answered
     * @param responseStarted some of its response already went to the client
     * @param inTransaction   the server said (status flags) a transaction was open before the command
     * @param autocommit      the session's autocommit
     * @param command         the command in flight (null when idle)
     * @param kind            the statement kind of a COM_QUERY in flight (null otherwise)
     * @param alreadyRetried  this command was already sent again once
     * @param markerWritten   the transaction of a COMMIT in flight wrote a commit marker first
     * @param notExecuted     the node refused the command before running it (1047: it left the cluster)
     * @param onReader        the lost connection was a reader's: nothing the session ran there wrote
     */
    record Situation(boolean inCommand, boolean responseStarted, boolean inTransaction, boolean autocommit,
                     CommandType command, StatementKind kind, boolean alreadyRetried, boolean markerWritten,
                     boolean notExecuted, boolean onReader) {
        Situation(boolean inCommand, boolean responseStarted, boolean inTransaction, boolean autocommit,
                  CommandType command, StatementKind kind, boolean alreadyRetried) {
            this(inCommand, responseStarted, inTransaction, autocommit, command, kind, alreadyRetried, false, false,
                    false);
        }

        Situation(boolean inCommand, boolean responseStarted, boolean inTransaction, boolean autocommit,
                  CommandType command, StatementKind kind, boolean alreadyRetried, boolean markerWritten,
                  boolean notExecuted) {
            this(inCommand, responseStarted, inTransaction, autocommit, command, kind, alreadyRetried, markerWritten,
                    notExecuted, false);
        }

        static Situation idle(boolean inTransaction, boolean autocommit) {
            return new Situation(false, false, inTransaction, autocommit, null, null, false, false, false, false);
        }
    }

    static Action decide(Situation s) {
        if (!s.inCommand()) {
            return s.inTransaction() ? Action.CUT_NEXT : Action.RECONNECT;
        }
        if (s.responseStarted()) {
            return Action.CLOSE_MID_RESULT;
        }
        if (s.kind() == StatementKind.ROLLBACK) {
            return Action.ANSWER_OK;
        }
        if (s.onReader()) {
            // no write runs on a reader: a COMMIT there had nothing to commit, nothing else can have committed
            if (s.kind() == StatementKind.COMMIT) {
                return Action.ANSWER_OK;
            }
            return !s.inTransaction() && harmless(s) && !s.alreadyRetried() ? Action.RETRY : Action.ANSWER_DEADLOCK;
        }
        if (s.notExecuted()) {
            // it never ran: outside a transaction it may simply run again; inside, the transaction is gone
            return !s.inTransaction() && harmless(s) && !s.alreadyRetried() ? Action.RETRY : Action.ANSWER_DEADLOCK;
        }
        if (s.kind() == StatementKind.COMMIT) { // also a prepared COMMIT (COM_STMT_EXECUTE)
            if (!s.inTransaction()) {
                return Action.ANSWER_OK; // nothing to commit
            }
            return s.markerWritten() ? Action.RESOLVE_COMMIT : Action.CLOSE_UNKNOWN_OUTCOME;
        }
        if (s.inTransaction()) {
            return Action.ANSWER_DEADLOCK;
        }
        if (harmless(s) && !s.alreadyRetried()) {
            return Action.RETRY;
        }
        if (s.autocommit()) {
            // a write outside a transaction commits on its own: it may have
            return Action.CLOSE_UNKNOWN_OUTCOME;
        }
        // autocommit off: the statement opened a transaction that died uncommitted
        return Action.ANSWER_DEADLOCK;
    }

    /** Statements and commands that change no data: sending them again is safe. */
    private static boolean harmless(Situation s) {
        if (s.command() == null) {
            return false;
        }
        return switch (s.command()) {
            case COM_INIT_DB, COM_FIELD_LIST, COM_STATISTICS, COM_PING, COM_STMT_PREPARE -> true;
            case COM_QUERY, COM_STMT_EXECUTE -> s.kind() != null && switch (s.kind()) {
                case SELECT, SHOW, EXPLAIN, SET, USE, BEGIN -> true;
                default -> false;
            };
            default -> false;
        };
    }
}

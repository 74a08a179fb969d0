package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.router.LostBackend.Action;
import ossidecar.db.router.LostBackend.Situation;
import ossidecar.db.sql.StatementKind;

class LostBackendTest {
    private static Action inFlight(boolean inTx, boolean autocommit, CommandType command, StatementKind kind) {
        return LostBackend.decide(new Situation(true, false, inTx, autocommit, command, kind, false));
    }

    @Test
    void anIdleSessionOutsideATransactionJustReconnects() {
        assertEquals(Action.RECONNECT, LostBackend.decide(Situation.idle(false, true)));
        assertEquals(Action.RECONNECT, LostBackend.decide(Situation.idle(false, false)), "autocommit off, nothing open");
    }

    @Test
    void anIdleTransactionIsCutAtItsNextStatement() {
        assertEquals(Action.CUT_NEXT, LostBackend.decide(Situation.idle(true, false)));
    }

    @Test
    void aReadOutsideATransactionIsRetriedOnce() {
        assertEquals(Action.RETRY, inFlight(false, true, CommandType.COM_QUERY, StatementKind.SELECT));
        assertEquals(Action.RETRY, inFlight(false, false, CommandType.COM_QUERY, StatementKind.SET));
        assertEquals(Action.RETRY, inFlight(false, true, CommandType.COM_INIT_DB, null));
        assertEquals(Action.CLOSE_UNKNOWN_OUTCOME, LostBackend.decide(new Situation(true, false, false, true,
                CommandType.COM_QUERY, StatementKind.SELECT, true)), "a second loss of the same autocommit read");
    }

    @Test
    void aStatementOfATransactionIsAnswered1213() {
        assertEquals(Action.ANSWER_DEADLOCK, inFlight(true, false, CommandType.COM_QUERY, StatementKind.UPDATE));
        assertEquals(Action.ANSWER_DEADLOCK, inFlight(true, false, CommandType.COM_QUERY, StatementKind.SELECT),
                "even a read: the transaction's snapshot and locks are gone");
        assertEquals(Action.ANSWER_DEADLOCK, inFlight(true, true, CommandType.COM_STMT_EXECUTE, null));
    }

    @Test
    void aWriteThatOpensATransactionWithAutocommitOffNeverCommittedAlone() {
        assertEquals(Action.ANSWER_DEADLOCK, inFlight(false, false, CommandType.COM_QUERY, StatementKind.INSERT));
    }

    @Test
    void aCommitOrAnAutocommitWriteInFlightHasAnUnknownOutcome() {
        assertEquals(Action.CLOSE_UNKNOWN_OUTCOME, inFlight(true, false, CommandType.COM_QUERY, StatementKind.COMMIT));
        assertEquals(Action.CLOSE_UNKNOWN_OUTCOME, inFlight(false, true, CommandType.COM_QUERY, StatementKind.INSERT));
        assertEquals(Action.CLOSE_UNKNOWN_OUTCOME, inFlight(false, true, CommandType.COM_STMT_EXECUTE, null),
                "a prepared statement could be a write");
    }

    @Test
    void aCommitWhoseTransactionWroteAMarkerIsResolved() {
        assertEquals(Action.RESOLVE_COMMIT, LostBackend.decide(new Situation(true, false, true, false,
                CommandType.COM_QUERY, StatementKind.COMMIT, false, true, false)));
    }

    @Test
    void aStatementTheNodeRefusedUnrunIsRetriedOutsideATransactionAndCutInside() {
        assertEquals(Action.RETRY, LostBackend.decide(new Situation(true, false, false, true,
                CommandType.COM_QUERY, StatementKind.SELECT, false, false, true)));
        assertEquals(Action.ANSWER_DEADLOCK, LostBackend.decide(new Situation(true, false, false, true,
                CommandType.COM_QUERY, StatementKind.INSERT, false, false, true)),
                "an autocommit write that never ran: 1213 says it is safe to run again, not an unknown outcome");
        assertEquals(Action.ANSWER_DEADLOCK, LostBackend.decide(new Situation(true, false, true, false,
                CommandType.COM_QUERY, StatementKind.COMMIT, false, true, true)), "a refused COMMIT did not commit");
        assertEquals(Action.ANSWER_OK, LostBackend.decide(new Situation(true, false, true, false,
                CommandType.COM_QUERY, StatementKind.ROLLBACK, false, false, true)));
    }

    @Test
    void aPreparedCommitIsACommit() {
        assertEquals(Action.RESOLVE_COMMIT, LostBackend.decide(new Situation(true, false, true, false,
                CommandType.COM_STMT_EXECUTE, StatementKind.COMMIT, false, true, false)));
        assertEquals(Action.CLOSE_UNKNOWN_OUTCOME, LostBackend.decide(new Situation(true, false, true, false,
                CommandType.COM_STMT_EXECUTE, StatementKind.COMMIT, false, false, false)),
                "without a marker a prepared COMMIT in flight is never answered 1213");
    }

    @Test
    void aCommitWithNothingOpenAndARollbackAreAnsweredOk() {
        assertEquals(Action.ANSWER_OK, inFlight(false, false, CommandType.COM_QUERY, StatementKind.COMMIT));
        assertEquals(Action.ANSWER_OK, inFlight(true, false, CommandType.COM_QUERY, StatementKind.ROLLBACK));
    }

    @Test
    void oncePartOfAResultWentOutTheConnectionCloses() {
        assertEquals(Action.CLOSE_MID_RESULT, LostBackend.decide(new Situation(true, true, false, true,
                CommandType.COM_QUERY, StatementKind.SELECT, false)));
    }

    @Test
    void theDeadlockMessageStartsAsOsloDbMatchesIt() {
        String m = ClientSession.deadlockMessage("the connection to Galera node galera-1 was lost");
        assertEquals(true, m.startsWith("Deadlock found when trying to get lock; try restarting transaction"), m);
    }

    @Test
    void aLostReaderNeverLeavesAnUnknownOutcome() {
        // a prepared BEGIN in flight on a reader (sysbench's): sent again elsewhere
        assertEquals(LostBackend.Action.RETRY, LostBackend.decide(new LostBackend.Situation(true, false, false, true,
                CommandType.COM_STMT_EXECUTE, StatementKind.BEGIN, false, false, false, true)));
        assertEquals(LostBackend.Action.RETRY, LostBackend.decide(new LostBackend.Situation(true, false, false, true,
                CommandType.COM_STMT_EXECUTE, StatementKind.SELECT, false, false, false, true)));
        // a read-only transaction's COMMIT had nothing to commit
        assertEquals(LostBackend.Action.ANSWER_OK, LostBackend.decide(new LostBackend.Situation(true, false, true, true,
                CommandType.COM_QUERY, StatementKind.COMMIT, false, false, false, true)));
        assertEquals(LostBackend.Action.ANSWER_DEADLOCK, LostBackend.decide(new LostBackend.Situation(true, false,
                true, false, CommandType.COM_QUERY, StatementKind.SELECT, false, false, false, true)));
        // on the writer the same prepared BEGIN... changes nothing either
        assertEquals(LostBackend.Action.RETRY, LostBackend.decide(new LostBackend.Situation(true, false, false, true,
                CommandType.COM_STMT_EXECUTE, StatementKind.BEGIN, false)));
        // but a prepared write outside a transaction may have committed
        assertEquals(LostBackend.Action.CLOSE_UNKNOWN_OUTCOME, LostBackend.decide(new LostBackend.Situation(true,
                false, false, true, CommandType.COM_STMT_EXECUTE, StatementKind.UPDATE, false)));
    }
}

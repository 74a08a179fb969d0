package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ossidecar.core.config.DbRole;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.router.RoutingPolicy.Decision;
import ossidecar.db.router.RoutingPolicy.Place;
import ossidecar.db.router.RoutingPolicy.Session;
import ossidecar.db.router.RoutingPolicy.Target;
import ossidecar.db.router.RoutingPolicy.Why;
import ossidecar.db.sql.StatementClassifier;

class RoutingPolicyTest {
    private static final StatementClassifier CLASSIFIER = new StatementClassifier();
    private static final Session AUTOCOMMIT = Session.idle(true);
    private static final Session PYMYSQL = Session.idle(false);
    private static final Session ON_READER = new Session(Place.READER, false, false, false, true, false);
    private static final Session ON_WRITER = new Session(Place.WRITER, false, false, false, true, false);
    private static final Session READ_ONLY = new Session(Place.READER_READ_ONLY, true, false, false, true, false);

    private static Decision split(String sql, Session s) {
        return RoutingPolicy.query(DbRole.SPLIT, CLASSIFIER.classify(sql), s);
    }

    private static Target target(String sql, Session s) {
        return split(sql, s).target();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "SELECT * FROM t WHERE id = 1", "INSERT INTO t VALUES (1)",
        "SELECT * FROM t FOR UPDATE", "BEGIN", "START TRANSACTION READ ONLY", "SET NAMES utf8mb4", "COMMIT"})
    void theWriterRoleSendsEverythingToTheWriter(String sql) {
        for (Session s : new Session[] {AUTOCOMMIT, PYMYSQL, ON_WRITER}) {
            assertEquals(new Decision(Target.WRITER, Why.WRITER_ROLE),
                    RoutingPolicy.query(DbRole.WRITER, CLASSIFIER.classify(sql), s), sql);
        }
    }

    @Test
    void plainReadsInAutocommitGoToAReaderAndWritesToTheWriter() {
        assertEquals(new Decision(Target.READER, Why.READ), split("SELECT * FROM instances WHERE id = 7", AUTOCOMMIT));
        assertEquals(new Decision(Target.READER, Why.READ), split("SHOW TABLES", AUTOCOMMIT));
        assertEquals(new Decision(Target.WRITER, Why.WRITE), split("UPDATE instances SET x = 1", AUTOCOMMIT));
        assertEquals(Target.WRITER, target("INSERT INTO t VALUES (1)", AUTOCOMMIT));
        assertEquals(Target.WRITER, target("DELETE FROM t", AUTOCOMMIT));
        assertEquals(Target.WRITER, target("CREATE TABLE t (id INT)", AUTOCOMMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t FOR UPDATE", "SELECT * FROM t LOCK IN SHARE MODE",
        "SELECT LAST_INSERT_ID()", "SELECT GET_LOCK('a', 1)", "SELECT @x", "SELECT FOUND_ROWS()",
        "SELECT 1; SELECT 2", "SELECT NEXTVAL(s)", "SELECT * FROM t INTO OUTFILE '/tmp/x'"})
    void lockingAndSessionBoundReadsGoToTheWriter(String sql) {
        assertEquals(Target.WRITER, target(sql, AUTOCOMMIT), sql);
    }

    @Test
    void pymysqlsImplicitTransactionStartsOnAReaderAndMovesAtItsFirstWrite() {
        assertEquals(new Decision(Target.READER, Why.OPTIMISTIC), split("SELECT * FROM t WHERE id = 1", PYMYSQL));
        assertEquals(new Decision(Target.CURRENT, Why.READ), split("SELECT * FROM u", ON_READER));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.FIRST_WRITE), split("UPDATE t SET v = 2", ON_READER));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.FIRST_WRITE), split("SELECT * FROM t FOR UPDATE",
                ON_READER));
        assertEquals(new Decision(Target.WRITER, Why.IN_WRITE_TRANSACTION), split("SELECT * FROM t", ON_WRITER));
    }

    @Test
    void aTransactionNeverSpansTwoNodes() {
        // once on the writer, every statement stays there, reads included; on a reader, reads stay there
        for (String sql : new String[] {"SELECT 1", "SHOW TABLES", "SAVEPOINT a", "SET NAMES utf8", "COMMIT"}) {
            assertEquals(Target.WRITER, target(sql, ON_WRITER), sql);
            assertEquals(Target.CURRENT, target(sql, ON_READER), sql);
        }
    }

    @Test
    void beginStartsOnAReaderUnlessReadsAreKeptOnTheWriter() {
        assertEquals(new Decision(Target.READER, Why.OPTIMISTIC), split("BEGIN", AUTOCOMMIT));
        assertEquals(new Decision(Target.READER, Why.OPTIMISTIC), split("START TRANSACTION", AUTOCOMMIT));
        Session window = new Session(Place.NONE, true, false, false, true, true);
        assertEquals(new Decision(Target.WRITER, Why.READ_YOUR_WRITES), split("BEGIN", window));
        assertEquals(new Decision(Target.WRITER, Why.READ_YOUR_WRITES), split("SELECT 1 FROM t", window));
    }

    @Test
    void aReadOnlyTransactionRunsWhollyOnAReaderWritesIncluded() {
        assertEquals(new Decision(Target.READER, Why.READ_ONLY_TRANSACTION),
                split("START TRANSACTION READ ONLY", AUTOCOMMIT));
        // the server refuses the write itself (1792): never moved, never sent elsewhere
        assertEquals(new Decision(Target.CURRENT, Why.READ_ONLY_TRANSACTION), split("UPDATE t SET v = 1", READ_ONLY));
        assertEquals(Target.CURRENT, target("SELECT * FROM t FOR UPDATE", READ_ONLY));
        assertEquals(Target.CURRENT, target("COMMIT", READ_ONLY));
    }

    @Test
    void theReplayBoundPinsTheTransactionToTheWriterAtItsNextRead() {
        Session full = new Session(Place.READER, false, false, false, false, false);
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.REPLAY_BUDGET), split("SELECT * FROM t", full));
        assertEquals(Target.CURRENT, target("COMMIT", full));
    }

    @Test
    void pinnedSessionsStayOnTheWriter() {
        Session pinned = new Session(Place.NONE, true, true, false, true, false);
        assertEquals(new Decision(Target.WRITER, Why.PINNED), split("SELECT 1 FROM t", pinned));
        Session pinnedOnReader = new Session(Place.READER, false, true, false, true, false);
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.PINNED), split("SELECT 1 FROM t", pinnedOnReader));
    }

    @Test
    void preparedStatementsRunWhereTheirTextWouldAndArePreparedWhereTheSessionIs() {
        var select = CLASSIFIER.classify("SELECT v FROM t WHERE id = ?");
        var update = CLASSIFIER.classify("UPDATE t SET v = ? WHERE id = ?");
        assertEquals(new Decision(Target.CURRENT, Why.OTHER_COMMAND),
                RoutingPolicy.command(DbRole.SPLIT, CommandType.COM_STMT_PREPARE, AUTOCOMMIT));
        assertEquals(new Decision(Target.READER, Why.READ), RoutingPolicy.execute(DbRole.SPLIT, select, AUTOCOMMIT));
        assertEquals(new Decision(Target.READER, Why.OPTIMISTIC), RoutingPolicy.execute(DbRole.SPLIT, select, PYMYSQL));
        assertEquals(new Decision(Target.CURRENT, Why.READ), RoutingPolicy.execute(DbRole.SPLIT, select, ON_READER));
        assertEquals(new Decision(Target.WRITER, Why.WRITE), RoutingPolicy.execute(DbRole.SPLIT, update, AUTOCOMMIT));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.FIRST_WRITE),
                RoutingPolicy.execute(DbRole.SPLIT, update, ON_READER));
        assertEquals(RoutingPolicy.WRITER_ROLE, RoutingPolicy.execute(DbRole.WRITER, select, AUTOCOMMIT));
        // an id the router does not know: where the session is, for the backend to answer
        assertEquals(Target.CURRENT, RoutingPolicy.execute(DbRole.SPLIT, null, AUTOCOMMIT).target());
        // long data goes with the write it is for
        Session longData = new Session(Place.READER, false, false, true, true, false);
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.LONG_DATA),
                RoutingPolicy.command(DbRole.SPLIT, CommandType.COM_STMT_SEND_LONG_DATA, ON_READER));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.LONG_DATA),
                RoutingPolicy.execute(DbRole.SPLIT, update, longData));
    }

    @Test
    void sessionStateAndTransactionEndsRunWhereTheSessionIs() {
        assertEquals(new Decision(Target.CURRENT, Why.SESSION_STATE), split("SET NAMES utf8mb4", AUTOCOMMIT));
        assertEquals(new Decision(Target.CURRENT, Why.SESSION_STATE), split("SET autocommit = 0", AUTOCOMMIT));
        assertEquals(new Decision(Target.CURRENT, Why.SESSION_STATE), split("USE nova", ON_READER));
        assertEquals(new Decision(Target.CURRENT, Why.TRANSACTION_END), split("ROLLBACK", ON_READER));
        assertEquals(new Decision(Target.CURRENT, Why.TRANSACTION_END), split("SAVEPOINT sa_1", ON_READER));
        assertEquals(new Decision(Target.CURRENT, Why.TRANSACTION_END), split("RELEASE SAVEPOINT sa_1", ON_READER));
        assertEquals(new Decision(Target.CURRENT, Why.OTHER_COMMAND),
                RoutingPolicy.command(DbRole.SPLIT, CommandType.COM_INIT_DB, AUTOCOMMIT));
    }

    @Test
    void hintsWinButAReaderHintNeverSendsAWriteOrALockToAReader() {
        assertEquals(new Decision(Target.WRITER, Why.HINT_WRITER),
                split("/* sidecar:route=writer */ SELECT * FROM t", AUTOCOMMIT));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.HINT_WRITER),
                split("SELECT /* sidecar:route=writer */ * FROM t", ON_READER));
        assertEquals(new Decision(Target.READER, Why.HINT_READER),
                split("/* sidecar:route=reader */ SELECT FOUND_ROWS()", AUTOCOMMIT));
        assertEquals(Target.WRITER, target("/* sidecar:route=reader */ UPDATE t SET v = 1", AUTOCOMMIT));
        assertEquals(Target.WRITER, target("/* sidecar:route=reader */ SELECT * FROM t FOR UPDATE", AUTOCOMMIT));
        assertEquals(Target.WRITER, target("/* sidecar:route=reader */ SELECT GET_LOCK('x', 1)", AUTOCOMMIT));
    }

    @Test
    void aNodeDependentReadNeverEntersATransactionThatMayMove() {
        // autocommit: a single read, nothing to compare later
        assertEquals(new Decision(Target.READER, Why.READ), split("SELECT NOW()", AUTOCOMMIT));
        // it would open a transaction on a reader that could never move clean
        assertEquals(new Decision(Target.WRITER, Why.NODE_DEPENDENT), split("SELECT NOW()", PYMYSQL));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.NODE_DEPENDENT),
                split("SELECT * FROM t WHERE ts > NOW() - INTERVAL 1 HOUR", ON_READER));
        assertEquals(Target.MOVE_TO_WRITER, target("SELECT @@wsrep_node_name", ON_READER));
        assertEquals(Target.MOVE_TO_WRITER, target("SELECT RAND(), UUID()", ON_READER));
        assertEquals(Target.MOVE_TO_WRITER, target("SELECT CURRENT_TIMESTAMP", ON_READER));
        assertEquals(Target.CURRENT, target("SELECT id FROM t WHERE id = 1", ON_READER));
        // the operator's hint keeps it there (a later write then answers 1213)
        assertEquals(Target.CURRENT, target("/* sidecar:route=reader */ SELECT @@wsrep_node_name", ON_READER));
        // a read-only transaction never moves
        assertEquals(Target.CURRENT, target("SELECT NOW()", READ_ONLY));
    }

    @Test
    void aSessionWhoseTransactionsKeepMovingStartsThemOnTheWriter() {
        Session learned = new Session(Place.NONE, true, false, false, true, false, true);
        assertEquals(new Decision(Target.WRITER, Why.WRITES_FOLLOW_READS), split("BEGIN", learned));
        Session learnedPymysql = new Session(Place.NONE, false, false, false, true, false, true);
        assertEquals(new Decision(Target.WRITER, Why.WRITES_FOLLOW_READS), split("SELECT 1 FROM t", learnedPymysql));
        // a single read, a read-only transaction and a hinted read still go to readers
        assertEquals(new Decision(Target.READER, Why.READ), split("SELECT 1 FROM t", learned));
        assertEquals(Target.READER, target("START TRANSACTION READ ONLY", learned));
        assertEquals(Target.READER, target("/* sidecar:route=reader */ SELECT 1 FROM t", learnedPymysql));
    }

    @Test
    void theReaderRoleFollowsTheSameRulesAsSplit() {
        // a write on the slave_connection is never lost nor refused: it moves like in split
        assertEquals(new Decision(Target.READER, Why.OPTIMISTIC),
                RoutingPolicy.query(DbRole.READER, CLASSIFIER.classify("SELECT 1 FROM t"), PYMYSQL));
        assertEquals(new Decision(Target.MOVE_TO_WRITER, Why.FIRST_WRITE),
                RoutingPolicy.query(DbRole.READER, CLASSIFIER.classify("INSERT INTO t VALUES (1)"), ON_READER));
        assertEquals(new Decision(Target.WRITER, Why.WRITE),
                RoutingPolicy.query(DbRole.READER, CLASSIFIER.classify("INSERT INTO t VALUES (1)"), AUTOCOMMIT));
    }
}

package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Hints, dialects, malformed input and the shape of a {@link Classification}. */
class ClassifierBehaviourTest {
    private final StatementClassifier classifier = new StatementClassifier();

    @Test
    void hintIsReportedNotApplied() {
        Classification toWriter = classifier.classify("/* sidecar:route=writer */ SELECT * FROM t");
        assertEquals(RouteHint.WRITER, toWriter.hint());
        assertEquals(Route.ANY_READER, toWriter.route(), "the caller applies the hint");

        Classification toReader = classifier.classify("SELECT LAST_INSERT_ID() /* sidecar:route=reader */");
        assertEquals(RouteHint.READER, toReader.hint());
        assertEquals(Route.WRITER, toReader.route());

        assertEquals(RouteHint.NONE, classifier.classify("SELECT 1").hint());
        assertEquals(RouteHint.READER, classifier.classify("SELECT 1; SELECT 2 -- sidecar:route=reader").hint());
        assertEquals(RouteHint.WRITER, classifier.classify("/* sidecar:route=writer */").hint());
    }

    @Test
    void malformedTextGoesToTheWriter() {
        Classification c = classifier.classify("SELECT * FROM t WHERE a = 'oops");
        assertTrue(c.malformed());
        assertEquals(Route.WRITER, c.route());
        assertEquals(RouteReason.MALFORMED, c.reason());
        assertEquals(StatementKind.SELECT, c.kind(), "the kind is still a best guess");
        assertFalse(classifier.classify("SELECT 'ok'").malformed());
    }

    @Test
    void noBackslashEscapesChangesWhatIsAString() {
        String sql = "SELECT 'a\\', 'b' FROM t";
        assertEquals(RouteReason.MALFORMED, classifier.classify(sql).reason());
        StatementClassifier noEscapes = new StatementClassifier(new SqlDialect(true, false, 101100));
        Classification c = noEscapes.classify(sql);
        assertEquals(Route.ANY_READER, c.route());
        assertEquals(1, c.statementCount());
        // Where backslash is not an escape, this FOR UPDATE is code, not string content.
        assertEquals(RouteReason.LOCKING_READ,
                noEscapes.classify("SELECT 'a\\' FROM t FOR UPDATE -- '").reason());
    }

    @Test
    void serverVersionDecidesVersionedComments() {
        String sql = "SELECT * FROM t /*M!100600 FOR UPDATE */";
        assertEquals(Route.WRITER, classifier.classify(sql).route());
        StatementClassifier old = new StatementClassifier(new SqlDialect(false, false, 100500));
        assertEquals(Route.ANY_READER, old.classify(sql).route());
    }

    @Test
    void emptyText() {
        Classification c = classifier.classify("  /* nothing */ -- at all\n ; ");
        assertEquals(StatementKind.EMPTY, c.kind());
        assertEquals(0, c.statementCount());
        assertFalse(c.multiStatement());
        assertEquals(List.of(), c.sessionChanges());
        assertEquals(Optional.empty(), c.autocommitChange());
    }

    @Test
    void readerEligibility() {
        assertTrue(classifier.classify("SELECT 1").readerEligible());
        assertFalse(classifier.classify("SELECT 1 FOR UPDATE").readerEligible());
    }

    @Test
    void classificationListsAreImmutable() {
        Classification c = classifier.classify("SET NAMES utf8; SELECT * FROM t");
        assertThrows(UnsupportedOperationException.class, () -> c.sessionChanges().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.referencedTables().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.createdTemporaryTables().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.droppedTables().clear());
    }

    @Test
    void classificationChecksItsArguments() {
        assertThrows(NullPointerException.class, () -> new Classification(null, Route.WRITER,
                RouteReason.WRITE, RouteHint.NONE, false, false, false, List.of(), Optional.empty(), 1, false,
                List.of(), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Classification(StatementKind.OTHER, Route.WRITER,
                RouteReason.WRITE, RouteHint.NONE, false, false, false, List.of(), Optional.empty(), -1, false,
                List.of(), List.of(), List.of()));
        assertThrows(NullPointerException.class, () -> classifier.classify(null));
        assertThrows(NullPointerException.class, () -> new StatementClassifier(null));
        assertThrows(IllegalArgumentException.class, () -> new SqlDialect(false, false, -1));
    }

    @Test
    void theKindOfAMultiStatementTextIsTheFirstStatements() {
        Classification c = classifier.classify("INSERT INTO t VALUES (1); SELECT LAST_INSERT_ID()");
        assertEquals(StatementKind.INSERT, c.kind());
        assertEquals(2, c.statementCount());
    }

    /** Every prefix of realistic statements, and seeded random text: classify never throws. */
    @Test
    void neverThrowsOnTruncatedOrRandomText() {
        List<String> samples = List.of(
                "SELECT a, `b``c`, 'd\\'e', \"f\"\"g\" FROM t /* c */ WHERE x = ? -- tail\n FOR UPDATE;",
                "/*!40101 SET @OLD = @@SQL_MODE, SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO' */; SET NAMES utf8mb4",
                "CREATE PROCEDURE p() BEGIN CASE WHEN 1 THEN SELECT 1; END CASE; END; SELECT @a := 1",
                "SET STATEMENT x=1 FOR WITH c AS (SELECT * FROM t) SELECT NEXT VALUE FOR s FROM c",
                "SHOW FULL COLUMNS FROM tmp FROM db; DESCRIBE t; EXPLAIN FORMAT=JSON SELECT 1",
                "DROP TEMPORARY TABLE IF EXISTS a, b; CREATE TEMPORARY TABLE IF NOT EXISTS c.d (x INT)",
                "SELECT @@session.last_insert_id, 'x'@'y', s.nextval, 0x1F, 1e-3, /*M!100500 1 */ 2");
        for (String sample : samples) {
            for (int end = 0; end <= sample.length(); end++) {
                assertNotNull(classifier.classify(sample.substring(0, end)).route());
            }
        }
        String alphabet = "SELECT FROM FOR UPDATE SET NAMES @@ @ ' \" ` ( ) , ; . = := /* */ -- # \n ? 1 x BEGIN END";
        Random random = new Random(20240611L);
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int k = 0; k < length; k++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertNotNull(classifier.classify(text.toString()).kind(), text.toString());
        }
        List<String> words = new ArrayList<>(List.of(alphabet.split(" ")));
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(20);
            for (int k = 0; k < length; k++) {
                text.append(words.get(random.nextInt(words.size()))).append(random.nextBoolean() ? " " : "");
            }
            assertNotNull(classifier.classify(text.toString()).kind(), text.toString());
        }
    }
}

package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What statements do to the transaction: open one, end one (explicitly or by the implicit
 * commit of the manual's "SQL statements That Cause an Implicit Commit"), read-only.
 */
class TransactionEffectsTest {
    private final StatementClassifier classifier = new StatementClassifier();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // sql | starts | ends | read only
            "BEGIN | true | true | false",
            "BEGIN WORK | true | true | false",
            "START TRANSACTION | true | true | false",
            "START TRANSACTION READ WRITE | true | true | false",
            "START TRANSACTION READ ONLY | true | true | true",
            "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY | true | true | true",
            "COMMIT | false | true | false",
            "COMMIT WORK | false | true | false",
            "COMMIT AND CHAIN | true | true | false",
            "COMMIT AND NO CHAIN | false | true | false",
            "ROLLBACK | false | true | false",
            "ROLLBACK WORK AND CHAIN | true | true | false",
            "ROLLBACK TO SAVEPOINT sa_1 | false | false | false",
            "SAVEPOINT sa_1 | false | false | false",
            "RELEASE SAVEPOINT sa_1 | false | false | false",
            "XA START 'x' | true | false | false",
            "XA BEGIN 'x' | true | false | false",
            "XA END 'x' | false | false | false",
            "XA PREPARE 'x' | false | false | false",
            "XA COMMIT 'x' | false | true | false",
            "XA COMMIT 'x' ONE PHASE | false | true | false",
            "XA ROLLBACK 'x' | false | true | false",
            "CREATE TABLE t (a INT) | false | true | false",
            "CREATE TEMPORARY TABLE t (a INT) | false | false | false",
            "DROP TEMPORARY TABLE t | false | false | false",
            "DROP TABLE t | false | true | false",
            "ALTER TABLE t ADD b INT | false | true | false",
            "TRUNCATE TABLE t | false | true | false",
            "RENAME TABLE a TO b | false | true | false",
            "CREATE INDEX i ON t (a) | false | true | false",
            "CREATE SEQUENCE s | false | true | false",
            "CREATE PROCEDURE p() SELECT 1 | false | true | false",
            "CREATE FUNCTION udf RETURNS STRING SONAME 'udf.so' | false | false | false",
            "CREATE AGGREGATE FUNCTION udf RETURNS REAL SONAME 'udf.so' | false | false | false",
            "LOCK TABLES t WRITE | false | true | false",
            "UNLOCK TABLES | false | true | false",
            "SET autocommit=1 | false | true | false",
            "SET autocommit=0 | false | false | false",
            "GRANT SELECT ON nova.* TO 'nova'@'%' | false | true | false",
            "CREATE USER 'x'@'%' | false | true | false",
            "SET PASSWORD = PASSWORD('x') | false | true | false",
            "FLUSH PRIVILEGES | false | true | false",
            "ANALYZE TABLE t | false | true | false",
            "OPTIMIZE TABLE t | false | true | false",
            "CHECKSUM TABLE t | false | false | false",
            "LOAD INDEX INTO CACHE t | false | true | false",
            "START SLAVE | false | true | false",
            "BACKUP STAGE START | false | true | false",
            "BACKUP LOCK t | false | false | false",
            "SELECT 1 | false | false | false",
            "SELECT * FROM t FOR UPDATE | false | false | false",
            "INSERT INTO t VALUES (1) | false | false | false",
            "SET NAMES utf8 | false | false | false",
            "BEGIN NOT ATOMIC SELECT 1; END | false | false | false",
            "SET STATEMENT lock_wait_timeout=1 FOR COMMIT | false | true | false",
            "BEGIN; INSERT INTO t VALUES (1); COMMIT | true | true | false",
    })
    void transactionEffects(String sql, boolean starts, boolean ends, boolean readOnly) {
        Classification c = classifier.classify(sql);
        assertAll(sql,
                () -> assertEquals(starts, c.startsTransaction(), "startsTransaction"),
                () -> assertEquals(ends, c.endsTransaction(), "endsTransaction"),
                () -> assertEquals(readOnly, c.readOnlyTransaction(), "readOnlyTransaction"));
    }
}

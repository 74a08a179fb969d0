package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The routing table: {@code route | kind | reason | sql}, one statement text per line, as
 * OpenStack (SQLAlchemy + PyMySQL), sysbench, Connector/J and the mariadb client send them.
 * {@code \n} in the sql column stands for a newline.
 */
class StatementClassifierTest {
    private static final String TABLE = """
            # plain reads: any reader
            READER | SELECT | READ | SELECT 1
            READER | SELECT | READ | select 1
            READER | SELECT | READ | SeLeCt * FrOm t
            READER | SELECT | READ | SELECT @@version
            READER | SELECT | READ | SELECT @@tx_isolation
            READER | SELECT | READ | SELECT @@session.transaction_isolation
            READER | SELECT | READ | SELECT @@max_allowed_packet, @@system_time_zone, @@time_zone, @@auto_increment_increment
            READER | SELECT | READ | SELECT DATABASE()
            READER | SELECT | READ | SELECT CAST('test plain returns' AS CHAR(60)) AS anon_1
            READER | SELECT | READ | SELECT CAST('test unicode returns' AS CHAR(60)) AS anon_1
            READER | SELECT | READ | select @@version_comment limit 1
            READER | SELECT | READ | SELECT 1 FROM dual
            READER | SHOW | READ | SHOW COLLATION WHERE `Charset` = 'utf8mb4' AND `Collation` = 'utf8mb4_bin'
            READER | SHOW | READ | SHOW VARIABLES LIKE 'lower_case_table_names'
            READER | SELECT | READ | SELECT VERSION()
            READER | SELECT | READ | SELECT users.id AS users_id, users.name AS users_name FROM users WHERE users.id = 5
            READER | SELECT | READ | SELECT instances.created_at AS instances_created_at, instances.uuid AS instances_uuid FROM instances WHERE instances.deleted = 0 AND instances.uuid = 'b0a4c1f2' LIMIT 1
            READER | SELECT | READ | SELECT count(*) AS count_1 FROM (SELECT instances.id AS instances_id FROM instances WHERE instances.deleted = 0) AS anon_1
            READER | SELECT | READ | SELECT c FROM sbtest1 WHERE id=?
            READER | SELECT | READ | SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ?
            READER | SELECT | READ | SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ? AND ?
            READER | SELECT | READ | SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c
            READER | SELECT | READ | SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c
            READER | SELECT | READ | SELECT 'FOR UPDATE' FROM t
            READER | SELECT | READ | SELECT * FROM t WHERE note = 'x; DROP TABLE t'
            READER | SELECT | READ | SELECT * FROM t WHERE note = "LOCK IN SHARE MODE"
            READER | SELECT | READ | SELECT a FROM t WHERE b = 'it''s' AND c = 'x\\'y FOR UPDATE'
            READER | SELECT | READ | SELECT `for update`, `get_lock`(1) FROM t
            READER | SELECT | READ | SELECT '@a', '@@identity', 'GET_LOCK(1)' FROM t
            READER | SELECT | READ | SELECT last_insert_id, get_lock_count FROM t
            READER | SELECT | READ | /* leading comment */ SELECT 1
            READER | SELECT | READ | -- dash comment\\nSELECT 1
            READER | SELECT | READ | # hash comment\\nSELECT 1
            READER | SELECT | READ | SELECT 1 -- trailing; comment
            READER | SELECT | READ | SELECT 1;
            READER | SELECT | READ | SELECT 1 ; ;
            READER | SELECT | READ | SELECT 1 - -1
            READER | SELECT | READ | SELECT 1--1
            READER | SELECT | READ | (SELECT a FROM t1) UNION (SELECT a FROM t2)
            READER | SELECT | READ | SELECT a FROM t1 UNION ALL SELECT a FROM t2
            READER | SELECT | READ | WITH c AS (SELECT id FROM t) SELECT * FROM c
            READER | SELECT | READ | WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r
            READER | SELECT | READ | VALUES (1, 2), (3, 4)
            READER | SELECT | READ | SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00'
            READER | SELECT | READ | SELECT * FROM t USE INDEX FOR JOIN (i1) WHERE a = 1
            READER | SELECT | READ | SELECT SLEEP(1)
            READER | SELECT | READ | SELECT NOW(), UUID(), RAND(), CURRENT_USER()
            READER | SELECT | READ | SELECT * FROM t WHERE id IN (SELECT t_id FROM u WHERE u.x = 1)
            READER | SELECT | READ | SELECT /*!40001 SQL_NO_CACHE */ * FROM t
            READER | SELECT | READ | SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t
            READER | SELECT | READ | SELECT * FROM t /*!50701 FOR UPDATE */
            READER | SELECT | READ | SELECT * FROM t /*M!999999 FOR UPDATE */
            READER | SELECT | READ | SELECT @@global.max_connections
            READER | SELECT | READ | SET STATEMENT max_statement_time=10 FOR SELECT * FROM t
            READER | SHOW | READ | SHOW VARIABLES LIKE 'sql_mode'
            READER | SHOW | READ | SHOW FULL TABLES FROM nova
            READER | SHOW | READ | SHOW CREATE TABLE instances
            READER | SHOW | READ | show status like 'wsrep%'
            READER | SHOW | READ | SHOW COLLATION
            READER | SHOW | READ | SHOW DATABASES
            READER | SHOW | READ | SHOW INDEX FROM instances
            READER | EXPLAIN | READ | EXPLAIN SELECT * FROM t WHERE id = 1
            READER | EXPLAIN | READ | EXPLAIN EXTENDED SELECT * FROM t
            READER | EXPLAIN | READ | EXPLAIN FORMAT=JSON SELECT * FROM t
            READER | EXPLAIN | READ | EXPLAIN UPDATE t SET a = 1
            READER | EXPLAIN | READ | DESCRIBE instances
            READER | EXPLAIN | READ | DESC instances
            READER | EXPLAIN | READ | EXPLAIN instances
            READER | EXPLAIN | READ | ANALYZE SELECT * FROM t
            READER | BEGIN | READ_ONLY_TRANSACTION | START TRANSACTION READ ONLY
            READER | BEGIN | READ_ONLY_TRANSACTION | start transaction with consistent snapshot, read only

            # locking reads
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t WHERE id = 1 FOR UPDATE
            WRITER | SELECT | LOCKING_READ | select * from t where id = 1 for update nowait
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t FOR UPDATE SKIP LOCKED
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t FOR UPDATE WAIT 5
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t LOCK IN SHARE MODE
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t LOCK IN SHARE MODE NOWAIT
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t FOR SHARE
            WRITER | SELECT | LOCKING_READ | SELECT /* x */ * FROM t FOR /* y */ UPDATE
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t FOR -- comment\\nUPDATE
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t FOR # comment\\n update
            WRITER | SELECT | LOCKING_READ | SELECT * FROM (SELECT * FROM t FOR UPDATE) AS x
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t WHERE a IN (SELECT a FROM u LOCK IN SHARE MODE)
            WRITER | SELECT | LOCKING_READ | (SELECT * FROM t FOR UPDATE)
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t /*!40001 FOR UPDATE */
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t /*! FOR UPDATE */
            WRITER | SELECT | LOCKING_READ | SELECT * FROM t /*M!100500 FOR UPDATE */
            WRITER | SELECT | LOCKING_READ | SELECT instances.id AS instances_id FROM instances WHERE instances.uuid = 'abc' FOR UPDATE
            WRITER | SELECT | LOCKING_READ | SELECT quota_usages.id FROM quota_usages WHERE quota_usages.project_id = 'p1' AND quota_usages.deleted = 0 FOR UPDATE
            WRITER | SELECT | LOCKING_READ | WITH c AS (SELECT id FROM t) SELECT * FROM c FOR UPDATE
            WRITER | SELECT | LOCKING_READ | SET STATEMENT innodb_lock_wait_timeout=5 FOR SELECT * FROM t FOR UPDATE
            WRITER | EXPLAIN | LOCKING_READ | ANALYZE FORMAT=JSON SELECT * FROM t FOR UPDATE

            # SELECT ... INTO and user variables
            WRITER | SELECT | SELECT_INTO | SELECT * FROM t INTO OUTFILE 'out.csv'
            WRITER | SELECT | SELECT_INTO | SELECT * INTO DUMPFILE 'dump.bin' FROM t
            WRITER | SELECT | SELECT_INTO | SELECT a INTO @x FROM t
            WRITER | SELECT | USER_VARIABLE | SELECT @a := 1
            WRITER | SELECT | USER_VARIABLE | SELECT @rownum := @rownum + 1 AS n FROM t
            WRITER | SELECT | USER_VARIABLE | SELECT @a
            WRITER | SELECT | USER_VARIABLE | SELECT * FROM t WHERE id = @id

            # locking, sequence and session-bound functions
            WRITER | SELECT | LOCKING_FUNCTION | SELECT GET_LOCK('x', 10)
            WRITER | SELECT | LOCKING_FUNCTION | select get_lock ('x', 10)
            WRITER | SELECT | LOCKING_FUNCTION | SELECT RELEASE_LOCK('x')
            WRITER | SELECT | LOCKING_FUNCTION | SELECT RELEASE_ALL_LOCKS()
            WRITER | SELECT | LOCKING_FUNCTION | SELECT IS_FREE_LOCK('x')
            WRITER | SELECT | LOCKING_FUNCTION | SELECT IS_USED_LOCK('x')
            WRITER | SELECT | LOCKING_FUNCTION | SELECT a, (SELECT GET_LOCK('x', 0)) FROM t
            WRITER | SELECT | SESSION_BOUND | SELECT LAST_INSERT_ID()
            WRITER | SELECT | SESSION_BOUND | SELECT last_insert_id() AS id
            WRITER | SELECT | SESSION_BOUND | SELECT FOUND_ROWS()
            WRITER | SELECT | SESSION_BOUND | SELECT ROW_COUNT()
            WRITER | SELECT | SESSION_BOUND | SELECT CONNECTION_ID()
            WRITER | SELECT | SESSION_BOUND | SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10
            WRITER | SELECT | SESSION_BOUND | SELECT MASTER_POS_WAIT('log.000001', 4)
            WRITER | SELECT | SESSION_BOUND | SELECT MASTER_GTID_WAIT('0-1-100', 1)
            WRITER | SELECT | SESSION_BOUND | SELECT WSREP_LAST_WRITTEN_GTID()
            WRITER | SELECT | SESSION_BOUND | SELECT WSREP_LAST_SEEN_GTID()
            WRITER | SELECT | SESSION_BOUND | SELECT WSREP_SYNC_WAIT_UPTO_GTID('0-1-100')
            WRITER | SELECT | SESSION_BOUND | SELECT @@identity
            WRITER | SELECT | SESSION_BOUND | SELECT @@session.last_insert_id
            WRITER | SELECT | SESSION_BOUND | SELECT @@LOCAL.insert_id
            WRITER | SELECT | SESSION_BOUND | SELECT @@in_transaction
            WRITER | SELECT | SESSION_BOUND | SELECT @@warning_count, @@error_count
            WRITER | SELECT | SESSION_BOUND | SELECT @@last_gtid
            WRITER | SELECT | SEQUENCE | SELECT NEXTVAL(s)
            WRITER | SELECT | SEQUENCE | SELECT LASTVAL(s)
            WRITER | SELECT | SEQUENCE | SELECT SETVAL(s, 100)
            WRITER | SELECT | SEQUENCE | SELECT NEXT VALUE FOR s
            WRITER | SELECT | SEQUENCE | SELECT PREVIOUS VALUE FOR s
            WRITER | SELECT | SEQUENCE | SELECT s.nextval
            WRITER | SELECT | SEQUENCE | SELECT s.currval FROM dual

            # writes
            WRITER | INSERT | WRITE | INSERT INTO t (a) VALUES (1)
            WRITER | INSERT | WRITE | insert into users (name) values ('SELECT 1')
            WRITER | INSERT | WRITE | INSERT INTO t SELECT * FROM u
            WRITER | INSERT | WRITE | INSERT INTO sbtest1 (id, k, c, pad) VALUES (?, ?, ?, ?)
            WRITER | INSERT | WRITE | INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1
            WRITER | INSERT | WRITE | /* sidecar:route=reader */ INSERT INTO t VALUES (1)
            WRITER | UPDATE | WRITE | UPDATE sbtest1 SET k=k+1 WHERE id=?
            WRITER | UPDATE | WRITE | UPDATE sbtest1 SET c=? WHERE id=?
            WRITER | UPDATE | WRITE | UPDATE instances SET updated_at=instances.updated_at, task_state=NULL WHERE instances.uuid = 'abc'
            WRITER | DELETE | WRITE | DELETE FROM sbtest1 WHERE id=?
            WRITER | REPLACE | WRITE | REPLACE INTO t VALUES (1)
            WRITER | INSERT | WRITE | WITH c AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM c
            WRITER | DELETE | WRITE | WITH c AS (SELECT 1 AS a) DELETE FROM t WHERE a IN (SELECT a FROM c)
            WRITER | LOAD_DATA | WRITE | LOAD DATA LOCAL INFILE 'data.csv' INTO TABLE t
            WRITER | LOAD_DATA | WRITE | LOAD XML INFILE 'data.xml' INTO TABLE t
            WRITER | CALL | WRITE | CALL my_proc(1)
            WRITER | DO | WRITE | DO 1
            WRITER | DO | LOCKING_FUNCTION | DO GET_LOCK('x', 1)
            WRITER | DO | SEQUENCE | DO NEXTVAL(s)
            WRITER | EXPLAIN | WRITE | ANALYZE UPDATE t SET a = 1
            WRITER | INSERT | WRITE | SET STATEMENT foreign_key_checks=0 FOR INSERT INTO t VALUES (1)

            # DDL and accounts
            WRITER | DDL | DDL | CREATE TABLE t (id INT PRIMARY KEY)
            WRITER | DDL | DDL | create table if not exists t (a int)
            WRITER | DDL | DDL | CREATE OR REPLACE TABLE t (a INT)
            WRITER | DDL | DDL | CREATE TABLE t2 AS SELECT * FROM t1
            WRITER | DDL | DDL | ALTER TABLE t ADD COLUMN b INT
            WRITER | DDL | DDL | DROP TABLE t
            WRITER | DDL | DDL | DROP TABLE IF EXISTS t1, t2
            WRITER | DDL | DDL | TRUNCATE TABLE t
            WRITER | DDL | DDL | TRUNCATE t
            WRITER | DDL | DDL | RENAME TABLE a TO b
            WRITER | DDL | DDL | CREATE INDEX ix ON t (a)
            WRITER | DDL | DDL | DROP INDEX ix ON t
            WRITER | DDL | DDL | CREATE DATABASE nova
            WRITER | DDL | DDL | DROP DATABASE IF EXISTS nova
            WRITER | DDL | DDL | CREATE VIEW v AS SELECT * FROM t
            WRITER | DDL | DDL | CREATE SEQUENCE s START WITH 1
            WRITER | DDL | DDL | CREATE FUNCTION f() RETURNS INT RETURN 1
            WRITER | DDL | DDL | CREATE FUNCTION udf RETURNS STRING SONAME 'udf_example.so'
            WRITER | DDL | DDL | CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END
            WRITER | DDL | DDL | CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN IF NEW.a < 0 THEN SET NEW.a = 0; END IF; END
            WRITER | DDL | TEMPORARY_TABLE | CREATE TEMPORARY TABLE tmp (a INT)
            WRITER | DDL | TEMPORARY_TABLE | CREATE TEMPORARY TABLE IF NOT EXISTS tmp AS SELECT * FROM t
            WRITER | DDL | TEMPORARY_TABLE | CREATE OR REPLACE TEMPORARY TABLE tmp (a INT)
            WRITER | DDL | TEMPORARY_TABLE | DROP TEMPORARY TABLE IF EXISTS tmp
            WRITER | ACCOUNT | DDL | CREATE USER 'nova'@'%' IDENTIFIED BY 'secret'
            WRITER | ACCOUNT | DDL | GRANT ALL PRIVILEGES ON nova.* TO 'nova'@'%'
            WRITER | ACCOUNT | DDL | REVOKE ALL PRIVILEGES ON nova.* FROM 'nova'@'%'
            WRITER | ACCOUNT | DDL | DROP USER 'nova'@'%'
            WRITER | ACCOUNT | DDL | ALTER USER 'nova'@'%' IDENTIFIED BY 'other'
            WRITER | ACCOUNT | DDL | RENAME USER 'a'@'%' TO 'b'@'%'
            WRITER | ACCOUNT | DDL | CREATE ROLE admin
            WRITER | ACCOUNT | DDL | DROP ROLE admin
            WRITER | ACCOUNT | DDL | SET PASSWORD FOR 'nova'@'%' = PASSWORD('x')
            WRITER | ACCOUNT | DDL | SET DEFAULT ROLE admin FOR 'nova'@'%'

            # transaction control
            WRITER | BEGIN | TRANSACTION_CONTROL | BEGIN
            WRITER | BEGIN | TRANSACTION_CONTROL | begin work
            WRITER | BEGIN | TRANSACTION_CONTROL | START TRANSACTION
            WRITER | BEGIN | TRANSACTION_CONTROL | START TRANSACTION READ WRITE
            WRITER | BEGIN | TRANSACTION_CONTROL | START TRANSACTION WITH CONSISTENT SNAPSHOT
            WRITER | COMMIT | TRANSACTION_CONTROL | COMMIT
            WRITER | COMMIT | TRANSACTION_CONTROL | COMMIT WORK AND NO CHAIN NO RELEASE
            WRITER | ROLLBACK | TRANSACTION_CONTROL | ROLLBACK
            WRITER | ROLLBACK_TO_SAVEPOINT | TRANSACTION_CONTROL | ROLLBACK TO SAVEPOINT sa_1
            WRITER | ROLLBACK_TO_SAVEPOINT | TRANSACTION_CONTROL | ROLLBACK WORK TO sp
            WRITER | SAVEPOINT | TRANSACTION_CONTROL | SAVEPOINT sa_1
            WRITER | RELEASE_SAVEPOINT | TRANSACTION_CONTROL | RELEASE SAVEPOINT sa_1
            WRITER | XA | TRANSACTION_CONTROL | XA START 'x'
            WRITER | XA | TRANSACTION_CONTROL | XA END 'x'
            WRITER | XA | TRANSACTION_CONTROL | XA PREPARE 'x'
            WRITER | XA | TRANSACTION_CONTROL | XA COMMIT 'x'
            WRITER | XA | TRANSACTION_CONTROL | XA ROLLBACK 'x'
            WRITER | XA | TRANSACTION_CONTROL | XA RECOVER
            WRITER | OTHER | WRITE | BEGIN NOT ATOMIC SELECT 1; SELECT 2; END

            # session state
            WRITER | SET | SESSION_STATE | SET NAMES utf8mb4
            WRITER | SET | SESSION_STATE | SET AUTOCOMMIT = 0
            WRITER | SET | SESSION_STATE | SET character_set_results = NULL
            WRITER | SET | SESSION_STATE | SET autocommit=0
            WRITER | SET | SESSION_STATE | set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES')
            WRITER | SET | SESSION_STATE | SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED
            WRITER | SET | SESSION_STATE | SET @a = 1
            WRITER | SET | SESSION_STATE | SET GLOBAL max_connections = 1000
            WRITER | SET | SESSION_STATE | SET ROLE admin
            WRITER | USE | SESSION_STATE | USE nova
            WRITER | USE | SESSION_STATE | use `nova-api`

            # state held by the connection
            WRITER | LOCK_TABLES | CONNECTION_STATE | LOCK TABLES t WRITE
            WRITER | LOCK_TABLES | CONNECTION_STATE | LOCK TABLE t READ, u WRITE
            WRITER | UNLOCK_TABLES | CONNECTION_STATE | UNLOCK TABLES
            WRITER | PREPARE | CONNECTION_STATE | PREPARE s FROM 'SELECT 1'
            WRITER | EXECUTE | CONNECTION_STATE | EXECUTE s USING @a
            WRITER | EXECUTE | CONNECTION_STATE | EXECUTE IMMEDIATE 'SELECT 1'
            WRITER | DEALLOCATE | CONNECTION_STATE | DEALLOCATE PREPARE s
            WRITER | DEALLOCATE | CONNECTION_STATE | DROP PREPARE s
            WRITER | HANDLER | CONNECTION_STATE | HANDLER t OPEN
            WRITER | KILL | SESSION_BOUND | KILL 42
            WRITER | KILL | SESSION_BOUND | KILL QUERY 42
            WRITER | SHOW | SESSION_BOUND | SHOW WARNINGS
            WRITER | SHOW | SESSION_BOUND | SHOW ERRORS LIMIT 10
            WRITER | SHOW | SESSION_BOUND | SHOW COUNT(*) WARNINGS
            WRITER | SHOW | SESSION_BOUND | SHOW PROFILES
            WRITER | EXPLAIN | SESSION_BOUND | EXPLAIN FOR CONNECTION 42

            # administration
            WRITER | ADMIN | DDL | ANALYZE TABLE t
            WRITER | ADMIN | DDL | ANALYZE NO_WRITE_TO_BINLOG TABLE t
            WRITER | ADMIN | DDL | OPTIMIZE TABLE t
            WRITER | ADMIN | DDL | REPAIR TABLE t
            WRITER | ADMIN | DDL | CHECK TABLE t
            WRITER | ADMIN | DDL | CHECKSUM TABLE t
            WRITER | ADMIN | DDL | FLUSH TABLES
            WRITER | ADMIN | DDL | FLUSH PRIVILEGES
            WRITER | ADMIN | DDL | RESET QUERY CACHE
            WRITER | ADMIN | DDL | PURGE BINARY LOGS BEFORE '2024-01-01'
            WRITER | ADMIN | DDL | CHANGE MASTER TO MASTER_HOST = 'db1'
            WRITER | ADMIN | DDL | START SLAVE
            WRITER | ADMIN | DDL | STOP SLAVE
            WRITER | ADMIN | DDL | CACHE INDEX t IN hot_cache
            WRITER | ADMIN | DDL | LOAD INDEX INTO CACHE t
            WRITER | ADMIN | DDL | INSTALL SONAME 'ha_example'
            WRITER | ADMIN | DDL | BACKUP STAGE START
            WRITER | ADMIN | DDL | BACKUP LOCK t
            WRITER | ADMIN | DDL | SHUTDOWN

            # unknown, empty, several statements, malformed
            WRITER | OTHER | UNRECOGNIZED | FROBNICATE t
            WRITER | OTHER | UNRECOGNIZED | HELP 'contents'
            WRITER | OTHER | UNRECOGNIZED | 42
            WRITER | OTHER | UNRECOGNIZED | ()
            WRITER | OTHER | UNRECOGNIZED | (INSERT INTO t VALUES (1))
            WRITER | OTHER | UNRECOGNIZED | SIGNAL SQLSTATE '45000'
            WRITER | OTHER | UNRECOGNIZED | GET DIAGNOSTICS @n = NUMBER
            WRITER | OTHER | UNRECOGNIZED | SET STATEMENT x=1
            WRITER | EMPTY | UNRECOGNIZED |
            WRITER | EMPTY | UNRECOGNIZED | /* nothing */
            WRITER | EMPTY | UNRECOGNIZED | ;
            WRITER | EMPTY | UNRECOGNIZED | -- only a comment
            WRITER | EMPTY | UNRECOGNIZED | /*!99999 skipped */
            WRITER | SELECT | MULTI_STATEMENT | SELECT 1; SELECT 2
            WRITER | SELECT | MULTI_STATEMENT | SELECT * FROM t; DROP TABLE t
            WRITER | SET | MULTI_STATEMENT | SET autocommit=0; SELECT 1
            WRITER | SELECT | MALFORMED | SELECT 'unterminated
            WRITER | SELECT | MALFORMED | SELECT * FROM `t
            WRITER | SELECT | MALFORMED | SELECT 1 /* unterminated
            WRITER | SELECT | MALFORMED | SELECT /*! 1
            WRITER | EMPTY | MALFORMED | /* unterminated
            """;

    private final StatementClassifier classifier = new StatementClassifier();

    static Stream<Arguments> table() {
        return TABLE.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    String[] parts = line.split("\\|", 4);
                    Route route = parts[0].trim().equals("READER") ? Route.ANY_READER : Route.WRITER;
                    return Arguments.of(route, StatementKind.valueOf(parts[1].trim()),
                            RouteReason.valueOf(parts[2].trim()), parts[3].strip().replace("\\n", "\n"));
                });
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @MethodSource("table")
    void routes(Route route, StatementKind kind, RouteReason reason, String sql) {
        Classification c = classifier.classify(sql);
        assertAll(sql,
                () -> assertEquals(route, c.route(), "route"),
                () -> assertEquals(kind, c.kind(), "kind"),
                () -> assertEquals(reason, c.reason(), "reason"));
    }
}

package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tables named by reads, and temporary tables created or dropped: the router remembers a
 * session's temporary tables and sends reads of them to the writer, the only node that has them.
 */
class TableReferencesTest {
    private final StatementClassifier classifier = new StatementClassifier();

    /** {@code "a, db.b"} as table names; {@code "-"} for none. */
    private static List<TableName> names(String list) {
        if (list.equals("-")) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).map(name -> {
            int dot = name.indexOf('.');
            return dot < 0 ? TableName.of(name) : new TableName(name.substring(0, dot), name.substring(dot + 1));
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SELECT * FROM t | t",
            "SELECT * FROM nova.instances | nova.instances",
            "SELECT * FROM `nova`.`my table` | nova.my table",
            "SELECT * FROM db.t AS x JOIN u ON x.id = u.id LEFT JOIN `v w` USING (id) | db.t, u, v w",
            "SELECT * FROM a, b, c WHERE a.x = b.x | a, b, c",
            "SELECT * FROM a x, b AS y | a, b",
            "SELECT * FROM a JOIN b ON a.id = b.id, c | a, b, c",
            "SELECT (SELECT MAX(id) FROM t2), a FROM t1 | t2, t1",
            "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u) | t, u",
            "SELECT * FROM t WHERE id IN (SELECT t_id FROM u WHERE x IN (1, 2)) | t, u",
            "SELECT EXTRACT(YEAR FROM d), TRIM(BOTH 'x' FROM s), SUBSTRING(s FROM 2) FROM t | t",
            "SELECT * FROM (SELECT * FROM inner_t) AS d, outer_t | inner_t, outer_t",
            "SELECT * FROM t1 NATURAL JOIN t2 STRAIGHT_JOIN t3 | t1, t2, t3",
            "SELECT STRAIGHT_JOIN a, b FROM t | t",
            "SELECT * FROM t1 JOIN (t2, t3) ON t1.a = t2.a | t1, t2, t3",
            "SELECT * FROM t1, t2 WHERE a IN (1, 2) GROUP BY a, b ORDER BY a, b LIMIT 1, 2 | t1, t2",
            "SELECT * FROM t USE INDEX (i1, i2), u | t, u",
            "SELECT * FROM t PARTITION (p1, p2) | t",
            "SELECT * FROM t FOR SYSTEM_TIME ALL, u | t, u",
            "SELECT a FROM t1 UNION SELECT b FROM t2 | t1, t2",
            "(SELECT a FROM t1) UNION (SELECT b FROM t2) | t1, t2",
            "WITH c AS (SELECT * FROM base) SELECT * FROM c | base, c",
            "SELECT * FROM t FOR UPDATE | t",
            "SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (a INT PATH '$')) AS jt | -",
            "SELECT * FROM t WHERE a = 1 FOR UPDATE | t",
            "SELECT 1 | -",
            "SELECT 1 FROM DUAL | -",
            "SELECT 'FROM x' | -",
            "SELECT * FROM 'not_a_table' | -",
            "VALUES (1) | -",
            "DESCRIBE tmp | tmp",
            "DESC db.tmp | db.tmp",
            "EXPLAIN tmp | tmp",
            "EXPLAIN SELECT * FROM tmp | tmp",
            "EXPLAIN EXTENDED SELECT * FROM tmp JOIN u | tmp, u",
            "ANALYZE SELECT * FROM tmp | tmp",
            "SHOW CREATE TABLE tmp | tmp",
            "SHOW COLUMNS FROM tmp | tmp",
            "SHOW FULL COLUMNS FROM tmp FROM nova | nova.tmp",
            "SHOW INDEX FROM nova.tmp | nova.tmp",
            "SHOW KEYS IN tmp IN nova | nova.tmp",
            "SHOW TABLES FROM nova | -",
            "SHOW VARIABLES | -",
            "SET STATEMENT max_statement_time=1 FOR SELECT * FROM tmp | tmp",
            "INSERT INTO t SELECT * FROM u | -",
    })
    void referencedTables(String sql, String tables) {
        assertEquals(names(tables), classifier.classify(sql).referencedTables(), sql);
    }

    @Test
    void ansiQuotedNamesAreNames() {
        StatementClassifier ansi = new StatementClassifier(new SqlDialect(false, true, 101100));
        assertEquals(List.of(TableName.of("t")), ansi.classify("SELECT \"a\" FROM \"t\"").referencedTables());
    }

    @Test
    void tablesOfEveryStatementOfAText() {
        assertEquals(names("a, b"), classifier.classify("SELECT * FROM a; SELECT * FROM b").referencedTables());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CREATE TEMPORARY TABLE tmp (a INT) | tmp",
            "create temporary table if not exists nova.tmp (a int) | nova.tmp",
            "CREATE OR REPLACE TEMPORARY TABLE `my tmp` AS SELECT * FROM t | my tmp",
            "CREATE TEMPORARY TABLE tmp LIKE t | tmp",
            "CREATE TEMPORARY SEQUENCE s | s",
            "CREATE TABLE t (a INT) | -",
            "CREATE TEMPORARY TABLE | -",
            "CREATE TEMPORARY TABLE a (x INT); CREATE TEMPORARY TABLE b (y INT) | a, b",
    })
    void createdTemporaryTables(String sql, String tables) {
        Classification c = classifier.classify(sql);
        assertEquals(names(tables), c.createdTemporaryTables(), sql);
        assertEquals(Route.WRITER, c.route());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DROP TEMPORARY TABLE tmp | tmp",
            "DROP TEMPORARY TABLE IF EXISTS a, db.b | a, db.b",
            "DROP TABLE a | a",
            "drop tables if exists `a`, b RESTRICT | a, b",
            "DROP SEQUENCE s | s",
            "DROP TEMPORARY SEQUENCE IF EXISTS s | s",
            "DROP VIEW v | -",
            "DROP DATABASE d | -",
    })
    void droppedTables(String sql, String tables) {
        assertEquals(names(tables), classifier.classify(sql).droppedTables(), sql);
    }

    @Test
    void tableNamePrintsQualified() {
        assertEquals("nova.instances", new TableName("nova", "instances").toString());
        assertEquals("instances", TableName.of("instances").toString());
    }
}

package ossidecar.db.sql;

import static ossidecar.db.sql.RouteReason.CONNECTION_STATE;
import static ossidecar.db.sql.RouteReason.DDL;
import static ossidecar.db.sql.RouteReason.TEMPORARY_TABLE;

/**
 * {@code CREATE}, {@code DROP} and account statements: what they create or drop, and whether
 * they commit. Every one of them goes to the writer; the MariaDB manual's "SQL statements That
 * Cause an Implicit Commit" lists the commits, with its exceptions for {@code TEMPORARY} tables
 * and for UDFs.
 */
final class SchemaStatements {
    private SchemaStatements() {
    }

    /**
     * {@code CREATE [OR REPLACE] [TEMPORARY] TABLE|SEQUENCE [IF NOT EXISTS] name ...}, users and
     * roles, and every other CREATE; {@code i} is the token after CREATE.
     */
    static ClassificationBuilder create(SqlTokens t, ClassificationBuilder b, int i, int end) {
        if (t.isWord(i, "OR") && t.isWord(i + 1, "REPLACE")) {
            i += 2;
        }
        boolean temporary = t.isWord(i, "TEMPORARY");
        if (temporary) {
            i++;
        }
        if (t.isWord(i, "USER") || t.isWord(i, "ROLE")) {
            return account(b);
        }
        if (temporary && (t.isWord(i, "TABLE") || t.isWord(i, "SEQUENCE"))) {
            int nameAt = skipIfExists(t, i + 1, true);
            int nameEnd = TableNames.end(t, nameAt, end);
            if (nameEnd > 0) {
                b.createdTemporaryTable(TableNames.at(t, nameAt, nameEnd));
            }
            // Exists only in the writer's session; no implicit commit.
            return b.writer(StatementKind.DDL, TEMPORARY_TABLE);
        }
        if (t.isWord(i, "AGGREGATE")) {
            i++;
        }
        if (t.isWord(i, "FUNCTION") && containsWord(t, i, end, "SONAME")) {
            return b.writer(StatementKind.DDL, DDL); // a UDF: no implicit commit
        }
        return b.writer(StatementKind.DDL, DDL).endsTransaction();
    }

    /**
     * {@code DROP [TEMPORARY] TABLE|TABLES|SEQUENCE [IF EXISTS] a, b}, {@code DROP PREPARE},
     * users and roles, and every other DROP; {@code i} is the token after DROP.
     */
    static ClassificationBuilder drop(SqlTokens t, ClassificationBuilder b, int i, int end) {
        if (t.isWord(i, "PREPARE")) {
            return b.writer(StatementKind.DEALLOCATE, CONNECTION_STATE); // DROP PREPARE = DEALLOCATE PREPARE
        }
        if (t.isWord(i, "USER") || t.isWord(i, "ROLE")) {
            return account(b);
        }
        boolean temporary = t.isWord(i, "TEMPORARY");
        if (temporary) {
            i++;
        }
        if (t.isWord(i, "TABLE") || t.isWord(i, "TABLES") || t.isWord(i, "SEQUENCE")) {
            int k = skipIfExists(t, i + 1, false);
            while (k < end) {
                int nameEnd = TableNames.end(t, k, end);
                if (nameEnd < 0) {
                    break;
                }
                b.droppedTable(TableNames.at(t, k, nameEnd));
                if (!t.isSymbol(nameEnd, ',')) {
                    break;
                }
                k = nameEnd + 1;
            }
            return temporary ? b.writer(StatementKind.DDL, TEMPORARY_TABLE)
                    : b.writer(StatementKind.DDL, DDL).endsTransaction();
        }
        return b.writer(StatementKind.DDL, DDL).endsTransaction();
    }

    /**
     * Users, roles, grants: all commit (MariaDB sql_parse.cc marks them CF_AUTO_COMMIT_TRANS,
     * ALTER USER included).
     */
    static ClassificationBuilder account(ClassificationBuilder b) {
        return b.writer(StatementKind.ACCOUNT, DDL).endsTransaction();
    }

    /** Skips {@code IF EXISTS}, or {@code IF NOT EXISTS} when {@code not}, at {@code i}. */
    private static int skipIfExists(SqlTokens t, int i, boolean not) {
        if (!t.isWord(i, "IF")) {
            return i;
        }
        int k = i + 1;
        if (not && t.isWord(k, "NOT")) {
            k++;
        }
        return t.isWord(k, "EXISTS") ? k + 1 : i;
    }

    private static boolean containsWord(SqlTokens t, int from, int end, String upperKeyword) {
        for (int k = from; k < end; k++) {
            if (t.isWord(k, upperKeyword)) {
                return true;
            }
        }
        return false;
    }
}

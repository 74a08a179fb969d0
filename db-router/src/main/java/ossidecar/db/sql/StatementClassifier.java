package ossidecar.db.sql;

import java.util.Objects;

/**
 * Decides, per query text, what the statement is and where it may run: the DB router's
 * read/write split policy as a pure function of the text.
 *
 * <p>Cheap enough for every statement on the hot path: one lexer pass, one pass to split
 * statements, and for reads one scan of their tokens; no regular expressions, no exceptions,
 * a few small arrays per call. Thread-safe: it holds only the immutable dialect.
 *
 * <p>The writer gets: every write, DDL and account change; locking reads
 * ({@code FOR UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE}); {@code SELECT ... INTO};
 * reads that call locking, sequence or session-bound functions or touch user variables;
 * temporary tables; {@code LOCK TABLES}, {@code XA}, SQL-level prepared statements,
 * {@code HANDLER}; transaction control; {@code SET} and {@code USE}; more than one statement in
 * one text; unterminated text; anything unrecognised. A reader may serve: plain
 * {@code SELECT}/{@code WITH}/{@code VALUES} (including {@code SELECT 1} and
 * {@code SELECT @@version}), {@code SHOW} (but not {@code SHOW WARNINGS}), {@code EXPLAIN},
 * {@code DESCRIBE}, and {@code START TRANSACTION READ ONLY}.
 */
public final class StatementClassifier {
    private final SqlDialect dialect;

    /** A classifier for MariaDB 10.11 with its default {@code sql_mode}. */
    public StatementClassifier() {
        this(SqlDialect.DEFAULT);
    }

    public StatementClassifier(SqlDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** Classifies one query text as a client sent it (COM_QUERY or COM_STMT_PREPARE). */
    public Classification classify(String sql) {
        Objects.requireNonNull(sql, "sql");
        SqlTokens tokens = SqlLexer.tokenize(sql, dialect);
        int[] ranges = StatementSplitter.split(tokens);
        int count = ranges.length / 2;
        boolean malformed = tokens.unterminated();
        if (count == 0) {
            return new ClassificationBuilder()
                    .writer(StatementKind.EMPTY, malformed ? RouteReason.MALFORMED : RouteReason.UNRECOGNIZED)
                    .build(tokens.hint(), 0, malformed);
        }
        StatementAnalyzer analyzer = new StatementAnalyzer(tokens);
        ClassificationBuilder result = analyzer.analyze(ranges[0], ranges[1]);
        for (int k = 1; k < count; k++) {
            result.absorb(analyzer.analyze(ranges[2 * k], ranges[2 * k + 1]));
        }
        if (count > 1) {
            // Several statements run on one connection in order: a reader cannot take a part.
            result.forceWriter(RouteReason.MULTI_STATEMENT);
        }
        if (malformed) {
            // The server will reject it; the writer gives the client the real error.
            result.forceWriter(RouteReason.MALFORMED);
        }
        return result.build(tokens.hint(), count, malformed);
    }
}

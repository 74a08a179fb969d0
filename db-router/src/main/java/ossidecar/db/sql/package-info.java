/**
 * The DB router's SQL statement classifier: {@link ossidecar.db.sql.SqlLexer} turns statement
 * text into {@link ossidecar.db.sql.SqlTokens}, and {@link ossidecar.db.sql.StatementClassifier}
 * turns tokens into a typed {@link ossidecar.db.sql.Classification}: statement kind, where it
 * may run outside a transaction, what it does to the transaction and to session state.
 *
 * <p>Pure functions of the text: no sockets, no server, no logging. The dialect is MariaDB
 * 10.11 as OpenStack (oslo.db over SQLAlchemy and PyMySQL), the {@code mariadb} client,
 * sysbench and Connector/J send it. This is not a parser: it recognises the statement's verb
 * and the few constructs that change where a statement may run, and says "writer" whenever it
 * is not sure.
 *
 * <p>References: the MariaDB manual, "Comment Syntax", "Identifier Names", "String Literals",
 * "SET", "SET STATEMENT", "START TRANSACTION", "SQL statements That Cause an Implicit Commit",
 * "SELECT", "LOCK IN SHARE MODE", "Miscellaneous Functions" (GET_LOCK...), "Sequences".
 */
package ossidecar.db.sql;

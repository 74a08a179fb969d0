package ossidecar.db.galera;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** How the monitor and the election read a JDBC failure. */
final class SqlErrors {

    /** ER_NO_SUCH_TABLE, ER_BAD_DB_ERROR: the writer table is not created yet. */
    private static final Set<Integer> MISSING = Set.of(1146, 1049);
    /**
     * The writer table exists but this account cannot use it: access denied (1044, 1045, 1142,
     * 1143, 1227, 1370), read-only server or table (1290, 1036), a table of another shape (1054,
     * 1364). Waiting does not help; the election falls back at once.
     */
    private static final Set<Integer> UNUSABLE = Set.of(1044, 1045, 1142, 1143, 1227, 1370, 1290, 1036, 1054, 1364);

    private SqlErrors() {
    }

    static boolean isMissingTable(SQLException e) {
        return MISSING.contains(e.getErrorCode());
    }

    static boolean isUnusableTable(SQLException e) {
        return UNUSABLE.contains(e.getErrorCode());
    }

    /** The connection or the node failed, not the statement: the node needs a probe. */
    static boolean isConnectionError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTimeoutException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A read or connect that ran out of time: the node is hung or unreachable. */
    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** One line for logs and {@code /status}: the message, and the root cause when it says more. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = message(e);
        String out = root == e || top.contains(message(root)) ? top : top + " (" + message(root) + ")";
        return out.length() > 300 ? out.substring(0, 300) + "..." : out;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        // Connector/J prefixes the connection id, which would make every repeat of an error look new.
        return m == null || m.isBlank() ? t.getClass().getSimpleName()
                : m.replaceAll("\\(conn=\\d+\\)\\s*", "").replaceAll("\\s+", " ").trim();
    }
}

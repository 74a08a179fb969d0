package ossidecar.db.protocol;

/**
 * Server status flags carried by OK and EOF packets and the initial handshake, named as in
 * MySQL's {@code include/mysql_com.h} ({@code SERVER_STATUS_flags_enum}); the MariaDB manual
 * lists the same values under "OK_Packet", server status flag. The router reads them to know
 * whether a transaction is open and whether more result sets follow.
 */
public final class ServerStatus {
    public static final int SERVER_STATUS_IN_TRANS = 1;
    public static final int SERVER_STATUS_AUTOCOMMIT = 1 << 1;
    /** More result sets follow this OK/EOF (multi-statements, stored procedures). */
    public static final int SERVER_MORE_RESULTS_EXISTS = 1 << 3;
    public static final int SERVER_QUERY_NO_GOOD_INDEX_USED = 1 << 4;
    public static final int SERVER_QUERY_NO_INDEX_USED = 1 << 5;
    /** COM_STMT_EXECUTE opened a cursor: no rows follow until COM_STMT_FETCH. */
    public static final int SERVER_STATUS_CURSOR_EXISTS = 1 << 6;
    /** COM_STMT_FETCH returned the cursor's last row. */
    public static final int SERVER_STATUS_LAST_ROW_SENT = 1 << 7;
    public static final int SERVER_STATUS_DB_DROPPED = 1 << 8;
    public static final int SERVER_STATUS_NO_BACKSLASH_ESCAPES = 1 << 9;
    public static final int SERVER_STATUS_METADATA_CHANGED = 1 << 10;
    public static final int SERVER_QUERY_WAS_SLOW = 1 << 11;
    public static final int SERVER_PS_OUT_PARAMS = 1 << 12;
    public static final int SERVER_STATUS_IN_TRANS_READONLY = 1 << 13;
    /** The OK packet carries session state change information (CLIENT_SESSION_TRACK). */
    public static final int SERVER_SESSION_STATE_CHANGED = 1 << 14;
    /** MariaDB: sql_mode contains ANSI_QUOTES. */
    public static final int SERVER_STATUS_ANSI_QUOTES = 1 << 15;

    private ServerStatus() {
    }

    /** Whether every bit of {@code flag} is set in {@code statusFlags}. */
    public static boolean has(int statusFlags, int flag) {
        return (statusFlags & flag) == flag;
    }

    /** Whether a transaction is open (read-write or read-only). */
    public static boolean inTransaction(int statusFlags) {
        return (statusFlags & SERVER_STATUS_IN_TRANS) != 0;
    }
}

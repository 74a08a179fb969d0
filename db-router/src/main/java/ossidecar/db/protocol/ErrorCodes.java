package ossidecar.db.protocol;

/**
 * Server error codes and their SQLSTATEs for the errors the router itself sends to clients,
 * as in the MariaDB manual, "MariaDB Error Codes". Only server-side codes: client-side codes
 * (2013 lost connection and friends) are produced by client libraries, never sent.
 */
public enum ErrorCodes {
    /** Too many connections. */
    ER_CON_COUNT_ERROR(1040, "08004"),
    /** Bad handshake. */
    ER_HANDSHAKE_ERROR(1043, "08S01"),
    ER_DBACCESS_DENIED_ERROR(1044, "42000"),
    ER_ACCESS_DENIED_ERROR(1045, "28000"),
    /** Unknown command; Galera also answers it while a node is not synced ("WSREP has not yet prepared node"). */
    ER_UNKNOWN_COM_ERROR(1047, "08S01"),
    ER_BAD_DB_ERROR(1049, "42000"),
    ER_SERVER_SHUTDOWN(1053, "08S01"),
    ER_UNKNOWN_ERROR(1105, "HY000"),
    ER_ABORTING_CONNECTION(1152, "08S01"),
    /** A packet exceeded max_allowed_packet. */
    ER_NET_PACKET_TOO_LARGE(1153, "08S01"),
    ER_NET_PACKETS_OUT_OF_ORDER(1156, "08S01"),
    ER_NET_READ_ERROR(1158, "08S01"),
    ER_NET_READ_INTERRUPTED(1159, "08S01"),
    ER_NEW_ABORTING_CONNECTION(1184, "08S01"),
    ER_LOCK_WAIT_TIMEOUT(1205, "HY000"),
    /** The transaction was rolled back; the client may retry it. */
    ER_LOCK_DEADLOCK(1213, "40001"),
    /** The client does not support the authentication method the server asked for. */
    ER_NOT_SUPPORTED_AUTH_MODE(1251, "08004"),
    ER_OPTION_PREVENTS_STATEMENT(1290, "HY000"),
    ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION(1792, "25006"),
    /** MariaDB: the connection was killed. */
    ER_CONNECTION_KILLED(1927, "70100");

    private final int code;
    private final String sqlState;

    ErrorCodes(int code, String sqlState) {
        this.code = code;
        this.sqlState = sqlState;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    /** An ERR packet with this code and SQLSTATE. */
    public ErrPacket packet(String message) {
        return new ErrPacket(code, sqlState, message);
    }
}

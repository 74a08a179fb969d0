package ossidecar.db.protocol;

/**
 * Command bytes: the first payload byte of every packet a client sends in the command phase
 * (MySQL {@code enum_server_command}; MariaDB manual, "Text Protocol" and "Binary Protocol").
 */
public enum CommandType {
    COM_SLEEP(0x00),
    /** The client closes the connection; the server sends nothing. */
    COM_QUIT(0x01, false),
    COM_INIT_DB(0x02),
    COM_QUERY(0x03),
    COM_FIELD_LIST(0x04),
    COM_CREATE_DB(0x05),
    COM_DROP_DB(0x06),
    COM_REFRESH(0x07),
    COM_SHUTDOWN(0x08),
    COM_STATISTICS(0x09),
    COM_PROCESS_INFO(0x0A),
    COM_CONNECT(0x0B),
    COM_PROCESS_KILL(0x0C),
    COM_DEBUG(0x0D),
    COM_PING(0x0E),
    COM_TIME(0x0F),
    COM_DELAYED_INSERT(0x10),
    COM_CHANGE_USER(0x11),
    COM_BINLOG_DUMP(0x12),
    COM_TABLE_DUMP(0x13),
    COM_CONNECT_OUT(0x14),
    COM_REGISTER_SLAVE(0x15),
    COM_STMT_PREPARE(0x16),
    COM_STMT_EXECUTE(0x17),
    /** Appends parameter data; the server sends nothing. */
    COM_STMT_SEND_LONG_DATA(0x18, false),
    /** Deallocates a statement; the server sends nothing. */
    COM_STMT_CLOSE(0x19, false),
    COM_STMT_RESET(0x1A),
    COM_SET_OPTION(0x1B),
    COM_STMT_FETCH(0x1C),
    COM_DAEMON(0x1D),
    COM_BINLOG_DUMP_GTID(0x1E),
    COM_RESET_CONNECTION(0x1F),
    /** MariaDB: array binding (requires MARIADB_CLIENT_STMT_BULK_OPERATIONS). */
    COM_STMT_BULK_EXECUTE(0xFA);

    private static final CommandType[] BY_CODE = new CommandType[256];

    static {
        for (CommandType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final boolean expectsResponse;

    CommandType(int code) {
        this(code, true);
    }

    CommandType(int code, boolean expectsResponse) {
        this.code = code;
        this.expectsResponse = expectsResponse;
    }

    /** The command byte, 0-255. */
    public int code() {
        return code;
    }

    /** Whether the server answers this command at all. */
    public boolean expectsResponse() {
        return expectsResponse;
    }

    /** The command for a first payload byte, or {@code null} for a byte no command uses. */
    public static CommandType of(byte code) {
        return BY_CODE[code & 0xFF];
    }
}

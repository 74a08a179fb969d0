package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Follows a server's response to one command, packet by packet, to tell when it is complete
 * and what the server status flags are afterwards: the router needs both to know when a
 * backend connection is idle again and whether a transaction is open. It only peeks at first
 * bytes, lengths and a few fixed fields, never copies and never moves reader indexes.
 *
 * <p>Shapes followed (MariaDB manual, "Text Protocol", "Binary Protocol", "Result Set
 * Packets"):
 * <ul>
 * <li>OK, ERR, or a result set: column count [+ "metadata follows" byte under
 *     MARIADB_CLIENT_CACHE_METADATA], column definitions, [EOF], rows, EOF or 0xFE OK; any
 *     OK/EOF with SERVER_MORE_RESULTS_EXISTS starts the next result. COM_QUERY may also
 *     answer 0xFB (LOCAL INFILE): the client sends the file and an empty packet, then the
 *     server answers OK or ERR. COM_STMT_EXECUTE answers binary rows, and none at all when
 *     the EOF (or 0xFE OK) after the definitions has SERVER_STATUS_CURSOR_EXISTS.</li>
 * <li>COM_STMT_PREPARE: ERR, or prepare-OK then parameter definitions [EOF] and column
 *     definitions [EOF].</li>
 * <li>COM_STMT_FETCH: rows then EOF/OK, or ERR. COM_FIELD_LIST: definitions then EOF/OK, or ERR.</li>
 * <li>COM_STATISTICS: one text packet. COM_CHANGE_USER: an authentication exchange ending in
 *     OK or ERR.</li>
 * <li>Everything else that is answered: OK, EOF (COM_SET_OPTION, COM_DEBUG on some versions)
 *     or ERR. COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: no response.</li>
 * </ul>
 * An ERR ends any response. ERR packets carry no status flags, so the flags stay as last
 * seen; {@link #lastErrorCode()} lets the caller judge (a deadlock rolls the transaction back).
 * Not thread-safe: one per backend connection, used on its event loop.
 */
public final class ResponseTracker {
    /** Where the response stands after a packet. */
    public enum Progress {
        /** More server packets follow. */
        IN_PROGRESS,
        /** The server waits for client data (LOCAL INFILE contents, an auth switch response). */
        AWAITING_CLIENT,
        /** The response is complete; the connection is idle. */
        COMPLETE
    }

    private enum State {
        IDLE, SIMPLE, STATISTICS, FIRST, COLUMN_DEFS, COLUMNS_EOF, ROWS, LOCAL_INFILE_RESULT,
        PREPARE_OK, PREPARE_PARAMS, PREPARE_PARAMS_EOF, PREPARE_COLUMNS, PREPARE_COLUMNS_EOF,
        FIELD_LIST, AUTH, AUTH_SWITCHED
    }

    private final long capabilities;
    private final boolean deprecateEof;
    private CommandType command;
    private State state = State.IDLE;
    /** Definitions left in the current block. */
    private long remaining;
    /** COM_STMT_PREPARE: column definitions that follow the parameter definitions. */
    private int preparedColumns;
    private int statusFlags;
    private int lastErrorCode;
    /** The last packet was part of a result set's data: column count, column definition or row. */
    private boolean lastData;

    /**
     * @param capabilities the capabilities negotiated on the connection
     * @param statusFlags the status flags known so far (the handshake's, or the last OK's)
     */
    public ResponseTracker(long capabilities, int statusFlags) {
        this.capabilities = capabilities;
        this.deprecateEof = (capabilities & Capabilities.CLIENT_DEPRECATE_EOF) != 0;
        this.statusFlags = statusFlags;
    }

    /**
     * Starts following the response to {@code command}, just sent. Returns
     * {@link Progress#COMPLETE} at once for commands the server does not answer.
     *
     * @throws IllegalStateException if the previous response is not complete
     * @throws IllegalArgumentException for replication commands, whose responses stream
     *     until the connection closes
     */
    public Progress begin(CommandType command) {
        if (state != State.IDLE) {
            throw new IllegalStateException("the " + this.command + " response is not complete (" + state + ")");
        }
        State next = switch (command) {
            case COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA -> State.IDLE;
            case COM_QUERY, COM_STMT_EXECUTE, COM_STMT_BULK_EXECUTE, COM_PROCESS_INFO -> State.FIRST;
            case COM_STMT_FETCH -> State.ROWS;
            case COM_STMT_PREPARE -> State.PREPARE_OK;
            case COM_FIELD_LIST -> State.FIELD_LIST;
            case COM_STATISTICS -> State.STATISTICS;
            case COM_CHANGE_USER -> State.AUTH;
            case COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID, COM_TABLE_DUMP -> throw new IllegalArgumentException(
                    command + " streams replication data until the connection closes: no response boundary to track");
            default -> State.SIMPLE;
        };
        this.command = command;
        this.lastErrorCode = 0;
        this.state = next;
        return progress();
    }

    /**
     * Accounts for one server packet (a joined payload, header excluded).
     *
     * @throws MysqlProtocolException if the packet cannot occur here: the connection is out of
     *     sync and must be closed
     */
    public Progress onPacket(ByteBuf payload) {
        lastData = false;
        int length = payload.readableBytes();
        if (state == State.IDLE) {
            throw new MysqlProtocolException("unexpected server packet of " + length + " bytes: no response pending");
        }
        if (length == 0) {
            if (state != State.STATISTICS) {
                throw new MysqlProtocolException("empty packet in the " + command + " response (" + state + ")");
            }
            state = State.IDLE;
            return progress();
        }
        int first = payload.getUnsignedByte(payload.readerIndex());
        switch (state) {
            case SIMPLE -> onSimple(payload, first, length);
            case STATISTICS -> {
                if (first == ErrPacket.HEADER) {
                    onError(payload);
                } else {
                    state = State.IDLE;
                }
            }
            case FIRST -> onFirst(payload, first, length);
            case COLUMN_DEFS -> onDefinition(payload, first, length, "column definition");
            case COLUMNS_EOF -> onColumnsEof(payload, first, length);
            case ROWS -> onRow(payload, first, length);
            case LOCAL_INFILE_RESULT -> onLocalInfileResult(payload, first, length);
            case PREPARE_OK -> onPrepareOk(payload, first, length);
            case PREPARE_PARAMS -> onDefinition(payload, first, length, "parameter definition");
            case PREPARE_PARAMS_EOF, PREPARE_COLUMNS_EOF -> onPrepareEof(payload, first, length);
            case PREPARE_COLUMNS -> onDefinition(payload, first, length, "column definition");
            case FIELD_LIST -> onFieldList(payload, first, length);
            case AUTH, AUTH_SWITCHED -> onAuth(payload, first);
            default -> throw new IllegalStateException("unhandled state " + state);
        }
        return progress();
    }

    public Progress progress() {
        return switch (state) {
            case IDLE -> Progress.COMPLETE;
            case LOCAL_INFILE_RESULT, AUTH_SWITCHED -> Progress.AWAITING_CLIENT;
            default -> Progress.IN_PROGRESS;
        };
    }

    /**
     * Whether the last packet was a result set's data (column count, column definition, row),
     * not an OK, EOF or ERR: what two nodes must agree on for "the same result".
     */
    public boolean lastPacketWasResultData() {
        return lastData;
    }

    public boolean complete() {
        return state == State.IDLE;
    }

    /** The server status flags as last reported (by an OK or EOF packet, or the constructor). */
    public int statusFlags() {
        return statusFlags;
    }

    public boolean inTransaction() {
        return ServerStatus.inTransaction(statusFlags);
    }

    /** The error code of the ERR that ended the last response, 0 if it did not end in an error. */
    public int lastErrorCode() {
        return lastErrorCode;
    }

    /** The command whose response is (or was last) followed; {@code null} before the first. */
    public CommandType command() {
        return command;
    }

    // ---- states ----

    private void onSimple(ByteBuf payload, int first, int length) {
        switch (ResponseKind.of(first, length, capabilities)) {
            case OK -> endOfResponse(OkPacket.peekStatusFlags(payload, capabilities));
            case EOF -> endOfResponse(EofPacket.peekStatusFlags(payload));
            case ERR -> onError(payload);
            default -> throw unexpected(first, length, "OK, EOF or ERR");
        }
    }

    private void onFirst(ByteBuf payload, int first, int length) {
        switch (ResponseKind.of(first, length, capabilities)) {
            case OK -> endOfResult(OkPacket.peekStatusFlags(payload, capabilities));
            case ERR -> onError(payload);
            case LOCAL_INFILE -> {
                if (command != CommandType.COM_QUERY) {
                    throw unexpected(first, length, "OK, ERR or a result set");
                }
                state = State.LOCAL_INFILE_RESULT;
            }
            case RESULT_SET_HEADER -> onColumnCount(payload, first);
            default -> throw unexpected(first, length, "OK, ERR, LOCAL INFILE or a result set");
        }
    }

    private void onColumnCount(ByteBuf payload, int first) {
        int index = payload.readerIndex();
        long count = Wire.getLengthEncodedInteger(payload, index, "column count");
        if (count <= 0) {
            throw new MysqlProtocolException("column count: " + count + " (expected: > 0)");
        }
        boolean metadataFollows = true;
        if ((capabilities & Capabilities.MARIADB_CLIENT_CACHE_METADATA) != 0) {
            int flagIndex = index + Wire.lengthEncodedIntegerSize(first, "column count");
            if (flagIndex >= payload.writerIndex()) {
                throw new MysqlProtocolException("truncated column count packet: no metadata-follows byte");
            }
            metadataFollows = payload.getByte(flagIndex) != 0;
        }
        remaining = metadataFollows ? count : 0;
        state = State.COLUMN_DEFS;
        lastData = true;
        if (remaining == 0) {
            afterColumnDefinitions();
        }
    }

    private void onDefinition(ByteBuf payload, int first, int length, String what) {
        switch (ResponseKind.ofRow(first, length, capabilities)) {
            case ERR -> {
                onError(payload);
                return;
            }
            case ROW -> lastData = state == State.COLUMN_DEFS;
            default -> throw new MysqlProtocolException("end of " + what + "s with " + remaining
                    + " still expected in the " + command + " response");
        }
        if (--remaining > 0) {
            return;
        }
        switch (state) {
            case COLUMN_DEFS -> afterColumnDefinitions();
            case PREPARE_PARAMS -> {
                if (deprecateEof) {
                    preparedColumns();
                } else {
                    state = State.PREPARE_PARAMS_EOF;
                }
            }
            default -> state = deprecateEof ? State.IDLE : State.PREPARE_COLUMNS_EOF;
        }
    }

    private void afterColumnDefinitions() {
        state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
    }

    private void onColumnsEof(ByteBuf payload, int first, int length) {
        switch (ResponseKind.ofRow(first, length, capabilities)) {
            case EOF -> {
                statusFlags = EofPacket.peekStatusFlags(payload);
                boolean binary = command == CommandType.COM_STMT_EXECUTE || command == CommandType.COM_STMT_BULK_EXECUTE;
                // a cursor was opened: rows come only with COM_STMT_FETCH
                state = binary && ServerStatus.has(statusFlags, ServerStatus.SERVER_STATUS_CURSOR_EXISTS)
                        ? State.IDLE : State.ROWS;
            }
            case ERR -> onError(payload);
            default -> throw unexpected(first, length, "EOF after the column definitions");
        }
    }

    private void onRow(ByteBuf payload, int first, int length) {
        switch (ResponseKind.ofRow(first, length, capabilities)) {
            case ROW -> lastData = true;
            case EOF -> endOfResult(EofPacket.peekStatusFlags(payload));
            // under CLIENT_DEPRECATE_EOF this also ends a cursor's definitions (SERVER_STATUS_CURSOR_EXISTS)
            case OK -> endOfResult(OkPacket.peekStatusFlags(payload, capabilities));
            case ERR -> onError(payload);
            default -> throw unexpected(first, length, "a row, EOF or ERR");
        }
    }

    private void onLocalInfileResult(ByteBuf payload, int first, int length) {
        switch (ResponseKind.of(first, length, capabilities)) {
            case OK -> endOfResult(OkPacket.peekStatusFlags(payload, capabilities));
            case ERR -> onError(payload);
            default -> throw unexpected(first, length, "OK or ERR after LOCAL INFILE data");
        }
    }

    private void onPrepareOk(ByteBuf payload, int first, int length) {
        if (first == ErrPacket.HEADER) {
            onError(payload);
            return;
        }
        if (first != ComStmtPrepareOk.HEADER || length < ComStmtPrepareOk.MIN_LENGTH) {
            throw unexpected(first, length, "prepare OK or ERR");
        }
        int index = payload.readerIndex();
        preparedColumns = payload.getUnsignedShortLE(index + 5);
        int params = payload.getUnsignedShortLE(index + 7);
        if (params > 0) {
            remaining = params;
            state = State.PREPARE_PARAMS;
        } else {
            preparedColumns();
        }
    }

    private void preparedColumns() {
        if (preparedColumns > 0) {
            remaining = preparedColumns;
            state = State.PREPARE_COLUMNS;
        } else {
            state = State.IDLE;
        }
    }

    private void onPrepareEof(ByteBuf payload, int first, int length) {
        if (ResponseKind.ofRow(first, length, capabilities) != ResponseKind.EOF) {
            throw unexpected(first, length, "EOF after the definitions");
        }
        statusFlags = EofPacket.peekStatusFlags(payload);
        if (state == State.PREPARE_PARAMS_EOF) {
            preparedColumns();
        } else {
            state = State.IDLE;
        }
    }

    private void onFieldList(ByteBuf payload, int first, int length) {
        switch (ResponseKind.ofRow(first, length, capabilities)) {
            case ROW -> {
            }
            case EOF -> endOfResponse(EofPacket.peekStatusFlags(payload));
            case OK -> endOfResponse(OkPacket.peekStatusFlags(payload, capabilities));
            case ERR -> onError(payload);
            default -> throw unexpected(first, length, "a column definition, EOF or ERR");
        }
    }

    /** The authentication exchange of COM_CHANGE_USER, where 0xFE is an auth switch request. */
    private void onAuth(ByteBuf payload, int first) {
        switch (first) {
            case OkPacket.HEADER -> endOfResponse(OkPacket.peekStatusFlags(payload, capabilities));
            case ErrPacket.HEADER -> {
                lastErrorCode = ErrPacket.peekErrorCode(payload);
                state = State.IDLE;
            }
            case AuthSwitchRequest.HEADER -> state = State.AUTH_SWITCHED;
            case AuthMoreData.HEADER -> state = State.AUTH;
            default -> throw unexpected(first, payload.readableBytes(), "OK, ERR, auth switch or auth data");
        }
    }

    // ---- endings ----

    private void onError(ByteBuf payload) {
        int code = ErrPacket.peekErrorCode(payload);
        if (code == ErrPacket.PROGRESS_REPORT_CODE && (capabilities & Capabilities.MARIADB_CLIENT_PROGRESS) != 0) {
            return; // a progress report, the response goes on
        }
        lastErrorCode = code;
        state = State.IDLE;
    }

    /** The end of one result; SERVER_MORE_RESULTS_EXISTS announces another. */
    private void endOfResult(int flags) {
        statusFlags = flags;
        state = ServerStatus.has(flags, ServerStatus.SERVER_MORE_RESULTS_EXISTS) ? State.FIRST : State.IDLE;
    }

    private void endOfResponse(int flags) {
        statusFlags = flags;
        state = State.IDLE;
    }

    private MysqlProtocolException unexpected(int first, int length, String expected) {
        return new MysqlProtocolException("unexpected packet (first byte 0x" + Integer.toHexString(first) + ", "
                + length + " bytes) in the " + command + " response: expected " + expected);
    }
}

package ossidecar.db.protocol;

import static ossidecar.db.protocol.ResponseTracker.Progress.AWAITING_CLIENT;
import static ossidecar.db.protocol.ResponseTracker.Progress.COMPLETE;
import static ossidecar.db.protocol.ResponseTracker.Progress.IN_PROGRESS;
import static ossidecar.db.protocol.ServerStatus.SERVER_MORE_RESULTS_EXISTS;
import static ossidecar.db.protocol.ServerStatus.SERVER_STATUS_AUTOCOMMIT;
import static ossidecar.db.protocol.ServerStatus.SERVER_STATUS_CURSOR_EXISTS;
import static ossidecar.db.protocol.ServerStatus.SERVER_STATUS_IN_TRANS;
import static ossidecar.db.protocol.ServerStatus.SERVER_STATUS_LAST_ROW_SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ResponseTrackerTest {
    private static final long CAPS = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_MULTI_STATEMENTS
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_LOCAL_FILES;
    private static final long DEPRECATE = CAPS | Capabilities.CLIENT_DEPRECATE_EOF;
    private static final int AUTOCOMMIT = SERVER_STATUS_AUTOCOMMIT;
    private static final int IN_TRANS = SERVER_STATUS_AUTOCOMMIT | SERVER_STATUS_IN_TRANS;

    // ---- packet builders (payloads only) ----

    private static ByteBuf ok(long caps, int status) {
        return Bufs.write(b -> new OkPacket(1, 0, status, 0).encode(b, caps));
    }

    /** The end of a result set: EOF, or a 0xFE OK under CLIENT_DEPRECATE_EOF. */
    private static ByteBuf end(long caps, int status) {
        if ((caps & Capabilities.CLIENT_DEPRECATE_EOF) != 0) {
            return Bufs.write(b -> new OkPacket(0, 0, status, 0).encodeAsResultSetEnd(b, caps));
        }
        return eof(status);
    }

    private static ByteBuf eof(int status) {
        return Bufs.write(new EofPacket(0, status)::encode);
    }

    private static ByteBuf err(ErrorCodes code) {
        return Bufs.write(b -> code.packet("boom").encode(b, CAPS));
    }

    private static ByteBuf columnCount(long count) {
        return Bufs.write(b -> Wire.writeLengthEncodedInteger(b, count));
    }

    private static ByteBuf columnDefinition(String name) {
        return Bufs.write(b -> {
            Wire.writeLengthEncodedString(b, "def");
            Wire.writeLengthEncodedString(b, "nova");
            Wire.writeLengthEncodedString(b, "instances");
            Wire.writeLengthEncodedString(b, "instances");
            Wire.writeLengthEncodedString(b, name);
            Wire.writeLengthEncodedString(b, name);
            b.writeByte(0x0c).writeShortLE(45).writeIntLE(255).writeByte(0xfd).writeShortLE(0).writeByte(0).writeShortLE(0);
        });
    }

    private static ByteBuf textRow(String... values) {
        return Bufs.write(b -> {
            for (String value : values) {
                if (value == null) {
                    b.writeByte(Wire.NULL_MARKER);
                } else {
                    Wire.writeLengthEncodedString(b, value);
                }
            }
        });
    }

    /** Binary protocol row: 0x00, NULL bitmap, one 4-byte int. */
    private static ByteBuf binaryRow(int value) {
        return Bufs.write(b -> b.writeByte(0).writeByte(0).writeIntLE(value));
    }

    private static ByteBuf localInfile(String file) {
        return Bufs.write(b -> {
            b.writeByte(Wire.NULL_MARKER);
            b.writeCharSequence(file, StandardCharsets.UTF_8);
        });
    }

    private static ByteBuf prepareOk(int columns, int params) {
        return Bufs.write(new ComStmtPrepareOk(1, columns, params, 0)::encode);
    }

    // ---- driving ----

    private static ResponseTracker tracker(long caps) {
        return new ResponseTracker(caps, AUTOCOMMIT);
    }

    /** Feeds one packet, checks the reader index did not move, releases it. */
    private static ResponseTracker.Progress feed(ResponseTracker tracker, ByteBuf packet) {
        int readerIndex = packet.readerIndex();
        try {
            return tracker.onPacket(packet);
        } finally {
            assertEquals(readerIndex, packet.readerIndex(), "the tracker only peeks");
            packet.release();
        }
    }

    /** Every packet but the last leaves the response in progress; the last completes it. */
    private static void assertResponse(ResponseTracker tracker, ByteBuf... packets) {
        for (int i = 0; i < packets.length; i++) {
            ResponseTracker.Progress expected = i == packets.length - 1 ? COMPLETE : IN_PROGRESS;
            assertEquals(expected, feed(tracker, packets[i]), "after packet " + (i + 1) + " of " + packets.length);
        }
        assertTrue(tracker.complete());
    }

    private static long[] bothEofModes() {
        return new long[] {CAPS, DEPRECATE};
    }

    // ---- COM_QUERY ----

    @Test
    void queryAnsweredWithOk() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            assertEquals(IN_PROGRESS, t.begin(CommandType.COM_QUERY));
            assertFalse(t.complete());
            assertResponse(t, ok(caps, IN_TRANS));
            assertEquals(IN_TRANS, t.statusFlags());
            assertTrue(t.inTransaction());
            assertEquals(0, t.lastErrorCode());
        }
    }

    @Test
    void queryAnsweredWithErrKeepsStatus() {
        ResponseTracker t = new ResponseTracker(CAPS, IN_TRANS);
        t.begin(CommandType.COM_QUERY);
        assertResponse(t, err(ErrorCodes.ER_LOCK_DEADLOCK));
        assertEquals(1213, t.lastErrorCode());
        assertEquals(IN_TRANS, t.statusFlags(), "ERR carries no status flags");
    }

    @Test
    void textResultSetWithEof() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        assertResponse(t, columnCount(2), columnDefinition("uuid"), columnDefinition("host"), eof(AUTOCOMMIT),
                textRow("a", "h1"), textRow("b", null), textRow("", "x"), eof(IN_TRANS));
        assertEquals(IN_TRANS, t.statusFlags());
    }

    @Test
    void textResultSetWithDeprecateEof() {
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_QUERY);
        assertResponse(t, columnCount(2), columnDefinition("uuid"), columnDefinition("host"),
                textRow("a", "h1"), textRow(null, "h2"), end(DEPRECATE, IN_TRANS));
        assertEquals(IN_TRANS, t.statusFlags());
    }

    @Test
    void emptyResultSet() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_QUERY);
            if ((caps & Capabilities.CLIENT_DEPRECATE_EOF) != 0) {
                assertResponse(t, columnCount(1), columnDefinition("c"), end(caps, AUTOCOMMIT));
            } else {
                assertResponse(t, columnCount(1), columnDefinition("c"), eof(AUTOCOMMIT), eof(AUTOCOMMIT));
            }
        }
    }

    @Test
    void manyColumnsUseLongerColumnCount() {
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_QUERY);
        int columns = 300;
        ByteBuf[] packets = new ByteBuf[columns + 3];
        packets[0] = columnCount(columns);
        for (int i = 0; i < columns; i++) {
            packets[i + 1] = columnDefinition("c" + i);
        }
        packets[columns + 1] = textRow("x");
        packets[columns + 2] = end(DEPRECATE, AUTOCOMMIT);
        assertResponse(t, packets);
    }

    @Test
    void rowsThatLookLikeEndMarkersAreRows() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_QUERY);
            feed(t, columnCount(1));
            feed(t, columnDefinition("blob"));
            if ((caps & Capabilities.CLIENT_DEPRECATE_EOF) == 0) {
                feed(t, eof(AUTOCOMMIT));
            }
            assertEquals(IN_PROGRESS, feed(t, Bufs.hex("00")), "empty string");
            assertEquals(IN_PROGRESS, feed(t, Bufs.hex("fb")), "NULL");
            // a value of >= 2^24 bytes starts with 0xFE: the packet is at least 0xFFFFFF long
            ByteBuf huge = Unpooled.buffer(MysqlPacket.MAX_FRAGMENT_LENGTH + 9);
            Wire.writeLengthEncodedInteger(huge, MysqlPacket.MAX_FRAGMENT_LENGTH);
            huge.writerIndex(huge.capacity());
            assertEquals(IN_PROGRESS, feed(t, huge));
            assertEquals(COMPLETE, feed(t, end(caps, AUTOCOMMIT)));
        }
    }

    @Test
    void textRowOfNineBytesStartingWithFeIsARowWithoutDeprecateEof() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        feed(t, columnCount(1));
        feed(t, columnDefinition("c"));
        feed(t, eof(AUTOCOMMIT));
        assertEquals(IN_PROGRESS, feed(t, Bufs.hex("fe 0100000000000000 61")));
        assertEquals(COMPLETE, feed(t, eof(AUTOCOMMIT)));
    }

    @Test
    void multipleResultSets() {
        for (long caps : bothEofModes()) {
            boolean deprecate = (caps & Capabilities.CLIENT_DEPRECATE_EOF) != 0;
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_QUERY);
            // SELECT 1; UPDATE ...; SELECT 2
            feed(t, columnCount(1));
            feed(t, columnDefinition("1"));
            if (!deprecate) {
                feed(t, eof(AUTOCOMMIT));
            }
            feed(t, textRow("1"));
            assertEquals(IN_PROGRESS, feed(t, end(caps, AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS)));
            assertEquals(IN_PROGRESS, feed(t, ok(caps, IN_TRANS | SERVER_MORE_RESULTS_EXISTS)));
            assertEquals(IN_TRANS | SERVER_MORE_RESULTS_EXISTS, t.statusFlags());
            feed(t, columnCount(1));
            feed(t, columnDefinition("2"));
            if (!deprecate) {
                feed(t, eof(IN_TRANS));
            }
            feed(t, textRow("2"));
            assertEquals(COMPLETE, feed(t, end(caps, IN_TRANS)));
            assertEquals(IN_TRANS, t.statusFlags());
        }
    }

    @Test
    void errorEndsMultiResultResponse() {
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_QUERY);
        assertResponse(t, ok(DEPRECATE, IN_TRANS | SERVER_MORE_RESULTS_EXISTS), err(ErrorCodes.ER_LOCK_WAIT_TIMEOUT));
        assertEquals(1205, t.lastErrorCode());
        assertEquals(IN_TRANS | SERVER_MORE_RESULTS_EXISTS, t.statusFlags(), "last seen");
    }

    @Test
    void errorInTheMiddleOfRows() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_QUERY);
            feed(t, columnCount(1));
            feed(t, columnDefinition("c"));
            if ((caps & Capabilities.CLIENT_DEPRECATE_EOF) == 0) {
                feed(t, eof(AUTOCOMMIT));
            }
            feed(t, textRow("1"));
            assertEquals(COMPLETE, feed(t, err(ErrorCodes.ER_CONNECTION_KILLED)));
            assertEquals(1927, t.lastErrorCode());
        }
    }

    @Test
    void errorInsteadOfColumnsEof() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        assertResponse(t, columnCount(1), columnDefinition("c"), err(ErrorCodes.ER_UNKNOWN_ERROR));
    }

    @Test
    void localInfile() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_QUERY);
            assertEquals(AWAITING_CLIENT, feed(t, localInfile("/tmp/rows.csv")));
            assertEquals(AWAITING_CLIENT, t.progress(), "until the server answers the client's data");
            assertEquals(COMPLETE, feed(t, ok(caps, IN_TRANS)));
            assertEquals(IN_TRANS, t.statusFlags());
        }
    }

    @Test
    void localInfileRefused() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        assertEquals(AWAITING_CLIENT, feed(t, localInfile("x.csv")));
        assertEquals(COMPLETE, feed(t, err(ErrorCodes.ER_UNKNOWN_ERROR)));
    }

    @Test
    void localInfileWithinMultiStatement() {
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_QUERY);
        assertEquals(IN_PROGRESS, feed(t, ok(DEPRECATE, IN_TRANS | SERVER_MORE_RESULTS_EXISTS)));
        assertEquals(AWAITING_CLIENT, feed(t, localInfile("x.csv")));
        assertEquals(IN_PROGRESS, feed(t, ok(DEPRECATE, IN_TRANS | SERVER_MORE_RESULTS_EXISTS)));
        assertEquals(COMPLETE, feed(t, ok(DEPRECATE, AUTOCOMMIT)));
        assertFalse(t.inTransaction());
    }

    @Test
    void localInfileAfterLocalInfileDataMustBeOkOrErr() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        feed(t, localInfile("x.csv"));
        assertThrows(MysqlProtocolException.class, () -> feed(t, columnCount(1)));
    }

    @Test
    void cacheMetadataSkipsColumnDefinitions() {
        long caps = CAPS | Capabilities.MARIADB_CLIENT_CACHE_METADATA;
        ResponseTracker t = tracker(caps);
        t.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(t, Bufs.hex("02 00"), eof(AUTOCOMMIT), binaryRow(1), eof(AUTOCOMMIT));

        t.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(t, Bufs.hex("02 01"), columnDefinition("a"), columnDefinition("b"), eof(AUTOCOMMIT),
                binaryRow(1), eof(AUTOCOMMIT));

        long deprecate = DEPRECATE | Capabilities.MARIADB_CLIENT_CACHE_METADATA;
        ResponseTracker d = tracker(deprecate);
        d.begin(CommandType.COM_QUERY);
        assertResponse(d, Bufs.hex("01 00"), textRow("x"), end(deprecate, AUTOCOMMIT));
        d.begin(CommandType.COM_QUERY);
        assertThrows(MysqlProtocolException.class, () -> feed(d, Bufs.hex("01")), "metadata-follows byte missing");
    }

    @Test
    void progressReportsDoNotEndTheResponse() {
        long caps = CAPS | Capabilities.MARIADB_CLIENT_PROGRESS;
        ResponseTracker t = tracker(caps);
        t.begin(CommandType.COM_QUERY);
        assertEquals(IN_PROGRESS, feed(t, Bufs.hex("ff ffff 01 01 00 0a0000 00")));
        assertEquals(COMPLETE, feed(t, ok(caps, AUTOCOMMIT)));

        ResponseTracker without = tracker(CAPS);
        without.begin(CommandType.COM_QUERY);
        assertEquals(COMPLETE, feed(without, Bufs.hex("ff ffff 01 01 00 0a0000 00")), "not negotiated: an error");
    }

    // ---- prepared statements ----

    @Test
    void prepareWithParamsAndColumns() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(t, prepareOk(2, 3), columnDefinition("?"), columnDefinition("?"), columnDefinition("?"),
                eof(AUTOCOMMIT), columnDefinition("a"), columnDefinition("b"), eof(IN_TRANS));
        assertEquals(IN_TRANS, t.statusFlags());

        ResponseTracker d = tracker(DEPRECATE);
        d.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(d, prepareOk(2, 3), columnDefinition("?"), columnDefinition("?"), columnDefinition("?"),
                columnDefinition("a"), columnDefinition("b"));
    }

    @Test
    void prepareWithOnlyParamsOrOnlyColumnsOrNeither() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(t, prepareOk(0, 1), columnDefinition("?"), eof(AUTOCOMMIT));
        t.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(t, prepareOk(1, 0), columnDefinition("a"), eof(AUTOCOMMIT));
        t.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(t, prepareOk(0, 0));

        ResponseTracker d = tracker(DEPRECATE);
        d.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(d, prepareOk(0, 1), columnDefinition("?"));
        d.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(d, prepareOk(1, 0), columnDefinition("a"));
    }

    @Test
    void prepareError() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_PREPARE);
        assertResponse(t, err(ErrorCodes.ER_UNKNOWN_ERROR));
        assertEquals(1105, t.lastErrorCode());
    }

    @Test
    void prepareOkTooShortIsMalformed() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_PREPARE);
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> feed(t, Bufs.hex("00 01000000")));
        assertEquals("unexpected packet (first byte 0x0, 5 bytes) in the COM_STMT_PREPARE response: expected prepare OK or ERR",
                e.getMessage());
    }

    @Test
    void missingEofAfterParameterDefinitionsIsDetected() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_PREPARE);
        feed(t, prepareOk(1, 1));
        feed(t, columnDefinition("?"));
        assertThrows(MysqlProtocolException.class, () -> feed(t, columnDefinition("a")));
    }

    @Test
    void executeAnsweredWithOkOrErr() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_STMT_EXECUTE);
            assertResponse(t, ok(caps, IN_TRANS));
            t.begin(CommandType.COM_STMT_EXECUTE);
            assertResponse(t, err(ErrorCodes.ER_LOCK_DEADLOCK));
        }
    }

    @Test
    void executeWithBinaryResultSet() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(t, columnCount(1), columnDefinition("id"), eof(AUTOCOMMIT), binaryRow(1), binaryRow(2),
                eof(AUTOCOMMIT));
        ResponseTracker d = tracker(DEPRECATE);
        d.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(d, columnCount(1), columnDefinition("id"), binaryRow(1), binaryRow(2), end(DEPRECATE, AUTOCOMMIT));
    }

    @Test
    void executeCallWithMultipleResults() {
        // CALL p(): a result set, then the OK of the CALL itself
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(t, columnCount(1), columnDefinition("x"), binaryRow(7),
                end(DEPRECATE, AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS), ok(DEPRECATE, AUTOCOMMIT));
    }

    @Test
    void executeOpeningCursorSendsNoRows() {
        int cursor = IN_TRANS | SERVER_STATUS_CURSOR_EXISTS;
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(t, columnCount(2), columnDefinition("a"), columnDefinition("b"), eof(cursor));
        assertEquals(cursor, t.statusFlags());

        ResponseTracker d = tracker(DEPRECATE);
        d.begin(CommandType.COM_STMT_EXECUTE);
        assertResponse(d, columnCount(2), columnDefinition("a"), columnDefinition("b"), end(DEPRECATE, cursor));
        assertEquals(cursor, d.statusFlags());
    }

    @Test
    void cursorFlagOnTextResultSetDoesNotEndIt() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        assertResponse(t, columnCount(1), columnDefinition("a"), eof(AUTOCOMMIT | SERVER_STATUS_CURSOR_EXISTS),
                textRow("1"), eof(AUTOCOMMIT));
    }

    @Test
    void fetchRowsFromCursor() {
        for (long caps : bothEofModes()) {
            ResponseTracker t = tracker(caps);
            t.begin(CommandType.COM_STMT_FETCH);
            assertResponse(t, binaryRow(1), binaryRow(2), end(caps, IN_TRANS | SERVER_STATUS_CURSOR_EXISTS));
            t.begin(CommandType.COM_STMT_FETCH);
            assertResponse(t, binaryRow(3), end(caps, IN_TRANS | SERVER_STATUS_LAST_ROW_SENT));
            assertTrue(ServerStatus.has(t.statusFlags(), SERVER_STATUS_LAST_ROW_SENT));
            t.begin(CommandType.COM_STMT_FETCH);
            assertResponse(t, err(ErrorCodes.ER_UNKNOWN_ERROR));
        }
    }

    @Test
    void bulkExecuteLikeExecute() {
        ResponseTracker t = tracker(DEPRECATE | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS);
        assertEquals(IN_PROGRESS, t.begin(CommandType.COM_STMT_BULK_EXECUTE));
        assertResponse(t, ok(DEPRECATE, IN_TRANS));
    }

    // ---- other commands ----

    @Test
    void fieldList() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_FIELD_LIST);
        assertResponse(t, columnDefinition("id"), columnDefinition("name"), eof(AUTOCOMMIT));
        t.begin(CommandType.COM_FIELD_LIST);
        assertResponse(t, err(ErrorCodes.ER_BAD_DB_ERROR));
        ResponseTracker d = tracker(DEPRECATE);
        d.begin(CommandType.COM_FIELD_LIST);
        assertResponse(d, columnDefinition("id"), end(DEPRECATE, AUTOCOMMIT));
    }

    @Test
    void statisticsIsOneTextPacket() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STATISTICS);
        assertResponse(t, Bufs.ascii("Uptime: 4242  Threads: 3  Questions: 10  Slow queries: 0  Opens: 17"));
        assertEquals(AUTOCOMMIT, t.statusFlags());
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"COM_PING", "COM_INIT_DB", "COM_RESET_CONNECTION", "COM_SET_OPTION",
            "COM_STMT_RESET", "COM_PROCESS_KILL", "COM_REFRESH", "COM_CREATE_DB", "COM_DROP_DB"})
    void simpleCommandsAnswerOkEofOrErr(CommandType command) {
        ResponseTracker t = tracker(CAPS);
        t.begin(command);
        assertResponse(t, ok(CAPS, IN_TRANS));
        assertEquals(IN_TRANS, t.statusFlags());
        t.begin(command);
        assertResponse(t, eof(AUTOCOMMIT));
        assertEquals(AUTOCOMMIT, t.statusFlags());
        t.begin(command);
        assertResponse(t, err(ErrorCodes.ER_UNKNOWN_COM_ERROR));
        assertEquals(1047, t.lastErrorCode());
    }

    @Test
    void setOptionAnswersFeOkUnderDeprecateEof() {
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_SET_OPTION);
        assertResponse(t, end(DEPRECATE, IN_TRANS));
        assertEquals(IN_TRANS, t.statusFlags());
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"COM_QUIT", "COM_STMT_CLOSE", "COM_STMT_SEND_LONG_DATA"})
    void commandsWithoutResponse(CommandType command) {
        ResponseTracker t = tracker(CAPS);
        assertEquals(COMPLETE, t.begin(command));
        assertTrue(t.complete());
        assertEquals(command, t.command());
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> feed(t, ok(CAPS, AUTOCOMMIT)));
        assertEquals("unexpected server packet of 7 bytes: no response pending", e.getMessage());
        assertEquals(IN_PROGRESS, t.begin(CommandType.COM_PING), "the next command can start");
    }

    @Test
    void changeUserWithAuthSwitch() {
        ResponseTracker t = tracker(DEPRECATE);
        t.begin(CommandType.COM_CHANGE_USER);
        ByteBuf authSwitch = Bufs.write(AuthSwitchRequest.nativePassword(new byte[20])::encode);
        assertEquals(AWAITING_CLIENT, feed(t, authSwitch));
        assertEquals(COMPLETE, feed(t, ok(DEPRECATE, AUTOCOMMIT)));

        t.begin(CommandType.COM_CHANGE_USER);
        assertEquals(IN_PROGRESS, feed(t, Bufs.hex("01 03")), "caching_sha2 fast auth");
        assertEquals(COMPLETE, feed(t, ok(DEPRECATE, AUTOCOMMIT)));

        t.begin(CommandType.COM_CHANGE_USER);
        assertEquals(COMPLETE, feed(t, err(ErrorCodes.ER_ACCESS_DENIED_ERROR)));
        assertEquals(1045, t.lastErrorCode());
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"COM_BINLOG_DUMP", "COM_BINLOG_DUMP_GTID", "COM_TABLE_DUMP"})
    void replicationStreamsAreNotTracked(CommandType command) {
        ResponseTracker t = tracker(CAPS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.begin(command));
        assertTrue(e.getMessage().startsWith(command + " streams replication data"), e.getMessage());
        assertTrue(t.complete(), "still idle");
    }

    // ---- misuse and desynchronization ----

    @Test
    void cannotBeginWhileAResponseIsPending() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.begin(CommandType.COM_PING));
        assertEquals("the COM_QUERY response is not complete (FIRST)", e.getMessage());
    }

    @Test
    void eofAsFirstPacketOfQueryIsADesync() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> feed(t, eof(AUTOCOMMIT)));
        assertEquals("unexpected packet (first byte 0xfe, 5 bytes) in the COM_QUERY response: expected OK, ERR, "
                + "LOCAL INFILE or a result set", e.getMessage());
    }

    @Test
    void prematureEndOfColumnDefinitionsIsADesync() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        feed(t, columnCount(3));
        feed(t, columnDefinition("a"));
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> feed(t, eof(AUTOCOMMIT)));
        assertEquals("end of column definitions with 2 still expected in the COM_QUERY response", e.getMessage());
    }

    @Test
    void localInfileOutsideQueryIsADesync() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_STMT_EXECUTE);
        assertThrows(MysqlProtocolException.class, () -> feed(t, localInfile("x")));
    }

    @Test
    void emptyPacketIsADesync() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> feed(t, Unpooled.buffer()));
        assertEquals("empty packet in the COM_QUERY response (FIRST)", e.getMessage());
    }

    @Test
    void truncatedColumnCountIsMalformed() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_QUERY);
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> feed(t, Bufs.hex("fc 0a")));
        assertEquals("truncated column count: needs 3 bytes, has 2", e.getMessage());
    }

    @Test
    void truncatedOkIsMalformed() {
        ResponseTracker t = tracker(CAPS);
        t.begin(CommandType.COM_PING);
        assertThrows(MysqlProtocolException.class, () -> feed(t, Bufs.hex("00 00 00")));
    }

    @Test
    void statusFlagsFollowConsecutiveCommands() {
        ResponseTracker t = tracker(DEPRECATE);
        assertFalse(t.inTransaction());
        t.begin(CommandType.COM_QUERY);
        feed(t, ok(DEPRECATE, IN_TRANS)); // BEGIN
        assertTrue(t.inTransaction());
        t.begin(CommandType.COM_QUERY);
        feed(t, columnCount(1));
        feed(t, columnDefinition("x"));
        feed(t, textRow("1"));
        feed(t, end(DEPRECATE, IN_TRANS));
        assertTrue(t.inTransaction());
        t.begin(CommandType.COM_QUERY);
        feed(t, ok(DEPRECATE, AUTOCOMMIT)); // COMMIT
        assertFalse(t.inTransaction());
        assertEquals(CommandType.COM_QUERY, t.command());
    }
}

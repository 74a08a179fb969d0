package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.Endpoint;
import ossidecar.db.protocol.Capabilities;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.MysqlPacket;
import ossidecar.db.protocol.ResponseTracker;
import ossidecar.db.protocol.ServerStatus;

/**
 * The digest of an answer and the replay that compares them, on an embedded channel playing
 * the writer: a text result set (column count, one definition, EOF, rows, EOF) under the
 * classic protocol.
 */
class TransactionReplayTest {
    private static final long CAPS = Capabilities.CLIENT_PROTOCOL_41;
    private static final int IN_TRANS = ServerStatus.SERVER_STATUS_IN_TRANS;

    /** A one-column text result set with {@code rows}, its EOFs carrying {@code status}. */
    private static List<ByteBuf> resultSet(int status, String... rows) {
        List<ByteBuf> out = new ArrayList<>();
        out.add(Unpooled.wrappedBuffer(new byte[] {1}));
        out.add(lenenc("def", "nova", "t", "t", "v", "v"));
        out.add(eof(status));
        for (String r : rows) {
            out.add(lenenc(r));
        }
        out.add(eof(status));
        return out;
    }

    private static ByteBuf lenenc(String... values) {
        ByteBuf b = Unpooled.buffer();
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            b.writeByte(bytes.length).writeBytes(bytes);
        }
        return b;
    }

    private static ByteBuf eof(int status) {
        return Unpooled.buffer().writeByte(0xFE).writeShortLE(0).writeShortLE(status);
    }

    private static ResultDigest.Result digest(List<ByteBuf> packets) {
        ResponseTracker tracker = new ResponseTracker(CAPS, 0);
        tracker.begin(CommandType.COM_QUERY);
        ResultDigest d = new ResultDigest();
        for (ByteBuf p : packets) {
            tracker.onPacket(p);
            if (tracker.lastPacketWasResultData()) {
                d.data(p);
            }
        }
        assertTrue(tracker.complete());
        d.error(tracker.lastErrorCode());
        return d.finish();
    }

    private static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[text.length + 1];
        p[0] = (byte) CommandType.COM_QUERY.code();
        System.arraycopy(text, 0, p, 1, text.length);
        return p;
    }

    @Test
    void theSameRowsDigestTheSameWhateverTheStatusFlagsAndDifferentRowsDoNot() {
        ResultDigest.Result reader = digest(resultSet(0, "a", "b"));
        assertTrue(reader.sameAs(digest(resultSet(IN_TRANS, "a", "b"))), "status flags are not the result");
        assertFalse(reader.sameAs(digest(resultSet(0, "a", "c"))));
        assertFalse(reader.sameAs(digest(resultSet(0, "a"))));
        assertFalse(reader.sameAs(digest(resultSet(0, "ab"))), "packet boundaries count");
        assertEquals(1 + (4 + 5 + 4 * 2) + 2 + 2, reader.bytes(), "the count, the definition and the rows");
    }

    @Test
    void theReplayLogIsBoundedByStatementsAndResultBytes() {
        ReplayLog log = new ReplayLog(false);
        log.add(query("SELECT 1"), digest(resultSet(0, "a")));
        assertTrue(log.hasRoom(2, 1000));
        assertFalse(log.hasRoom(1, 1000));
        assertFalse(log.hasRoom(2, log.resultBytes()));
    }

    private record Writer(EmbeddedChannel channel, BackendConnection conn) {
    }

    private static Writer writer() {
        EmbeddedChannel ch = new EmbeddedChannel();
        return new Writer(ch, new BackendConnection(ch, new BackendNode("galera-1", new Endpoint("127.0.0.1", 3306)),
                CAPS, "nova", 45, ServerStatus.SERVER_STATUS_AUTOCOMMIT, "nova"));
    }

    /** Runs the replay, answering each statement the writer receives with the next of {@code answers}. */
    private static TransactionReplay.Outcome replay(ReplayLog log, boolean autocommit, List<String> expectedSql,
                                                    List<List<ByteBuf>> answers) throws Exception {
        Writer w = writer();
        CompletableFuture<TransactionReplay.Outcome> done = TransactionReplay.run(w.conn(), log, autocommit,
                Duration.ofSeconds(5));
        w.channel().runPendingTasks();
        List<String> seen = new ArrayList<>();
        for (List<ByteBuf> answer : answers) {
            MysqlPacket sent = w.channel().readOutbound();
            seen.add(sent.payload().toString(1, sent.payload().readableBytes() - 1, StandardCharsets.UTF_8));
            sent.release();
            for (ByteBuf b : answer) {
                w.channel().writeInbound(new MysqlPacket(1, b));
            }
            w.channel().runPendingTasks();
        }
        assertEquals(expectedSql, seen);
        assertTrue(done.isDone(), "the replay ended");
        assertNull(w.channel().pipeline().get(TransactionReplay.NAME), "the replay left the pipeline");
        return done.get();
    }

    private static List<ByteBuf> ok(int status) {
        return List.of(Unpooled.buffer().writeByte(0).writeByte(0).writeByte(0).writeShortLE(status).writeShortLE(0));
    }

    @Test
    void equalAnswersLetTheTransactionGoOnAndAnAutocommitSessionGetsItsStartFirst() throws Exception {
        ReplayLog log = new ReplayLog(false);
        log.add(query("SELECT v FROM t WHERE id = 1"), digest(resultSet(0, "a")));
        log.add(query("SELECT v FROM t WHERE id = 2"), digest(resultSet(0, "b")));
        TransactionReplay.Outcome o = replay(log, true,
                List.of("START TRANSACTION", "SELECT v FROM t WHERE id = 1", "SELECT v FROM t WHERE id = 2"),
                List.of(ok(IN_TRANS), resultSet(IN_TRANS, "a"), resultSet(IN_TRANS, "b")));
        assertTrue(o.same());
        assertEquals(2, o.statements());
    }

    @Test
    void aDifferentAnswerStopsTheReplayAndSaysWhere() throws Exception {
        ReplayLog log = new ReplayLog(true);
        log.add(query("BEGIN"), digest(List.of(Unpooled.buffer().writeByte(0).writeByte(0).writeByte(0)
                .writeShortLE(IN_TRANS).writeShortLE(0))));
        log.add(query("SELECT v FROM t WHERE id = 1"), digest(resultSet(0, "a")));
        log.add(query("SELECT v FROM t WHERE id = 2"), digest(resultSet(0, "b")));
        // autocommit on, but the log starts with the client's own BEGIN: no START TRANSACTION of the router's
        TransactionReplay.Outcome o = replay(log, true, List.of("BEGIN", "SELECT v FROM t WHERE id = 1"),
                List.of(ok(IN_TRANS), resultSet(IN_TRANS, "changed")));
        assertFalse(o.same());
        assertEquals(2, o.statements());
        assertEquals("SELECT v FROM t WHERE id = 1", o.differedAt());
    }

    @Test
    void aLostWriterFailsTheReplay() {
        ReplayLog log = new ReplayLog(false);
        log.add(query("SELECT 1"), digest(resultSet(0, "1")));
        Writer w = writer();
        CompletableFuture<TransactionReplay.Outcome> done = TransactionReplay.run(w.conn(), log, false,
                Duration.ofSeconds(5));
        w.channel().runPendingTasks();
        w.channel().close();
        w.channel().runPendingTasks();
        assertTrue(done.isCompletedExceptionally());
        try {
            done.get();
        } catch (ExecutionException | InterruptedException e) {
            assertTrue(String.valueOf(e.getCause()).contains("closed during the transaction's replay"), e.toString());
        }
    }
}

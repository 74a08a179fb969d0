package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ossidecar.db.protocol.CommandType;

class PreparedStatementsTest {
    private final PreparedStatements ps = new PreparedStatements();
    /** Two backend connections, as identities: the first one, and the one after a move. */
    private final Object first = new Object();
    private final Object second = new Object();
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    private static byte[] sql(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** COM_STMT_EXECUTE of a 2-parameter statement; {@code types} null: new-params-bound flag 0. */
    private static ByteBuf execute(int id, byte[] types, byte[] values) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(CommandType.COM_STMT_EXECUTE.code()).writeIntLE(id).writeByte(0).writeIntLE(1);
        b.writeByte(0); // null bitmap for 2 parameters
        b.writeByte(types == null ? 0 : 1);
        if (types != null) {
            b.writeBytes(types);
        }
        return b.writeBytes(values);
    }

    @Test
    void beforeAnyMoveIdsAndPacketsPassUnchanged() {
        assertEquals(7, ps.prepared(sql("SELECT ?"), 1, 7, null, first));
        ByteBuf close = Unpooled.buffer().writeByte(CommandType.COM_STMT_CLOSE.code()).writeIntLE(7);
        assertSame(close, ps.toBackend(CommandType.COM_STMT_CLOSE, close, alloc, first));
        assertEquals(0, ps.size(), "closed statements are forgotten");
    }

    @Test
    void afterAMoveTheClientsIdsMapToTheNewBackendsAndTheTypesComeBack() {
        byte[] types = {3, 0, (byte) 253, 0};
        byte[] values = {1, 0, 0, 0, 1, 'x'};
        assertEquals(1, ps.prepared(sql("UPDATE t SET a=? WHERE b=?"), 2, 1, null, first));
        ByteBuf firstExecute = execute(1, types, values);
        assertSame(firstExecute, ps.toBackend(CommandType.COM_STMT_EXECUTE, firstExecute, alloc, first),
                "types recorded, nothing rewritten");

        List<PreparedStatements.Reprepare> again = ps.missingOn(second);
        assertEquals(1, again.size());
        assertEquals("UPDATE t SET a=? WHERE b=?", new String(again.get(0).sql(), StandardCharsets.UTF_8));
        assertEquals(List.of(), ps.missingOn(first), "the first connection has it");
        ps.reprepared(1, 40, second);
        assertEquals(Map.of(1, 40), ps.mapping(second));
        assertEquals(Map.of(1, 1), ps.mapping(first), "each connection keeps its own id");

        ByteBuf later = execute(1, null, values);
        ByteBuf sent = ps.toBackend(CommandType.COM_STMT_EXECUTE, later, alloc, second);
        assertEquals(ByteBufUtil.hexDump(execute(40, types, values)), ByteBufUtil.hexDump(sent),
                "id 40 on the new backend, with the types it never saw");
        ByteBuf next = execute(1, null, values);
        assertEquals(ByteBufUtil.hexDump(execute(40, null, values)),
                ByteBufUtil.hexDump(ps.toBackend(CommandType.COM_STMT_EXECUTE, next, alloc, second)), "types only once");
        ByteBuf back = execute(1, null, values);
        assertSame(back, ps.toBackend(CommandType.COM_STMT_EXECUTE, back, alloc, first),
                "back on the first connection: its id, and it has the types");
    }

    @Test
    void aStatementPreparedAfterAMoveGetsAClientIdThatCannotCollide() {
        ps.prepared(sql("SELECT 1"), 0, 1, null, first);
        ps.prepared(sql("SELECT 2"), 0, 2, null, first);
        ps.missingOn(second);
        ps.reprepared(1, 5, second);
        ps.reprepared(2, 6, second);
        assertEquals(3, ps.prepared(sql("SELECT 3"), 0, 1, null, second), "the second backend's 1; the client gets 3");
        assertEquals(Map.of(1, 5, 2, 6, 3, 1), ps.mapping(second));
        assertEquals(Map.of(1, 1, 2, 2, 3, -1), ps.mapping(first));
        assertEquals(List.of(3), ps.missingOn(first).stream().map(PreparedStatements.Reprepare::clientId).toList());
    }

    @Test
    void aStatementNeverPreparedOnAConnectionIsSentThereAsIdZeroNotAsSomeoneElses() {
        ps.prepared(sql("SELECT 1"), 0, 1, null, first);
        ps.missingOn(second); // and never prepared there
        ByteBuf exec = Unpooled.buffer().writeByte(CommandType.COM_STMT_EXECUTE.code()).writeIntLE(1).writeByte(0)
                .writeIntLE(1);
        assertEquals(0, ps.toBackend(CommandType.COM_STMT_EXECUTE, exec, alloc, second).getIntLE(1));
    }

    @Test
    void typesSentInAnExecuteTheRouterAnsweredItselfAreStillPutBack() {
        byte[] types = {3, 0, (byte) 253, 0};
        byte[] values = {1, 0, 0, 0, 1, 'x'};
        ps.prepared(sql("UPDATE t SET a=? WHERE b=?"), 2, 1, null, first);
        ps.noteTypes(execute(1, types, values)); // answered 1213 by the router, never sent
        ps.missingOn(second);
        ps.reprepared(1, 9, second);
        assertEquals(ByteBufUtil.hexDump(execute(9, types, values)),
                ByteBufUtil.hexDump(ps.toBackend(CommandType.COM_STMT_EXECUTE, execute(1, null, values), alloc, second)),
                "the client will not send the types again: the router does");
        assertEquals(ByteBufUtil.hexDump(execute(1, types, values)),
                ByteBufUtil.hexDump(ps.toBackend(CommandType.COM_STMT_EXECUTE, execute(1, null, values), alloc, first)),
                "nor had the first connection seen them");
    }

    @Test
    void aResetConnectionForgetsItsStatements() {
        ps.prepared(sql("SELECT 1"), 0, 1, null, first);
        ps.forget(first);
        assertEquals(1, ps.missingOn(first).size());
        assertEquals(-1, ps.idOn(1, first));
    }

    @Test
    void anExecuteNamesTheKindOfItsStatement() {
        ps.prepared(sql("COMMIT"), 0, 5, new ossidecar.db.sql.StatementClassifier().classify("COMMIT"), first);
        ByteBuf exec = Unpooled.buffer().writeByte(CommandType.COM_STMT_EXECUTE.code()).writeIntLE(5).writeByte(0)
                .writeIntLE(1);
        assertEquals(ossidecar.db.sql.StatementKind.COMMIT, ps.kindOf(exec));
        assertEquals(null, ps.kindOf(Unpooled.buffer().writeByte(CommandType.COM_STMT_EXECUTE.code()).writeIntLE(6)));
    }

    @Test
    void anUnknownIdPassesForTheBackendToAnswer() {
        ByteBuf reset = Unpooled.buffer().writeByte(CommandType.COM_STMT_RESET.code()).writeIntLE(99);
        assertSame(reset, ps.toBackend(CommandType.COM_STMT_RESET, reset, alloc, first));
    }
}

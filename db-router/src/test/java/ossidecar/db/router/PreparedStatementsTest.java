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
        assertEquals(7, ps.prepared(sql("SELECT ?"), 1, 7));
        ByteBuf close = Unpooled.buffer().writeByte(CommandType.COM_STMT_CLOSE.code()).writeIntLE(7);
        assertSame(close, ps.toBackend(CommandType.COM_STMT_CLOSE, close, alloc));
        assertEquals(0, ps.size(), "closed statements are forgotten");
    }

    @Test
    void afterAMoveTheClientsIdsMapToTheNewBackendsAndTheTypesComeBack() {
        byte[] types = {3, 0, (byte) 253, 0};
        byte[] values = {1, 0, 0, 0, 1, 'x'};
        assertEquals(1, ps.prepared(sql("UPDATE t SET a=? WHERE b=?"), 2, 1));
        ByteBuf first = execute(1, types, values);
        assertSame(first, ps.toBackend(CommandType.COM_STMT_EXECUTE, first, alloc), "types recorded, nothing rewritten");

        List<PreparedStatements.Reprepare> again = ps.movedToNewBackend();
        assertEquals(1, again.size());
        assertEquals("UPDATE t SET a=? WHERE b=?", new String(again.get(0).sql(), StandardCharsets.UTF_8));
        ps.reprepared(1, 40);
        assertEquals(Map.of(1, 40), ps.mapping());

        ByteBuf later = execute(1, null, values);
        ByteBuf sent = ps.toBackend(CommandType.COM_STMT_EXECUTE, later, alloc);
        assertEquals(ByteBufUtil.hexDump(execute(40, types, values)), ByteBufUtil.hexDump(sent),
                "id 40 on the new backend, with the types it never saw");
        ByteBuf next = execute(1, null, values);
        assertEquals(ByteBufUtil.hexDump(execute(40, null, values)),
                ByteBufUtil.hexDump(ps.toBackend(CommandType.COM_STMT_EXECUTE, next, alloc)), "types only once");
    }

    @Test
    void aStatementPreparedAfterAMoveGetsAClientIdThatCannotCollide() {
        ps.prepared(sql("SELECT 1"), 0, 1);
        ps.prepared(sql("SELECT 2"), 0, 2);
        ps.movedToNewBackend();
        ps.reprepared(1, 1);
        ps.reprepared(2, 2);
        assertEquals(3, ps.prepared(sql("SELECT 3"), 0, 1), "the new backend reuses 1; the client gets 3");
        assertEquals(Map.of(1, 1, 2, 2, 3, 1), ps.mapping());
    }

    @Test
    void anExecuteNamesTheKindOfItsStatement() {
        ps.prepared(sql("COMMIT"), 0, 5, ossidecar.db.sql.StatementKind.COMMIT);
        ByteBuf exec = Unpooled.buffer().writeByte(CommandType.COM_STMT_EXECUTE.code()).writeIntLE(5).writeByte(0)
                .writeIntLE(1);
        assertEquals(ossidecar.db.sql.StatementKind.COMMIT, ps.kindOf(exec));
        assertEquals(null, ps.kindOf(Unpooled.buffer().writeByte(CommandType.COM_STMT_EXECUTE.code()).writeIntLE(6)));
    }

    @Test
    void anUnknownIdPassesForTheBackendToAnswer() {
        ByteBuf reset = Unpooled.buffer().writeByte(CommandType.COM_STMT_RESET.code()).writeIntLE(99);
        assertSame(reset, ps.toBackend(CommandType.COM_STMT_RESET, reset, alloc));
    }
}

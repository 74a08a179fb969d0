package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import ossidecar.db.protocol.CommandType;
import ossidecar.db.protocol.ErrPacket;
import ossidecar.db.sql.StatementKind;

class CertificationRetryTest {
    private final CertificationRetry three = new CertificationRetry(3);

    @Test
    void anAutocommitWriteOutsideATransactionIsEligible() {
        for (StatementKind k : new StatementKind[] {StatementKind.INSERT, StatementKind.UPDATE, StatementKind.DELETE,
                StatementKind.REPLACE}) {
            assertTrue(three.eligible(CommandType.COM_QUERY, k, false, true, 100, false), k.name());
            assertTrue(three.eligible(CommandType.COM_STMT_EXECUTE, k, false, true, 100, false), "prepared " + k);
        }
    }

    @Test
    void insideATransactionTheClientRetriesTheWholeTransaction() {
        assertFalse(three.eligible(CommandType.COM_QUERY, StatementKind.UPDATE, true, true, 100, false));
        assertFalse(three.eligible(CommandType.COM_QUERY, StatementKind.UPDATE, false, false, 100, false),
                "autocommit=0: the statement opens a transaction the client owns");
    }

    @Test
    void readsCommitsAndOtherCommandsAreNotRetried() {
        assertFalse(three.eligible(CommandType.COM_QUERY, StatementKind.SELECT, false, true, 100, false));
        assertFalse(three.eligible(CommandType.COM_QUERY, StatementKind.COMMIT, false, true, 100, false));
        assertFalse(three.eligible(CommandType.COM_QUERY, StatementKind.CALL, false, true, 100, false),
                "a procedure may commit part of its work");
        assertFalse(three.eligible(CommandType.COM_QUERY, null, false, true, 100, false));
        assertFalse(three.eligible(CommandType.COM_STMT_PREPARE, StatementKind.UPDATE, false, true, 100, false));
    }

    @Test
    void largeStatementsAndLongDataExecutesAreNotRetried() {
        assertTrue(three.eligible(CommandType.COM_QUERY, StatementKind.INSERT, false, true,
                CertificationRetry.MAX_PACKET_BYTES, false));
        assertFalse(three.eligible(CommandType.COM_QUERY, StatementKind.INSERT, false, true,
                CertificationRetry.MAX_PACKET_BYTES + 1, false));
        assertFalse(three.eligible(CommandType.COM_STMT_EXECUTE, StatementKind.INSERT, false, true, 100, true));
    }

    @Test
    void zeroRetriesDisablesIt() {
        assertFalse(new CertificationRetry(0).eligible(CommandType.COM_QUERY, StatementKind.UPDATE, false, true, 10, false));
        assertThrows(IllegalArgumentException.class, () -> new CertificationRetry(-1));
    }

    @Test
    void onlyErr1213IsAConflict() {
        assertTrue(CertificationRetry.isConflict(err(1213)));
        assertFalse(CertificationRetry.isConflict(err(1205)), "lock wait timeout");
        assertFalse(CertificationRetry.isConflict(err(1062)), "duplicate key");
        ByteBuf ok = Unpooled.wrappedBuffer(new byte[] {0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00});
        assertFalse(CertificationRetry.isConflict(ok));
        assertFalse(CertificationRetry.isConflict(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF})), "truncated");
    }

    @Test
    void aStatementIsSentAgainUpToTheCountWithGrowingJitteredPauses() {
        CertificationRetry.Attempts a = three.start();
        long first = a.conflicted();
        long second = a.conflicted();
        long third = a.conflicted();
        assertTrue(first >= 10 && first <= 30, "first pause 20 ms +-50%: " + first);
        assertTrue(second >= 20 && second <= 60, "second 40 ms +-50%: " + second);
        assertTrue(third >= 40 && third <= 120, "third 80 ms +-50%: " + third);
        assertEquals(-1, a.conflicted(), "the fourth 1213 goes to the client");
        assertEquals(4, a.conflicts());
    }

    @Test
    void eachStatementHasItsOwnCount() {
        CertificationRetry.Attempts a = three.start();
        a.conflicted();
        a.answered();
        CertificationRetry.Attempts b = three.start();
        for (int i = 0; i < 3; i++) {
            assertTrue(b.conflicted() >= 0, "try " + i);
        }
    }

    private static ByteBuf err(int code) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(ErrPacket.HEADER).writeShortLE(code).writeByte('#').writeBytes("40001".getBytes()).writeBytes("x".getBytes());
        return b;
    }
}

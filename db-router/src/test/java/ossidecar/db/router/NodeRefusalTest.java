package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import ossidecar.db.protocol.Capabilities;
import ossidecar.db.protocol.ErrPacket;

class NodeRefusalTest {
    private static ByteBuf err(int code, String state, String message) {
        ByteBuf b = Unpooled.buffer();
        new ErrPacket(code, state, message).encode(b, Capabilities.CLIENT_PROTOCOL_41);
        return b;
    }

    @Test
    void wsrepNotReadyIsTheNodes() {
        ByteBuf p = err(1047, "08S01", "WSREP has not yet prepared node for application use");
        assertTrue(NodeRefusal.refusedByNode(p));
        assertEquals("left the cluster (1047, WSREP not ready)", NodeRefusal.describe(p));
    }

    @Test
    void aCommitRefusedOutsideThePrimaryComponentIsTheNodes() {
        // as MariaDB 10.11 with galera-4 answered a COMMIT while the cluster re-formed
        ByteBuf p = err(1180, "HY000", "Error while appending streaming replication fragment(provider status: "
                + "Not connected to Primary Component)");
        assertTrue(NodeRefusal.refusedByNode(p));
        assertEquals("was not in the primary component at COMMIT (1180)", NodeRefusal.describe(p));
    }

    @Test
    void otherCommitErrorsAndStatementErrorsAreTheStatements() {
        assertFalse(NodeRefusal.refusedByNode(err(1180, "HY000", "Got error 28 \"No space left on device\" during COMMIT")));
        assertFalse(NodeRefusal.refusedByNode(err(1213, "40001", "Deadlock found when trying to get lock")));
        assertFalse(NodeRefusal.refusedByNode(err(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'")));
    }

    @Test
    void notAnErrorOrTooShortIsNoRefusal() {
        assertFalse(NodeRefusal.refusedByNode(Unpooled.wrappedBuffer(new byte[] {0x00, 0x00, 0x00, 0x02, 0x00})));
        assertFalse(NodeRefusal.refusedByNode(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, 0x04})));
        assertFalse(NodeRefusal.refusedByNode(Unpooled.buffer()));
    }
}

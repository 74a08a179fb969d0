package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class OkPacketPatchTest {
    private static final long CAPS = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;

    @Test
    void theStatusFlagsAreRewrittenInPlaceAndNothingElse() {
        // affected rows 300 (3-byte lenenc), insert id 70000 (4-byte lenenc): the flags sit past both
        OkPacket ok = new OkPacket(300, 70_000,
                ServerStatus.SERVER_STATUS_IN_TRANS | ServerStatus.SERVER_STATUS_AUTOCOMMIT, 2);
        ByteBuf b = Unpooled.buffer();
        ok.encode(b, CAPS);
        OkPacket.patchStatusFlags(b, CAPS, ServerStatus.SERVER_STATUS_AUTOCOMMIT);
        OkPacket back = OkPacket.decode(b.duplicate(), CAPS);
        assertEquals(300, back.affectedRows());
        assertEquals(70_000, back.lastInsertId());
        assertEquals(2, back.warnings());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, back.statusFlags());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, OkPacket.peekStatusFlags(b, CAPS));
    }
}

package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AuthSwitchRequest, AuthMoreData, COM_CHANGE_USER and the prepare-OK packet. */
class AuthPacketsTest {
    private static final byte[] SEED = "0123456789abcdefghij".getBytes();

    @Test
    void nativePasswordSwitchCarriesSeedAndNul() {
        AuthSwitchRequest request = AuthSwitchRequest.nativePassword(SEED);
        ByteBuf buf = Bufs.write(request::encode);
        assertEquals("fe" + Bufs.hexOf(Bufs.ascii("mysql_native_password")) + "00" + Bufs.hexOf(Bufs.ascii("0123456789abcdefghij")) + "00",
                Bufs.hexOf(buf));
        AuthSwitchRequest decoded = AuthSwitchRequest.decode(buf);
        assertFalse(buf.isReadable());
        assertEquals(NativePassword.PLUGIN_NAME, decoded.pluginName());
        assertEquals(21, decoded.pluginData().length);
        assertArrayEquals(SEED, decoded.authSeed());
    }

    @Test
    void switchToOtherPluginKeepsDataAsIs() {
        AuthSwitchRequest request = new AuthSwitchRequest("client_ed25519", new byte[] {1, 2, 3});
        AuthSwitchRequest decoded = AuthSwitchRequest.decode(Bufs.write(request::encode));
        assertEquals("client_ed25519", decoded.pluginName());
        assertArrayEquals(new byte[] {1, 2, 3}, decoded.authSeed());
    }

    @Test
    void malformedSwitch() {
        assertEquals("old authentication switch request (mysql_old_password) is not supported",
                assertThrows(MysqlProtocolException.class, () -> AuthSwitchRequest.decode(Bufs.hex("fe"))).getMessage());
        assertEquals("unterminated auth switch plugin name: no NUL byte in the remaining 3 bytes",
                assertThrows(MysqlProtocolException.class, () -> AuthSwitchRequest.decode(Bufs.hex("fe 616263"))).getMessage());
        assertEquals("auth switch request header: 0x0 (expected: 0xfe)",
                assertThrows(MysqlProtocolException.class, () -> AuthSwitchRequest.decode(Bufs.hex("00 00"))).getMessage());
    }

    @Test
    void authMoreData() {
        // caching_sha2_password "fast auth success"
        AuthMoreData data = AuthMoreData.decode(Bufs.hex("01 03"));
        assertArrayEquals(new byte[] {3}, data.data());
        assertEquals("0103", Bufs.hexOf(Bufs.write(data::encode)));
        assertEquals("auth more data header: 0xfe (expected: 0x01)",
                assertThrows(MysqlProtocolException.class, () -> AuthMoreData.decode(Bufs.hex("fe 03"))).getMessage());
    }

    @Test
    void roundTripsChangeUser() {
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_PLUGIN_AUTH
                | Capabilities.CLIENT_CONNECT_ATTRS;
        ComChangeUser change = new ComChangeUser("glance", SEED, "glance", Charsets.UTF8MB4_GENERAL_CI,
                NativePassword.PLUGIN_NAME, Map.of("_client_name", "libmariadb"));
        ByteBuf buf = Bufs.write(b -> change.encode(b, caps));
        assertEquals(0x11, buf.getUnsignedByte(0));
        ComChangeUser decoded = ComChangeUser.decode(buf, caps);
        assertFalse(buf.isReadable());
        assertEquals("glance", decoded.username());
        assertArrayEquals(SEED, decoded.authResponse());
        assertEquals("glance", decoded.database());
        assertEquals(45, decoded.charset());
        assertEquals(NativePassword.PLUGIN_NAME, decoded.authPluginName());
        assertEquals(Map.of("_client_name", "libmariadb"), decoded.connectAttributes());
    }

    @Test
    void decodesMinimalChangeUser() {
        // old clients stop after the database
        ByteBuf buf = Bufs.hex("11 726f6f7400 00 00");
        ComChangeUser decoded = ComChangeUser.decode(buf, Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION);
        assertEquals("root", decoded.username());
        assertEquals(0, decoded.authResponse().length);
        assertEquals("", decoded.database());
        assertEquals(0, decoded.charset());
        assertNull(decoded.authPluginName());
    }

    @Test
    void malformedChangeUser() {
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION;
        assertEquals("command: 0x3 (expected: 0x11 COM_CHANGE_USER)",
                assertThrows(MysqlProtocolException.class, () -> ComChangeUser.decode(Bufs.hex("03 00"), caps)).getMessage());
        assertEquals("truncated auth response: needs 20 bytes, has 2",
                assertThrows(MysqlProtocolException.class, () -> ComChangeUser.decode(Bufs.hex("11 6100 14 0102"), caps)).getMessage());
    }

    @Test
    void roundTripsPrepareOk() {
        ComStmtPrepareOk ok = new ComStmtPrepareOk(0xFFFFFFFEL, 3, 2, 1);
        ByteBuf buf = Bufs.write(ok::encode);
        assertEquals("00" + "feffffff" + "0300" + "0200" + "00" + "0100", Bufs.hexOf(buf));
        assertEquals(ok, ComStmtPrepareOk.decode(buf));
        assertEquals(new ComStmtPrepareOk(1, 0, 0, 0), ComStmtPrepareOk.decode(Bufs.hex("00 01000000 0000 0000")),
                "warnings are optional");
        assertEquals("truncated number of parameters: needs 2 bytes, has 1",
                assertThrows(MysqlProtocolException.class, () -> ComStmtPrepareOk.decode(Bufs.hex("00 01000000 0000 00"))).getMessage());
    }
}

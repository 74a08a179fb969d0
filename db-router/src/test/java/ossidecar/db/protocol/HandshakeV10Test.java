package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HandshakeV10Test {
    /** A MariaDB 10.11 greeting as sent on the wire (payload only), built byte by byte. */
    static final String MARIADB_10_11 = ""
            + "0a352e352e352d31302e31312e362d4d6172696144422d313a31302e31312e36"
            + "2b6d617269617e75627532323034002a0000003e2f5d6c484a7b2100fef72d02"
            + "00ff81150000000000001d00000052382c4f775e3a596b316047006d7973716c"
            + "5f6e61746976655f70617373776f726400";

    private static final byte[] SEED = HexFormat.of().parseHex("3e2f5d6c484a7b21" + "52382c4f775e3a596b316047");

    @Test
    void decodesMariaDbGreeting() {
        ByteBuf buf = Bufs.hex(MARIADB_10_11);
        HandshakeV10 hs = HandshakeV10.decode(buf);
        assertFalse(buf.isReadable());
        assertEquals("5.5.5-10.11.6-MariaDB-1:10.11.6+maria~ubu2204", hs.serverVersion());
        assertEquals(42, hs.connectionId());
        assertArrayEquals(SEED, hs.authSeed());
        assertEquals(0x0000001D_81FFF7FEL, hs.capabilities());
        assertTrue(hs.mariaDb());
        assertTrue(Capabilities.has(hs.capabilities(), Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS));
        assertTrue(Capabilities.has(hs.capabilities(), Capabilities.MARIADB_CLIENT_CACHE_METADATA));
        assertTrue(Capabilities.has(hs.capabilities(), Capabilities.CLIENT_DEPRECATE_EOF));
        assertFalse(Capabilities.has(hs.capabilities(), Capabilities.CLIENT_SSL));
        assertEquals(Charsets.UTF8MB4_GENERAL_CI, hs.charset());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, hs.statusFlags());
        assertEquals(NativePassword.PLUGIN_NAME, hs.authPluginName());
    }

    @Test
    void reEncodesMariaDbGreetingByteForByte() {
        HandshakeV10 hs = HandshakeV10.decode(Bufs.hex(MARIADB_10_11));
        ByteBuf out = Bufs.write(hs::encode);
        assertEquals(MARIADB_10_11, Bufs.hexOf(out));
    }

    @Test
    void mysqlServerIgnoresReservedBytes() {
        long caps = Capabilities.CLIENT_MYSQL | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.CLIENT_PLUGIN_AUTH;
        HandshakeV10 hs = new HandshakeV10("8.0.36", 7, SEED, caps, 255, 2, "caching_sha2_password");
        ByteBuf buf = Bufs.write(hs::encode);
        // garbage in the reserved bytes must not turn into capabilities when CLIENT_MYSQL is set
        int reservedExtended = 1 + 7 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6;
        buf.setIntLE(reservedExtended, 0x7FFFFFFF);
        HandshakeV10 decoded = HandshakeV10.decode(buf);
        assertEquals(caps, decoded.capabilities());
        assertFalse(decoded.mariaDb());
        assertEquals("caching_sha2_password", decoded.authPluginName());
    }

    @Test
    void roundTripsWithoutPluginAuth() {
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION;
        HandshakeV10 hs = new HandshakeV10("10.6.1-MariaDB", 0xFFFFFFFFL, SEED, caps, 33, 0, null);
        ByteBuf buf = Bufs.write(hs::encode);
        HandshakeV10 decoded = HandshakeV10.decode(buf);
        assertFalse(buf.isReadable());
        assertEquals(0xFFFFFFFFL, decoded.connectionId(), "unsigned connection id");
        assertArrayEquals(SEED, decoded.authSeed());
        assertNull(decoded.authPluginName());
        assertEquals(caps, decoded.capabilities());
    }

    @Test
    void roundTripsLongerSeed() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i + 1);
        }
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_PLUGIN_AUTH;
        HandshakeV10 decoded = HandshakeV10.decode(Bufs.write(new HandshakeV10("v", 1, seed, caps, 45, 0, "p")::encode));
        assertArrayEquals(seed, decoded.authSeed());
    }

    @Test
    void toleratesPluginNameWithoutNul() {
        ByteBuf buf = Bufs.hex(MARIADB_10_11);
        buf.writerIndex(buf.writerIndex() - 1);
        assertEquals(NativePassword.PLUGIN_NAME, HandshakeV10.decode(buf).authPluginName());
    }

    @Test
    void errInsteadOfGreetingBecomesServerException() {
        ByteBuf buf = Bufs.write(b -> ErrorCodes.ER_CON_COUNT_ERROR.packet("Too many connections").encode(b, 0));
        MysqlServerException e = assertThrows(MysqlServerException.class, () -> HandshakeV10.decode(buf));
        assertEquals(1040, e.errorCode());
        assertEquals("HY000", e.sqlState(), "no SQLSTATE before the protocol is agreed");
        assertEquals("Too many connections", e.serverMessage());
    }

    @Test
    void rejectsOtherProtocolVersions() {
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> HandshakeV10.decode(Bufs.hex("09 3400")));
        assertEquals("protocol version: 9 (expected: 10)", e.getMessage());
    }

    @Test
    void truncatedGreetingIsMalformed() {
        ByteBuf buf = Bufs.hex(MARIADB_10_11.substring(0, 2 * 60));
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> HandshakeV10.decode(buf));
        assertTrue(e.getMessage().startsWith("truncated "), e.getMessage());
    }

    @Test
    void validatesSeedLength() {
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HandshakeV10("v", 1, new byte[10], caps, 45, 0, null));
        assertEquals("auth seed length: 10 (expected: 20-254)", e.getMessage());
        assertThrows(NullPointerException.class,
                () -> new HandshakeV10("v", 1, SEED, caps | Capabilities.CLIENT_PLUGIN_AUTH, 45, 0, null));
    }
}

package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeResponse41Test {
    /** A response as MariaDB Connector/J sends it to a MariaDB server (payload only). */
    static final String CONNECTOR_J = ""
            + "08a2be01000000402d000000000000000000000000000000000000000c000000"
            + "6e6f766100144142434445464748494a4b4c4d4e4f50515253546e6f7661006d"
            + "7973716c5f6e61746976655f70617373776f726400370c5f636c69656e745f6e"
            + "616d65134d61726961444220436f6e6e6563746f722f4a0f5f636c69656e745f"
            + "76657273696f6e05332e352e37";
    private static final long ALL = -1L;
    private static final long BASE = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_TRANSACTIONS;

    private static byte[] auth20() {
        byte[] auth = new byte[20];
        for (int i = 0; i < 20; i++) {
            auth[i] = (byte) (0x41 + i);
        }
        return auth;
    }

    @Test
    void decodesConnectorJResponse() {
        ByteBuf buf = Bufs.hex(CONNECTOR_J);
        HandshakeResponse41 r = HandshakeResponse41.decode(buf, ALL & ~Capabilities.CLIENT_MYSQL);
        assertFalse(buf.isReadable());
        assertEquals(0x0000000C_01BEA208L, r.capabilities());
        assertTrue(Capabilities.has(r.capabilities(), Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS));
        assertEquals(0x40000000L, r.maxPacketSize());
        assertEquals(Charsets.UTF8MB4_GENERAL_CI, r.charset());
        assertEquals("nova", r.username());
        assertArrayEquals(auth20(), r.authResponse());
        assertEquals("nova", r.database());
        assertEquals(NativePassword.PLUGIN_NAME, r.authPluginName());
        assertEquals(Map.of("_client_name", "MariaDB Connector/J", "_client_version", "3.5.7"), r.connectAttributes());
        assertEquals(CONNECTOR_J, Bufs.hexOf(Bufs.write(r::encode)), "re-encodes byte for byte");
    }

    @Test
    void layoutFollowsOnlyCapabilitiesTheServerOffered() {
        // the server did not offer CONNECT_ATTRS: trailing attributes are not read
        long offered = ALL & ~Capabilities.CLIENT_MYSQL & ~Capabilities.CLIENT_CONNECT_ATTRS;
        HandshakeResponse41 r = HandshakeResponse41.decode(Bufs.hex(CONNECTOR_J), offered);
        assertEquals(Map.of(), r.connectAttributes());
        assertTrue(Capabilities.has(r.capabilities(), Capabilities.CLIENT_CONNECT_ATTRS), "declared flags are kept");
    }

    @Test
    void mysqlServerDoesNotReadExtendedCapabilities() {
        HandshakeResponse41 r = HandshakeResponse41.decode(Bufs.hex(CONNECTOR_J), ALL);
        assertEquals(0x01BEA208L, r.capabilities());
    }

    @Test
    void roundTripsWithSecureConnectionLength() {
        HandshakeResponse41 r = new HandshakeResponse41(BASE | Capabilities.CLIENT_MYSQL, 16_777_216, 33, "keystone",
                auth20(), null, NativePassword.PLUGIN_NAME, Map.of());
        ByteBuf buf = Bufs.write(r::encode);
        assertEquals(20, buf.getUnsignedByte(32 + "keystone".length() + 1), "1-byte auth length");
        HandshakeResponse41 decoded = HandshakeResponse41.decode(buf, ALL);
        assertFalse(buf.isReadable());
        assertEquals(r.capabilities(), decoded.capabilities());
        assertEquals("keystone", decoded.username());
        assertArrayEquals(auth20(), decoded.authResponse());
        assertNull(decoded.database());
        assertEquals(NativePassword.PLUGIN_NAME, decoded.authPluginName());
    }

    @Test
    void roundTripsWithLengthEncodedAuthDatabaseAndAttributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("_os", "Linux");
        attributes.put("program_name", "cinder-volume");
        long caps = BASE | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.CLIENT_CONNECT_WITH_DB
                | Capabilities.CLIENT_CONNECT_ATTRS | Capabilities.MARIADB_CLIENT_CACHE_METADATA;
        byte[] longAuth = new byte[300];
        HandshakeResponse41 r = new HandshakeResponse41(caps, 1 << 30, 224, "cinder", longAuth, "cinder", "dialog",
                attributes);
        ByteBuf buf = Bufs.write(r::encode);
        HandshakeResponse41 decoded = HandshakeResponse41.decode(buf, ALL & ~Capabilities.CLIENT_MYSQL);
        assertFalse(buf.isReadable());
        assertEquals(caps, decoded.capabilities());
        assertEquals(300, decoded.authResponse().length);
        assertEquals("cinder", decoded.database());
        assertEquals("dialog", decoded.authPluginName());
        assertEquals(attributes, decoded.connectAttributes());
        assertEquals(Charsets.UTF8MB4_UNICODE_CI, decoded.charset());
    }

    @Test
    void roundTripsEmptyPasswordAndNulTerminatedAuth() {
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_MYSQL;
        HandshakeResponse41 r = new HandshakeResponse41(caps, 0, 8, "anon", new byte[0], null, null, Map.of());
        HandshakeResponse41 decoded = HandshakeResponse41.decode(Bufs.write(r::encode), ALL);
        assertEquals(0, decoded.authResponse().length);
        assertEquals("anon", decoded.username());
        assertNull(decoded.authPluginName());
    }

    @Test
    void refusesTooLongAuthWithoutLengthEncoding() {
        HandshakeResponse41 r = new HandshakeResponse41(BASE, 0, 8, "u", new byte[256], null, "p", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.encode(Bufs.write(b -> { })));
        assertEquals("auth response length: 256 (expected: <= 255 without CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)",
                e.getMessage());
    }

    @Test
    void detectsSslRequest() {
        ByteBuf ssl = Bufs.hex(CONNECTOR_J.substring(0, 64));
        ssl.setIntLE(0, (int) (ssl.getIntLE(0) | Capabilities.CLIENT_SSL));
        assertEquals(32, ssl.readableBytes());
        assertTrue(HandshakeResponse41.isSslRequest(ssl));
        assertEquals(0, ssl.readerIndex());
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> HandshakeResponse41.decode(ssl, ALL));
        assertEquals("unterminated user name: no NUL byte in the remaining 0 bytes", e.getMessage());

        assertFalse(HandshakeResponse41.isSslRequest(Bufs.hex(CONNECTOR_J)), "a full response");
        assertFalse(HandshakeResponse41.isSslRequest(Bufs.hex(CONNECTOR_J.substring(0, 64))), "no CLIENT_SSL");
    }

    @Test
    void rejectsPre41Clients() {
        ByteBuf buf = Bufs.hex("8da40000 00000001 08" + "00".repeat(23) + "726f6f7400 00");
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class, () -> HandshakeResponse41.decode(buf, ALL));
        assertEquals("client capability flags: 0xa48d lack CLIENT_PROTOCOL_41 (pre-4.1 clients are not supported)",
                e.getMessage());
    }

    @Test
    void truncatedAuthResponseIsMalformed() {
        ByteBuf full = Bufs.hex(CONNECTOR_J);
        ByteBuf buf = full.slice(0, 32 + 5 + 1 + 10);
        MysqlProtocolException e = assertThrows(MysqlProtocolException.class,
                () -> HandshakeResponse41.decode(buf, ALL & ~Capabilities.CLIENT_MYSQL));
        assertEquals("truncated auth response: length 20 exceeds the 10 remaining bytes", e.getMessage());
    }

    @Test
    void toStringHidesAuthResponse() {
        HandshakeResponse41 r = HandshakeResponse41.decode(Bufs.hex(CONNECTOR_J), ALL);
        assertTrue(r.toString().contains("authResponse=(20 bytes)"), r.toString());
    }
}

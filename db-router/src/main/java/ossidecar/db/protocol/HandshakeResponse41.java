package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Objects;

/**
 * The client's handshake response, 4.1 protocol (MariaDB manual, "Connection", Handshake
 * response packet): capabilities, max packet size, collation, 19 reserved bytes then 4 bytes
 * of MariaDB extended capabilities (when the client clears CLIENT_MYSQL), user name, auth
 * response (length-encoded under CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA, 1-byte length under
 * CLIENT_SECURE_CONNECTION, else NUL-terminated), then database, auth plugin name and
 * connection attributes when their capability is set.
 *
 * <p>The router decodes its clients' responses and encodes its own to backends. The array and
 * the map are not copied; attributes are written in the map's iteration order.
 *
 * @param capabilities what the client declared, extended capabilities in bits 32-63
 * @param database {@code null} without CLIENT_CONNECT_WITH_DB
 * @param authPluginName {@code null} without CLIENT_PLUGIN_AUTH
 */
public record HandshakeResponse41(long capabilities, long maxPacketSize, int charset, String username,
                                  byte[] authResponse, String database, String authPluginName,
                                  Map<String, String> connectAttributes) {
    /** An SSLRequest is exactly the fixed part of a handshake response. */
    public static final int SSL_REQUEST_LENGTH = 32;
    private static final int RESERVED_LENGTH = 19;

    public HandshakeResponse41 {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(authResponse, "authResponse");
        Objects.requireNonNull(connectAttributes, "connectAttributes");
    }

    /**
     * Whether {@code payload} is an SSLRequest: the 32-byte fixed part alone, with CLIENT_SSL,
     * sent before the client starts TLS. Reads in place.
     */
    public static boolean isSslRequest(ByteBuf payload) {
        return payload.readableBytes() == SSL_REQUEST_LENGTH
                && (payload.getUnsignedIntLE(payload.readerIndex()) & Capabilities.CLIENT_SSL) != 0;
    }

    /**
     * Decodes a response to a handshake that offered {@code serverCapabilities}. The layout is
     * read with the client's flags limited to those offered, as servers do ("Disable those bits
     * which are not supported by the server", Bug#27944); {@link #capabilities()} keeps what
     * the client declared.
     */
    public static HandshakeResponse41 decode(ByteBuf buf, long serverCapabilities) {
        long declared = Wire.readUnsignedIntLE(buf, "client capability flags");
        if ((declared & Capabilities.CLIENT_PROTOCOL_41) == 0) {
            throw new MysqlProtocolException("client capability flags: 0x" + Long.toHexString(declared)
                    + " lack CLIENT_PROTOCOL_41 (pre-4.1 clients are not supported)");
        }
        long maxPacketSize = Wire.readUnsignedIntLE(buf, "max packet size");
        int charset = Wire.readUnsignedByte(buf, "character set");
        Wire.skipBytes(buf, RESERVED_LENGTH, "reserved");
        long extended = Wire.readUnsignedIntLE(buf, "MariaDB extended capabilities");
        if ((declared & Capabilities.CLIENT_MYSQL) == 0 && (serverCapabilities & Capabilities.CLIENT_MYSQL) == 0) {
            declared |= extended << 32;
        }
        long effective = declared & serverCapabilities;
        String username = Wire.readNulTerminatedString(buf, "user name");
        byte[] authResponse;
        if ((effective & Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            authResponse = Wire.readLengthEncodedBytes(buf, "auth response");
        } else if ((effective & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            authResponse = Wire.readBytes(buf, Wire.readUnsignedByte(buf, "auth response length"), "auth response");
        } else {
            authResponse = Wire.readNulTerminatedBytes(buf, "auth response");
        }
        String database = null;
        if ((effective & Capabilities.CLIENT_CONNECT_WITH_DB) != 0) {
            database = Wire.readNulTerminatedString(buf, "database");
        }
        String plugin = null;
        if ((effective & Capabilities.CLIENT_PLUGIN_AUTH) != 0 && buf.isReadable()) {
            plugin = Wire.readNulTerminatedStringOrRest(buf);
        }
        Map<String, String> attributes = Map.of();
        if ((effective & Capabilities.CLIENT_CONNECT_ATTRS) != 0 && buf.isReadable()) {
            attributes = Wire.readConnectAttributes(buf);
        }
        return new HandshakeResponse41(declared, maxPacketSize, charset, username, authResponse, database, plugin,
                attributes);
    }

    /** Writes the response laid out by {@link #capabilities()} (already limited to what the server offered). */
    public void encode(ByteBuf out) {
        out.writeIntLE((int) capabilities);
        out.writeIntLE((int) maxPacketSize);
        out.writeByte(charset);
        out.writeZero(RESERVED_LENGTH);
        out.writeIntLE((capabilities & Capabilities.CLIENT_MYSQL) == 0 ? (int) (capabilities >>> 32) : 0);
        Wire.writeNulTerminatedString(out, username);
        if ((capabilities & Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            Wire.writeLengthEncodedBytes(out, authResponse);
        } else if ((capabilities & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            if (authResponse.length > 0xFF) {
                throw new IllegalArgumentException("auth response length: " + authResponse.length
                        + " (expected: <= 255 without CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)");
            }
            out.writeByte(authResponse.length).writeBytes(authResponse);
        } else {
            out.writeBytes(authResponse).writeByte(0);
        }
        if ((capabilities & Capabilities.CLIENT_CONNECT_WITH_DB) != 0) {
            Wire.writeNulTerminatedString(out, database == null ? "" : database);
        }
        if ((capabilities & Capabilities.CLIENT_PLUGIN_AUTH) != 0) {
            Wire.writeNulTerminatedString(out, authPluginName == null ? "" : authPluginName);
        }
        if ((capabilities & Capabilities.CLIENT_CONNECT_ATTRS) != 0) {
            Wire.writeConnectAttributes(out, connectAttributes);
        }
    }

    @Override
    public String toString() {
        // the auth response is a password equivalent: never printed
        return "HandshakeResponse41[capabilities=0x" + Long.toHexString(capabilities) + ", maxPacketSize="
                + maxPacketSize + ", charset=" + charset + ", username=" + username + ", authResponse=("
                + authResponse.length + " bytes), database=" + database + ", authPluginName=" + authPluginName
                + ", connectAttributes=" + connectAttributes + "]";
    }
}

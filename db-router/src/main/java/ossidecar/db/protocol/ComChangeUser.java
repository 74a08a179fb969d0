package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Objects;

/**
 * COM_CHANGE_USER (MariaDB manual, "COM_CHANGE_USER"): 0x11, user name, auth response (1-byte
 * length under CLIENT_SECURE_CONNECTION, even with the length-encoded capability, else
 * NUL-terminated), database; then, if the packet goes on, the collation (2 bytes), the auth
 * plugin name under CLIENT_PLUGIN_AUTH and connection attributes under CLIENT_CONNECT_ATTRS.
 *
 * @param charset 0 when the client did not send one
 * @param authPluginName {@code null} when absent
 */
public record ComChangeUser(String username, byte[] authResponse, String database, int charset,
                            String authPluginName, Map<String, String> connectAttributes) {

    public ComChangeUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(authResponse, "authResponse");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(connectAttributes, "connectAttributes");
    }

    /** Decodes a COM_CHANGE_USER payload, command byte included, laid out by the negotiated {@code capabilities}. */
    public static ComChangeUser decode(ByteBuf buf, long capabilities) {
        int command = Wire.readUnsignedByte(buf, "command");
        if (command != CommandType.COM_CHANGE_USER.code()) {
            throw new MysqlProtocolException("command: 0x" + Integer.toHexString(command)
                    + " (expected: 0x11 COM_CHANGE_USER)");
        }
        String username = Wire.readNulTerminatedString(buf, "user name");
        byte[] authResponse;
        if ((capabilities & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            authResponse = Wire.readBytes(buf, Wire.readUnsignedByte(buf, "auth response length"), "auth response");
        } else {
            authResponse = Wire.readNulTerminatedBytes(buf, "auth response");
        }
        String database = Wire.readNulTerminatedString(buf, "database");
        int charset = 0;
        String plugin = null;
        Map<String, String> attributes = Map.of();
        if (buf.isReadable()) {
            charset = Wire.readUnsignedShortLE(buf, "character set");
            if ((capabilities & Capabilities.CLIENT_PLUGIN_AUTH) != 0 && buf.isReadable()) {
                plugin = Wire.readNulTerminatedStringOrRest(buf);
            }
            if ((capabilities & Capabilities.CLIENT_CONNECT_ATTRS) != 0 && buf.isReadable()) {
                attributes = Wire.readConnectAttributes(buf);
            }
        }
        return new ComChangeUser(username, authResponse, database, charset, plugin, attributes);
    }

    public void encode(ByteBuf out, long capabilities) {
        out.writeByte(CommandType.COM_CHANGE_USER.code());
        Wire.writeNulTerminatedString(out, username);
        if ((capabilities & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            if (authResponse.length > 0xFF) {
                throw new IllegalArgumentException("auth response length: " + authResponse.length + " (expected: <= 255)");
            }
            out.writeByte(authResponse.length).writeBytes(authResponse);
        } else {
            out.writeBytes(authResponse).writeByte(0);
        }
        Wire.writeNulTerminatedString(out, database);
        out.writeShortLE(charset);
        if ((capabilities & Capabilities.CLIENT_PLUGIN_AUTH) != 0) {
            Wire.writeNulTerminatedString(out, authPluginName == null ? "" : authPluginName);
        }
        if ((capabilities & Capabilities.CLIENT_CONNECT_ATTRS) != 0) {
            Wire.writeConnectAttributes(out, connectAttributes);
        }
    }

    @Override
    public String toString() {
        return "ComChangeUser[username=" + username + ", authResponse=(" + authResponse.length + " bytes), database="
                + database + ", charset=" + charset + ", authPluginName=" + authPluginName + ", connectAttributes="
                + connectAttributes + "]";
    }
}

package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Authentication switch request (MariaDB manual, "Connection", Authentication switch
 * request): 0xFE, the plugin name NUL-terminated, then the plugin data to the end of the
 * packet. For {@code mysql_native_password} the data is a new 20-byte seed and a NUL.
 */
public record AuthSwitchRequest(String pluginName, byte[] pluginData) {
    public static final int HEADER = 0xFE;

    public AuthSwitchRequest {
        Objects.requireNonNull(pluginName, "pluginName");
        Objects.requireNonNull(pluginData, "pluginData");
    }

    /** A switch to {@code mysql_native_password} with a fresh seed. */
    public static AuthSwitchRequest nativePassword(byte[] seed) {
        byte[] data = Arrays.copyOf(seed, seed.length + 1);
        return new AuthSwitchRequest(NativePassword.PLUGIN_NAME, data);
    }

    public static AuthSwitchRequest decode(ByteBuf buf) {
        int header = Wire.readUnsignedByte(buf, "auth switch request header");
        if (header != HEADER) {
            throw new MysqlProtocolException("auth switch request header: 0x" + Integer.toHexString(header)
                    + " (expected: 0xfe)");
        }
        if (!buf.isReadable()) {
            // the pre-4.1 "old auth switch request" asks for mysql_old_password, which the router refuses
            throw new MysqlProtocolException("old authentication switch request (mysql_old_password) is not supported");
        }
        String plugin = Wire.readNulTerminatedString(buf, "auth switch plugin name");
        return new AuthSwitchRequest(plugin, Wire.readRestAsBytes(buf));
    }

    public void encode(ByteBuf out) {
        out.writeByte(HEADER);
        Wire.writeNulTerminatedString(out, pluginName);
        out.writeBytes(pluginData);
    }

    /** The plugin data without the trailing NUL servers append to a seed. */
    public byte[] authSeed() {
        int length = pluginData.length;
        if (length > 0 && pluginData[length - 1] == 0) {
            return Arrays.copyOf(pluginData, length - 1);
        }
        return pluginData.clone();
    }

    @Override
    public String toString() {
        return "AuthSwitchRequest[pluginName=" + pluginName + ", pluginData=(" + pluginData.length + " bytes)]";
    }
}

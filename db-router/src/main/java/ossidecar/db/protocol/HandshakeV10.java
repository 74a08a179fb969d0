package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * The server's initial handshake, protocol version 10 (MariaDB manual, "Connection", Initial
 * handshake packet). The auth seed travels in two parts, 8 bytes and the rest (at least 12)
 * followed by a NUL. Capabilities travel in two 16-bit halves; a MariaDB server clears
 * CLIENT_MYSQL and puts its extended capabilities in 4 of the 10 reserved bytes, which land in
 * bits 32-63 of {@link #capabilities()}.
 *
 * <p>The router decodes its backends' handshakes and encodes its own to clients. The arrays are
 * not copied.
 *
 * @param authPluginName {@code null} when CLIENT_PLUGIN_AUTH is not set
 */
public record HandshakeV10(String serverVersion, long connectionId, byte[] authSeed, long capabilities,
                           int charset, int statusFlags, String authPluginName) {
    public static final int PROTOCOL_VERSION = 10;
    private static final int SEED_PART1_LENGTH = 8;
    private static final int MIN_SEED_PART2_LENGTH = 12;
    private static final int RESERVED_LENGTH = 6;

    public HandshakeV10 {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(authSeed, "authSeed");
        boolean secure = (capabilities & Capabilities.CLIENT_SECURE_CONNECTION) != 0;
        int minSeed = secure ? SEED_PART1_LENGTH + MIN_SEED_PART2_LENGTH : SEED_PART1_LENGTH;
        int maxSeed = secure ? 254 : SEED_PART1_LENGTH;
        if (authSeed.length < minSeed || authSeed.length > maxSeed) {
            throw new IllegalArgumentException("auth seed length: " + authSeed.length + " (expected: "
                    + minSeed + "-" + maxSeed + ")");
        }
        if ((capabilities & Capabilities.CLIENT_PLUGIN_AUTH) != 0) {
            Objects.requireNonNull(authPluginName, "authPluginName (CLIENT_PLUGIN_AUTH is set)");
        }
    }

    /**
     * Decodes a handshake; a server that refuses the connection up front (too many
     * connections, host blocked) sends an ERR packet instead, which becomes a
     * {@link MysqlServerException}.
     */
    public static HandshakeV10 decode(ByteBuf buf) {
        if (buf.isReadable() && buf.getUnsignedByte(buf.readerIndex()) == ErrPacket.HEADER) {
            throw ErrPacket.decode(buf).toException();
        }
        int protocol = Wire.readUnsignedByte(buf, "protocol version");
        if (protocol != PROTOCOL_VERSION) {
            throw new MysqlProtocolException("protocol version: " + protocol + " (expected: " + PROTOCOL_VERSION + ")");
        }
        String serverVersion = Wire.readNulTerminatedString(buf, "server version");
        long connectionId = Wire.readUnsignedIntLE(buf, "connection id");
        byte[] seedPart1 = Wire.readBytes(buf, SEED_PART1_LENGTH, "auth seed part 1");
        Wire.skipBytes(buf, 1, "filler");
        long capabilities = Wire.readUnsignedShortLE(buf, "capability flags");
        int charset = Wire.readUnsignedByte(buf, "character set");
        int statusFlags = Wire.readUnsignedShortLE(buf, "status flags");
        capabilities |= (long) Wire.readUnsignedShortLE(buf, "capability flags (upper)") << 16;
        int authDataLength = Wire.readUnsignedByte(buf, "auth plugin data length");
        Wire.skipBytes(buf, RESERVED_LENGTH, "reserved");
        long extended = Wire.readUnsignedIntLE(buf, "MariaDB extended capabilities");
        if ((capabilities & Capabilities.CLIENT_MYSQL) == 0) {
            capabilities |= extended << 32;
        }
        byte[] seed = seedPart1;
        if ((capabilities & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            // the announced length counts both parts and the NUL after part 2
            int part2Length = Math.max(MIN_SEED_PART2_LENGTH, authDataLength - SEED_PART1_LENGTH - 1);
            seed = Arrays.copyOf(seedPart1, SEED_PART1_LENGTH + part2Length);
            Wire.require(buf, part2Length + 1, "auth seed part 2");
            buf.readBytes(seed, SEED_PART1_LENGTH, part2Length);
            buf.skipBytes(1);
        }
        String plugin = null;
        if ((capabilities & Capabilities.CLIENT_PLUGIN_AUTH) != 0) {
            plugin = Wire.readNulTerminatedStringOrRest(buf);
        }
        return new HandshakeV10(serverVersion, connectionId, seed, capabilities, charset, statusFlags, plugin);
    }

    public void encode(ByteBuf out) {
        out.writeByte(PROTOCOL_VERSION);
        Wire.writeNulTerminatedString(out, serverVersion);
        out.writeIntLE((int) connectionId);
        out.writeBytes(authSeed, 0, SEED_PART1_LENGTH);
        out.writeByte(0);
        out.writeShortLE((int) capabilities);
        out.writeByte(charset);
        out.writeShortLE(statusFlags);
        out.writeShortLE((int) (capabilities >>> 16));
        boolean pluginAuth = (capabilities & Capabilities.CLIENT_PLUGIN_AUTH) != 0;
        out.writeByte(pluginAuth ? authSeed.length + 1 : 0);
        out.writeZero(RESERVED_LENGTH);
        out.writeIntLE(mariaDb() ? (int) (capabilities >>> 32) : 0);
        if ((capabilities & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
            out.writeBytes(authSeed, SEED_PART1_LENGTH, authSeed.length - SEED_PART1_LENGTH);
            out.writeByte(0);
        }
        if (pluginAuth) {
            Wire.writeNulTerminatedString(out, authPluginName);
        }
    }

    /** Whether the server announced itself as MariaDB (CLIENT_MYSQL clear, extended capabilities valid). */
    public boolean mariaDb() {
        return (capabilities & Capabilities.CLIENT_MYSQL) == 0;
    }

    @Override
    public String toString() {
        return "HandshakeV10[serverVersion=" + serverVersion + ", connectionId=" + connectionId
                + ", capabilities=0x" + Long.toHexString(capabilities) + ", charset=" + charset
                + ", statusFlags=0x" + Integer.toHexString(statusFlags) + ", authPluginName=" + authPluginName + "]";
    }
}

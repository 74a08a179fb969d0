package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Extra authentication data from the server (MariaDB manual, "Connection", Extra
 * authentication data): 0x01, then plugin data to the end of the packet, e.g.
 * {@code caching_sha2_password}'s fast-auth result or its public key.
 */
public record AuthMoreData(byte[] data) {
    public static final int HEADER = 0x01;

    public AuthMoreData {
        Objects.requireNonNull(data, "data");
    }

    public static AuthMoreData decode(ByteBuf buf) {
        int header = Wire.readUnsignedByte(buf, "auth more data header");
        if (header != HEADER) {
            throw new MysqlProtocolException("auth more data header: 0x" + Integer.toHexString(header) + " (expected: 0x01)");
        }
        return new AuthMoreData(Wire.readRestAsBytes(buf));
    }

    public void encode(ByteBuf out) {
        out.writeByte(HEADER).writeBytes(data);
    }

    @Override
    public String toString() {
        return "AuthMoreData[(" + data.length + " bytes)]";
    }
}

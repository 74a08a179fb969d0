package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * ERR_Packet (MariaDB manual, "ERR_Packet"): 0xFF, error code, then with the 4.1 protocol '#'
 * and a 5-character SQLSTATE, then the message. Servers omit the SQLSTATE before they know
 * the client speaks 4.1 (errors sent instead of the handshake), so decoding accepts both.
 */
public record ErrPacket(int errorCode, String sqlState, String message) {
    public static final int HEADER = 0xFF;
    /** MariaDB progress reports reuse the ERR header with this code (MARIADB_CLIENT_PROGRESS). */
    public static final int PROGRESS_REPORT_CODE = 0xFFFF;
    /** The SQLSTATE of an ERR packet that carries none. */
    public static final String GENERAL_SQL_STATE = "HY000";

    public ErrPacket {
        if (errorCode < 0 || errorCode > 0xFFFF) {
            throw new IllegalArgumentException("error code: " + errorCode + " (expected: 0-65535)");
        }
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(message, "message");
        if (sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE: '" + sqlState + "' (expected: 5 characters)");
        }
    }

    public static ErrPacket decode(ByteBuf buf) {
        int header = Wire.readUnsignedByte(buf, "ERR packet header");
        if (header != HEADER) {
            throw new MysqlProtocolException("ERR packet header: 0x" + Integer.toHexString(header) + " (expected: 0xff)");
        }
        int code = Wire.readUnsignedShortLE(buf, "ERR packet error code");
        String sqlState = GENERAL_SQL_STATE;
        if (buf.isReadable() && buf.getByte(buf.readerIndex()) == '#') {
            buf.skipBytes(1);
            sqlState = new String(Wire.readBytes(buf, 5, "ERR packet SQLSTATE"), StandardCharsets.US_ASCII);
        }
        return new ErrPacket(code, sqlState, Wire.readRestAsString(buf));
    }

    /** Writes the packet; the SQLSTATE only if {@code capabilities} include CLIENT_PROTOCOL_41. */
    public void encode(ByteBuf out, long capabilities) {
        out.writeByte(HEADER).writeShortLE(errorCode);
        if ((capabilities & Capabilities.CLIENT_PROTOCOL_41) != 0) {
            out.writeByte('#');
            out.writeCharSequence(sqlState, StandardCharsets.US_ASCII);
        }
        out.writeCharSequence(message, StandardCharsets.UTF_8);
    }

    /** Whether this is a MariaDB progress report rather than an error. */
    public boolean isProgressReport() {
        return errorCode == PROGRESS_REPORT_CODE;
    }

    public MysqlServerException toException() {
        return new MysqlServerException(errorCode, sqlState, message);
    }

    /** The error code of the ERR packet in {@code payload}, without moving its reader index. */
    public static int peekErrorCode(ByteBuf payload) {
        if (payload.readableBytes() < 3) {
            throw new MysqlProtocolException("truncated ERR packet: " + payload.readableBytes() + " bytes (expected: >= 3)");
        }
        return payload.getUnsignedShortLE(payload.readerIndex() + 1);
    }
}

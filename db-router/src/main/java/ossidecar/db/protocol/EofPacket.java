package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;

/**
 * EOF_Packet (MariaDB manual, "EOF_Packet"): 0xFE, warnings, status flags; always shorter than
 * 9 bytes, which is what tells it from a text row whose first value starts with a 0xFE
 * length prefix. Not sent under CLIENT_DEPRECATE_EOF, where a 0xFE OK packet takes its place.
 */
public record EofPacket(int warnings, int statusFlags) {
    public static final int HEADER = 0xFE;
    /** An EOF packet is shorter than this; a 0xFE packet this long or longer is something else. */
    public static final int MAX_LENGTH_EXCLUSIVE = 9;

    public static EofPacket decode(ByteBuf buf) {
        int length = buf.readableBytes();
        int header = Wire.readUnsignedByte(buf, "EOF packet header");
        if (header != HEADER) {
            throw new MysqlProtocolException("EOF packet header: 0x" + Integer.toHexString(header) + " (expected: 0xfe)");
        }
        if (length >= MAX_LENGTH_EXCLUSIVE) {
            throw new MysqlProtocolException("EOF packet length: " + length + " (expected: < " + MAX_LENGTH_EXCLUSIVE + ")");
        }
        int warnings = Wire.readUnsignedShortLE(buf, "EOF packet warnings");
        int status = Wire.readUnsignedShortLE(buf, "EOF packet status flags");
        return new EofPacket(warnings, status);
    }

    public void encode(ByteBuf out) {
        out.writeByte(HEADER).writeShortLE(warnings).writeShortLE(statusFlags);
    }

    /** The status flags of the EOF packet in {@code payload}, read in place. */
    public static int peekStatusFlags(ByteBuf payload) {
        if (payload.readableBytes() < 5) {
            throw new MysqlProtocolException("truncated EOF packet: " + payload.readableBytes() + " bytes (expected: 5)");
        }
        return payload.getUnsignedShortLE(payload.readerIndex() + 3);
    }
}

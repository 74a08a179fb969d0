package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;

/**
 * COM_STMT_PREPARE's success response (MariaDB manual, "COM_STMT_PREPARE", response):
 * 0x00, statement id, number of columns, number of parameters, a reserved byte, warnings.
 * Parameter and then column definitions follow as separate packets.
 */
public record ComStmtPrepareOk(long statementId, int numColumns, int numParams, int warnings) {
    public static final int HEADER = 0x00;
    /** Header, statement id, column and parameter counts: the part the response tracker needs. */
    public static final int MIN_LENGTH = 9;

    public static ComStmtPrepareOk decode(ByteBuf buf) {
        int header = Wire.readUnsignedByte(buf, "prepare OK header");
        if (header != HEADER) {
            throw new MysqlProtocolException("prepare OK header: 0x" + Integer.toHexString(header) + " (expected: 0x00)");
        }
        long statementId = Wire.readUnsignedIntLE(buf, "statement id");
        int columns = Wire.readUnsignedShortLE(buf, "number of columns");
        int params = Wire.readUnsignedShortLE(buf, "number of parameters");
        int warnings = 0;
        if (buf.readableBytes() >= 3) {
            buf.skipBytes(1);
            warnings = buf.readUnsignedShortLE();
        }
        return new ComStmtPrepareOk(statementId, columns, params, warnings);
    }

    public void encode(ByteBuf out) {
        out.writeByte(HEADER).writeIntLE((int) statementId).writeShortLE(numColumns).writeShortLE(numParams)
                .writeByte(0).writeShortLE(warnings);
    }
}

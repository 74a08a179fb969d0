package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What a server packet in the command phase is, from its first byte and length (MariaDB
 * manual, "Result Set Packets" and "OK_Packet"). 0xFE is the ambiguous byte: it ends result
 * sets (EOF, or OK under CLIENT_DEPRECATE_EOF) but also prefixes an 8-byte length in a text
 * row. Such a row holds a value of at least 2^24 bytes, so its packet is at least 0xFFFFFF
 * long, while an EOF packet is shorter than 9 bytes.
 */
public enum ResponseKind {
    OK,
    ERR,
    EOF,
    /** 0xFB: the server asks the client for a file (LOAD DATA LOCAL INFILE). */
    LOCAL_INFILE,
    /** The column count that starts a result set. */
    RESULT_SET_HEADER,
    /** A row, or a column or parameter definition. */
    ROW;

    /** The kind of the first packet of a response (or of the next result of a multi-result response). */
    public static ResponseKind of(int firstByte, int payloadLength, long capabilities) {
        return switch (firstByte & 0xFF) {
            case OkPacket.HEADER -> OK;
            case ErrPacket.HEADER -> ERR;
            case Wire.NULL_MARKER -> LOCAL_INFILE;
            case EofPacket.HEADER -> {
                ResponseKind end = endMarker(payloadLength, capabilities);
                yield end != null ? end : RESULT_SET_HEADER;
            }
            default -> RESULT_SET_HEADER;
        };
    }

    /** {@link #of(int, int, long)} for a payload; an empty payload is a protocol error. */
    public static ResponseKind of(ByteBuf payload, long capabilities) {
        return of(firstByte(payload), payload.readableBytes(), capabilities);
    }

    /**
     * The kind of a packet inside a result set, after the column definitions (or inside a
     * definition block): ERR, the end marker (EOF, or OK under CLIENT_DEPRECATE_EOF), else ROW.
     * A row may start with 0x00 (binary protocol header, empty string) or 0xFB (NULL).
     */
    public static ResponseKind ofRow(int firstByte, int payloadLength, long capabilities) {
        int b = firstByte & 0xFF;
        if (b == ErrPacket.HEADER) {
            return ERR;
        }
        if (b == EofPacket.HEADER) {
            ResponseKind end = endMarker(payloadLength, capabilities);
            if (end != null) {
                return end;
            }
        }
        return ROW;
    }

    public static ResponseKind ofRow(ByteBuf payload, long capabilities) {
        return ofRow(firstByte(payload), payload.readableBytes(), capabilities);
    }

    private static ResponseKind endMarker(int payloadLength, long capabilities) {
        if ((capabilities & Capabilities.CLIENT_DEPRECATE_EOF) != 0) {
            return payloadLength < MysqlPacket.MAX_FRAGMENT_LENGTH ? OK : null;
        }
        return payloadLength < EofPacket.MAX_LENGTH_EXCLUSIVE ? EOF : null;
    }

    private static int firstByte(ByteBuf payload) {
        if (!payload.isReadable()) {
            throw new MysqlProtocolException("empty packet where a response packet was expected");
        }
        return payload.getUnsignedByte(payload.readerIndex());
    }
}

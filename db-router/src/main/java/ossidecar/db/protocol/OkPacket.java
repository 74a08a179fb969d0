package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * OK_Packet (MariaDB manual, "OK_Packet"): header 0x00, or 0xFE where it replaces the EOF
 * ending a result set under CLIENT_DEPRECATE_EOF; affected rows and last insert id as
 * length-encoded integers; status flags and warnings (4.1 protocol); then, if the packet goes
 * on, a length-encoded info string, and with CLIENT_SESSION_TRACK and
 * SERVER_SESSION_STATE_CHANGED the session state changes, kept raw. Servers write the info
 * length-encoded with or without session tracking (net_send_ok stores it with
 * net_store_data, and libmysql reads it with net_field_length).
 */
public record OkPacket(long affectedRows, long lastInsertId, int statusFlags, int warnings, String info,
                       byte[] sessionStateInfo) {
    public static final int HEADER = 0x00;
    /** The header of an OK packet that ends a result set under CLIENT_DEPRECATE_EOF. */
    public static final int RESULT_SET_END_HEADER = 0xFE;
    private static final byte[] NONE = new byte[0];

    public OkPacket {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(sessionStateInfo, "sessionStateInfo");
    }

    /** An OK packet with no info and no session state. */
    public OkPacket(long affectedRows, long lastInsertId, int statusFlags, int warnings) {
        this(affectedRows, lastInsertId, statusFlags, warnings, "", NONE);
    }

    public static OkPacket decode(ByteBuf buf, long capabilities) {
        int header = Wire.readUnsignedByte(buf, "OK packet header");
        if (header != HEADER && header != RESULT_SET_END_HEADER) {
            throw new MysqlProtocolException("OK packet header: 0x" + Integer.toHexString(header)
                    + " (expected: 0x00 or 0xfe)");
        }
        long affectedRows = Wire.readLengthEncodedInteger(buf, "OK packet affected rows");
        long lastInsertId = Wire.readLengthEncodedInteger(buf, "OK packet last insert id");
        int status = 0;
        int warnings = 0;
        if ((capabilities & Capabilities.CLIENT_PROTOCOL_41) != 0) {
            status = Wire.readUnsignedShortLE(buf, "OK packet status flags");
            warnings = Wire.readUnsignedShortLE(buf, "OK packet warnings");
        } else if ((capabilities & Capabilities.CLIENT_TRANSACTIONS) != 0) {
            status = Wire.readUnsignedShortLE(buf, "OK packet status flags");
        }
        String info = "";
        byte[] sessionState = NONE;
        if (buf.isReadable()) {
            info = Wire.readLengthEncodedString(buf, "OK packet info");
            if (tracksSessionState(capabilities, status) && buf.isReadable()) {
                sessionState = Wire.readLengthEncodedBytes(buf, "OK packet session state info");
            }
        }
        return new OkPacket(affectedRows, lastInsertId, status, warnings, info, sessionState);
    }

    /** Writes the packet with header 0x00. */
    public void encode(ByteBuf out, long capabilities) {
        encode(out, capabilities, HEADER);
    }

    /** Writes the packet with header 0xFE, ending a result set under CLIENT_DEPRECATE_EOF. */
    public void encodeAsResultSetEnd(ByteBuf out, long capabilities) {
        encode(out, capabilities, RESULT_SET_END_HEADER);
    }

    private void encode(ByteBuf out, long capabilities, int header) {
        out.writeByte(header);
        Wire.writeLengthEncodedInteger(out, affectedRows);
        Wire.writeLengthEncodedInteger(out, lastInsertId);
        if ((capabilities & Capabilities.CLIENT_PROTOCOL_41) != 0) {
            out.writeShortLE(statusFlags).writeShortLE(warnings);
        } else if ((capabilities & Capabilities.CLIENT_TRANSACTIONS) != 0) {
            out.writeShortLE(statusFlags);
        }
        boolean stateChanged = tracksSessionState(capabilities, statusFlags);
        if (stateChanged || !info.isEmpty()) {
            Wire.writeLengthEncodedString(out, info);
        }
        if (stateChanged) {
            Wire.writeLengthEncodedBytes(out, sessionStateInfo);
        }
    }

    private static boolean tracksSessionState(long capabilities, int statusFlags) {
        return (capabilities & Capabilities.CLIENT_SESSION_TRACK) != 0
                && (statusFlags & ServerStatus.SERVER_SESSION_STATE_CHANGED) != 0;
    }

    /**
     * The status flags of the OK packet in {@code payload}, read in place (the reader index does
     * not move, nothing is copied).
     */
    public static int peekStatusFlags(ByteBuf payload, long capabilities) {
        if ((capabilities & (Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS)) == 0) {
            return 0;
        }
        int index = payload.readerIndex() + 1;
        index += Wire.lengthEncodedIntegerSize(unsignedByteAt(payload, index), "OK packet affected rows");
        index += Wire.lengthEncodedIntegerSize(unsignedByteAt(payload, index), "OK packet last insert id");
        if (payload.writerIndex() - index < 2) {
            throw new MysqlProtocolException("truncated OK packet status flags: packet of " + payload.readableBytes() + " bytes");
        }
        return payload.getUnsignedShortLE(index);
    }

    /**
     * Rewrites, in place, the status flags of the OK packet in {@code payload}: an answer the
     * router held from inside a transaction it opened itself goes to the client as the answer of
     * a statement outside one. No-op without the flags field (pre-4.1 protocol).
     */
    public static void patchStatusFlags(ByteBuf payload, long capabilities, int flags) {
        if ((capabilities & (Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS)) == 0) {
            return;
        }
        int index = payload.readerIndex() + 1;
        index += Wire.lengthEncodedIntegerSize(unsignedByteAt(payload, index), "OK packet affected rows");
        index += Wire.lengthEncodedIntegerSize(unsignedByteAt(payload, index), "OK packet last insert id");
        if (payload.writerIndex() - index < 2) {
            throw new MysqlProtocolException("truncated OK packet status flags: packet of " + payload.readableBytes() + " bytes");
        }
        payload.setShortLE(index, flags);
    }

    private static int unsignedByteAt(ByteBuf payload, int index) {
        if (index >= payload.writerIndex()) {
            throw new MysqlProtocolException("truncated OK packet: packet of " + payload.readableBytes() + " bytes");
        }
        return payload.getUnsignedByte(index);
    }
}

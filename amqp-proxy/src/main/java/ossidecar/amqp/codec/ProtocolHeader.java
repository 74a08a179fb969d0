package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The greeting a client sends before any frame: {@code "AMQP" 0 0 9 1} (spec §4.2.2). A server
 * that does not accept it answers with its own header and closes the socket.
 */
public final class ProtocolHeader {
    public static final ProtocolHeader INSTANCE = new ProtocolHeader();
    public static final int LENGTH = 8;

    private static final byte[] BYTES = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private ProtocolHeader() {
    }

    /** A copy of the 8 octets. */
    public static byte[] bytes() {
        return BYTES.clone();
    }

    /** Whether the 8 bytes at {@code index} are this header; false when fewer are readable. */
    public static boolean matches(ByteBuf in, int index) {
        if (in.writerIndex() - index < LENGTH) {
            return false;
        }
        return mismatchAt(in, index, LENGTH) < 0;
    }

    /** The offset of the first of {@code length} bytes at {@code index} that differs, or -1. */
    static int mismatchAt(ByteBuf in, int index, int length) {
        for (int i = 0; i < length; i++) {
            if (in.getByte(index + i) != BYTES[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the readable bytes start like "AMQP": another peer's protocol header. */
    static boolean looksLikeHeader(ByteBuf in, int index, int length) {
        return length >= 4 && mismatchAt(in, index, 4) < 0;
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(BYTES);
    }

    /** Renders header bytes the way the spec writes them: {@code 'AMQP' 0 0 9 1}, else hex. */
    static String describe(ByteBuf in, int index, int length) {
        StringBuilder sb = new StringBuilder();
        boolean text = length >= 4;
        for (int i = 0; i < Math.min(4, length); i++) {
            byte b = in.getByte(index + i);
            text &= b >= 0x20 && b < 0x7F && b != '\'';
        }
        int i = 0;
        if (text) {
            sb.append('\'');
            for (; i < 4; i++) {
                sb.append((char) in.getByte(index + i));
            }
            sb.append('\'');
        }
        for (; i < length; i++) {
            sb.append(sb.length() == 0 ? "" : " ");
            int b = in.getUnsignedByte(index + i);
            sb.append(text ? Integer.toString(b) : String.format("0x%02x", b));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "ProtocolHeader('AMQP' 0 0 9 1)";
    }
}

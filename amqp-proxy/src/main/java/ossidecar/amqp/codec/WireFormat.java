package ossidecar.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads and writes the primitive domains of spec §4.2.5. Every read is bounded by {@code end}
 * (the end of the enclosing frame payload or table), checks the length before touching the
 * bytes, and reports a shortfall as an {@link AmqpCodecException} with the caller's reply code:
 * method fields report 501 (the frame is inconsistent), table entries 502 (a bad field value).
 * Messages name no field: callers add that with {@link AmqpCodecException#within} on failure.
 */
final class WireFormat {
    private static final long INSTANT_MIN_SECONDS = Instant.MIN.getEpochSecond();
    private static final long INSTANT_MAX_SECONDS = Instant.MAX.getEpochSecond();

    private WireFormat() {
    }

    static void need(ByteBuf in, int end, int n, int replyCode) {
        int remaining = end - in.readerIndex();
        if (remaining < n) {
            throw new AmqpCodecException(replyCode, "truncated (needs " + n + (n == 1 ? " byte, " : " bytes, ") + remaining + " remaining)");
        }
    }

    /**
     * A shortstr as a String. Spec §4.2.5.3 says shortstr carries UTF-8; a malformed sequence is
     * refused (502) rather than replaced, because replacing it would make the proxy relay a
     * different name than the one the peer sent.
     */
    static String readShortstr(ByteBuf in, int end, int replyCode) {
        need(in, end, 1, replyCode);
        int length = in.readUnsignedByte();
        if (length == 0) {
            return "";
        }
        checkLength(in, end, length, replyCode);
        int index = in.readerIndex();
        String s = ShortstrCache.get(in, index, length); // cached means it was checked as UTF-8
        if (s == null) {
            if (!ByteBufUtil.isText(in, index, length, StandardCharsets.UTF_8)) {
                throw new AmqpCodecException(ReplyCode.SYNTAX_ERROR, "not UTF-8 (spec 4.2.5.3)");
            }
            s = in.toString(index, length, StandardCharsets.UTF_8);
            ShortstrCache.put(in, index, length, s);
        }
        in.skipBytes(length);
        return s;
    }

    static LongString readLongstr(ByteBuf in, int end, int replyCode) {
        int length = readLength(in, end, replyCode);
        return LongString.read(in, length);
    }

    /** A 32-bit unsigned length prefix that must fit in what is left before {@code end}. */
    static int readLength(ByteBuf in, int end, int replyCode) {
        need(in, end, 4, replyCode);
        long length = in.readUnsignedInt();
        checkLength(in, end, length, replyCode);
        return (int) length;
    }

    private static void checkLength(ByteBuf in, int end, long length, int replyCode) {
        int remaining = end - in.readerIndex();
        if (length > remaining) {
            throw new AmqpCodecException(replyCode, "length: " + length + " (expected: <= " + remaining + ")");
        }
    }

    /** Spec §4.2.5.4: a timestamp is a 64-bit POSIX time_t, seconds since the epoch. */
    static Instant readTimestamp(ByteBuf in, int end, int replyCode) {
        need(in, end, 8, replyCode);
        long seconds = in.readLong();
        if (seconds < INSTANT_MIN_SECONDS || seconds > INSTANT_MAX_SECONDS) {
            throw new AmqpCodecException(ReplyCode.SYNTAX_ERROR, "timestamp: " + seconds
                    + " (expected: " + INSTANT_MIN_SECONDS + ".." + INSTANT_MAX_SECONDS + ")");
        }
        return Instant.ofEpochSecond(seconds);
    }

    static void writeShortstr(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > AmqpConstants.SHORTSTR_MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "shortstr length: " + length + " (expected: <= " + AmqpConstants.SHORTSTR_MAX_LENGTH + ")");
        }
        out.writeByte(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    static void writeLongstr(ByteBuf out, LongString s) {
        out.writeInt(s.length());
        s.writeTo(out);
    }

    static void writeTimestamp(ByteBuf out, Instant t) {
        out.writeLong(t.getEpochSecond());
    }

    /** Checks up front that {@code s} fits a shortstr, so encoding later cannot fail. */
    static String checkShortstr(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + ": null (expected: a shortstr)");
        }
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > AmqpConstants.SHORTSTR_MAX_LENGTH) {
            throw new IllegalArgumentException(
                    what + " length: " + length + " (expected: <= " + AmqpConstants.SHORTSTR_MAX_LENGTH + ")");
        }
        return s;
    }
}

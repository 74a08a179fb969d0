package ossidecar.amqp.codec;

import io.netty.buffer.ByteBufUtil;

/**
 * What {@link AmqpFrameDecoder} emits, once, instead of throwing when its input is malformed;
 * it discards all input after it. The connection must be closed with {@link #replyCode()}
 * (spec §4.2.3: "any frame error ... MUST close the connection"), e.g. by sending
 * {@link #toConnectionClose()} — except when {@link #protocolHeader()} is set: then the bytes
 * before any frame were not our protocol header, and a server answers with its own header
 * and closes the socket (spec §4.2.2).
 *
 * @param replyCode one of {@link ReplyCode}: 501, 502, 505 or 540
 * @param reason shaped {@code "frame size: 200008 (expected: <= 131072)"}
 * @param channel the channel of the bad frame, 0 when not known
 * @param classId class of the method that failed to decode, 0 when not a method
 * @param methodId method that failed to decode, 0 when not a method
 * @param protocolHeader whether the protocol header was bad, not a frame
 */
public record MalformedFrame(int replyCode, String reason, int channel, int classId, int methodId,
        boolean protocolHeader) {

    public MalformedFrame(int replyCode, String reason, int channel) {
        this(replyCode, reason, channel, 0, 0, false);
    }

    /** A bad protocol header (spec §4.2.2). */
    public static MalformedFrame badProtocolHeader(String reason) {
        return new MalformedFrame(ReplyCode.FRAME_ERROR, reason, 0, 0, 0, true);
    }

    /** The connection.close to send for this error, its reply-text cut to fit a shortstr. */
    public Method toConnectionClose() {
        return Method.of(MethodType.CONNECTION_CLOSE, "reply-code", replyCode,
                "reply-text", truncate(ReplyCode.name(replyCode) + " - " + reason),
                "class-id", classId, "method-id", methodId);
    }

    private static String truncate(String text) {
        if (ByteBufUtil.utf8Bytes(text) <= AmqpConstants.SHORTSTR_MAX_LENGTH) {
            return text;
        }
        int end = Math.min(text.length(), AmqpConstants.SHORTSTR_MAX_LENGTH);
        while (ByteBufUtil.utf8Bytes(text.subSequence(0, end)) > AmqpConstants.SHORTSTR_MAX_LENGTH
                || Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}

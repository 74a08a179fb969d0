package ossidecar.amqp.codec;

/**
 * Malformed AMQP input, carrying the reply code the spec asks for (spec §4.2.3: 501 for framing,
 * 502 for field values, 540 for unknown methods). {@link AmqpFrameDecoder} never lets it out: it
 * turns it into a {@link MalformedFrame}. Thrown by the public decode helpers
 * ({@link FrameCodec#decodeMethod}, {@link FieldTableCodec#decodeTable},
 * {@link BasicProperties#decode}) for callers that decode outside the pipeline.
 */
public final class AmqpCodecException extends RuntimeException {
    private final int replyCode;

    public AmqpCodecException(int replyCode, String message) {
        // No stack trace: it marks bad input from a peer, not a bug, and is caught one frame up.
        super(message, null, false, false);
        this.replyCode = replyCode;
    }

    /**
     * The same error with where it happened in front, e.g. {@code basic.publish.exchange} or
     * {@code [x-args]}. Decoders add context only on the way out of a failure, so the happy path
     * builds no strings.
     */
    AmqpCodecException within(String context) {
        String message = getMessage();
        return new AmqpCodecException(replyCode, context + (message.startsWith("[") ? "" : ": ") + message);
    }

    /** One of the {@link ReplyCode} constants. */
    public int replyCode() {
        return replyCode;
    }
}

package ossidecar.amqp.codec;

/**
 * Wire constants of AMQP 0-9-1: frame types and sizes from spec §4.2.3 and the {@code constant}
 * elements of the spec XML.
 */
public final class AmqpConstants {
    /** Frame type of a method frame ({@code frame-method}). */
    public static final int FRAME_METHOD = 1;
    /** Frame type of a content header frame ({@code frame-header}). */
    public static final int FRAME_HEADER = 2;
    /** Frame type of a content body frame ({@code frame-body}). */
    public static final int FRAME_BODY = 3;
    /** Frame type of a heartbeat frame ({@code frame-heartbeat}). */
    public static final int FRAME_HEARTBEAT = 8;
    /** The octet that closes every frame ({@code frame-end}); anything else is a framing error. */
    public static final int FRAME_END = 0xCE;
    /** The frame size every peer must accept, also before connection.tune ({@code frame-min-size}). */
    public static final int FRAME_MIN_SIZE = 4096;
    /** type(1) channel(2) size(4) in front of every payload (spec §4.2.3). */
    public static final int FRAME_PREFIX_SIZE = 7;
    /**
     * Bytes a frame has beyond its payload: the prefix and the frame-end octet. connection.tune's
     * frame-max counts them (spec: "including frame header and end-byte").
     */
    public static final int FRAME_OVERHEAD = FRAME_PREFIX_SIZE + 1;
    /** class-id(2) weight(2) body-size(8): the fixed part of a content header payload (spec §4.2.6.1). */
    public static final int CONTENT_HEADER_FIXED_SIZE = 12;
    /** Longest shortstr: its length is one octet (spec §4.2.5.3). */
    public static final int SHORTSTR_MAX_LENGTH = 255;
    /** IANA port of AMQP. */
    public static final int DEFAULT_PORT = 5672;

    private AmqpConstants() {
    }
}

package ossidecar.amqp.codec;

/**
 * One AMQP frame (spec §4.2.3): what {@link AmqpFrameDecoder} emits and
 * {@link AmqpFrameEncoder} writes. Content header and body frames hold buffers and are
 * reference counted; release them.
 */
public sealed interface Frame permits MethodFrame, ContentHeaderFrame, ContentBodyFrame, HeartbeatFrame {
    /** Highest channel number the 16-bit channel field can carry. */
    int MAX_CHANNEL = 0xFFFF;

    int channel();

    static int checkChannel(int channel) {
        if (channel < 0 || channel > MAX_CHANNEL) {
            throw new IllegalArgumentException("channel: " + channel + " (expected: 0.." + MAX_CHANNEL + ")");
        }
        return channel;
    }
}
